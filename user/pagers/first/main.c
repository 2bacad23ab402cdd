/*
 * first: a demand-zero pager, the one docs/PAGER.md walks through.
 *
 * It starts a copy of itself as the client, makes its own pager the
 * client's, and serves each page fault with a fresh zeroed frame.  The
 * client touches 64 pages from 0x50000000: each reads as zero, then keeps
 * what was written to it.
 */
#include <relay/libos.h>

#define REGION          0x50000000u
#define PAGES           64u
#define PAGER_PRIORITY  14u     /* takes a fault as soon as it is raised */
#define CLIENT_PRIORITY 9u      /* below ours: the client runs only when we wait */

static volatile uint32_t faults;

/* The pager: a fault in the region gets a zeroed frame of ours, writable. */
static int demand_zero(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    if (f->address < REGION || f->address >= REGION + PAGES * PAGE_SIZE)
        return ERR_RANGE;               /* not ours: the framework kills the client */
    faults++;
    a->verdict = ANSWER_MAP;
    a->flags = MAP_WRITABLE;
    return pager_zero_frame(&a->frame);
}

/* The client: every page reads as zero, then holds what it was given. */
static int client(void)
{
    for (uint32_t i = 0; i < PAGES; i++) {
        volatile uint32_t *page = (volatile uint32_t *)(REGION + i * PAGE_SIZE);
        if (page[0] != 0 || page[PAGE_SIZE / 4 - 1] != 0)
            return 1;
        page[0] = i;
    }
    for (uint32_t i = 0; i < PAGES; i++)
        if (*(volatile uint32_t *)(REGION + i * PAGE_SIZE) != i)
            return 2;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "client") == 0)
        return client();

    const struct startup_info *si = startup_info();
    relay_handle ep, done;
    if (pager_start(demand_zero, 0, PAGER_PRIORITY, &ep) != ERR_NONE
        || notification_create(si->factory, &done) != ERR_NONE)
        return 3;
    struct spawn_args args = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "first client", .factory = si->factory,
        .exit_notification = done, .exit_bits = 1,
        .memory_pages = 16, .priority = CLIENT_PRIORITY,
    };
    struct child c;
    if (spawn(&args, &c) != ERR_NONE || pager_attach(c.thread, ep) != ERR_NONE)
        return 4;                       /* attached before the client first runs */

    uint32_t bits, state = TASK_ALIVE, status = 0;
    if (notify_wait(done, &bits, 1000) == ERR_NONE)
        task_status(c.task, &state, &status);
    char how[64];
    status_describe(state, status, how, sizeof how);
    int ok = state == TASK_EXITED && status == 0 && faults == PAGES;
    printf("%s first: the client %s after %u page faults\n", ok ? "PASS" : "FAIL", how, faults);
    printf("first: %d passed, %d failed\n", ok, !ok);
    return !ok;
}
