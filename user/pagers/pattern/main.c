/*
 * pattern: a pager that fills each page from its address -- word i of the
 * page at va is va + 4 * i, i.e. each word holds its own address -- and maps
 * it read-only.  The client reads all 64 pages and checks every word.
 */
#include <relay/libos.h>

#define REGION          0x50000000u
#define PAGES           64u
#define PAGER_PRIORITY  14u
#define CLIENT_PRIORITY 9u

static volatile uint32_t faults;

static uint32_t own_address(uint32_t va, uint32_t i, void *arg)
{
    (void)arg;
    return va + 4 * i;
}

static int pattern(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    if (f->address < REGION || f->address >= REGION + PAGES * PAGE_SIZE || f->page.write)
        return ERR_RANGE;               /* outside, or a write: the client dies */
    faults++;
    a->verdict = ANSWER_MAP;
    a->flags = 0;                       /* read-only */
    return pager_fill_frame(&a->frame, PAGE_DOWN(f->address), own_address, 0);
}

static int client(void)
{
    for (uint32_t va = REGION; va < REGION + PAGES * PAGE_SIZE; va += 4)
        if (*(volatile uint32_t *)va != va)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "client") == 0)
        return client();

    const struct startup_info *si = startup_info();
    relay_handle ep, done;
    if (pager_start(pattern, 0, PAGER_PRIORITY, &ep) != ERR_NONE
        || notification_create(si->factory, &done) != ERR_NONE)
        return 3;
    struct spawn_args args = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "pattern client", .factory = si->factory,
        .exit_notification = done, .exit_bits = 1,
        .memory_pages = 16, .priority = CLIENT_PRIORITY,
    };
    struct child c;
    if (spawn(&args, &c) != ERR_NONE || pager_attach(c.thread, ep) != ERR_NONE)
        return 4;

    uint32_t bits, state = TASK_ALIVE, status = 0;
    if (notify_wait(done, &bits, 1000) == ERR_NONE)
        task_status(c.task, &state, &status);
    char how[64];
    status_describe(state, status, how, sizeof how);
    int ok = state == TASK_EXITED && status == 0 && faults == PAGES;
    printf("%s pattern: the client %s after %u page faults, every word its own address\n",
           ok ? "PASS" : "FAIL", how, faults);
    printf("pattern: %d passed, %d failed\n", ok, !ok);
    return !ok;
}
