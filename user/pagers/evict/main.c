/*
 * evict: a client touches 16 pages twice through a pager that keeps only 4
 * frames resident (evict.c), writing every word, then checks every word:
 * pages are evicted to the pager's backing store and faulted back in, and
 * every byte survives.
 */
#include "evict.h"

#define REGION          0x50000000u
#define PAGES           16u
#define PAGER_PRIORITY  14u
#define CLIENT_PRIORITY 9u      /* below ours: the client runs only when we wait */

static struct evict_pager pager;

static uint32_t word(uint32_t page, uint32_t i) { return page * 0x10000u + i * 3u + 1u; }

/* Pass 1 writes each page's words, pass 2 adds 1 to each; then check all. */
static int client(void)
{
    for (uint32_t pass = 0; pass < 2; pass++)
        for (uint32_t p = 0; p < PAGES; p++) {
            volatile uint32_t *w = (volatile uint32_t *)(REGION + p * PAGE_SIZE);
            for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
                w[i] = pass ? w[i] + 1 : word(p, i);
        }
    for (uint32_t p = 0; p < PAGES; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(REGION + p * PAGE_SIZE);
        for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
            if (w[i] != word(p, i) + 1)
                return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "client") == 0)
        return client();

    const struct startup_info *si = startup_info();
    relay_handle ep, done;
    if (notification_create(si->factory, &done) != ERR_NONE)
        return 3;
    struct spawn_args args = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "evict client", .factory = si->factory,
        .exit_notification = done, .exit_bits = 1,
        .memory_pages = 16, .priority = CLIENT_PRIORITY,
    };
    struct child c;
    if (spawn(&args, &c) != ERR_NONE)
        return 4;
    evict_init(&pager, c.task, REGION, PAGES);   /* the pager unmaps from the client */
    if (pager_start(evict_fault, &pager, PAGER_PRIORITY, &ep) != ERR_NONE
        || pager_attach(c.thread, ep) != ERR_NONE)
        return 5;

    uint32_t bits, state = TASK_ALIVE, status = 0;
    if (notify_wait(done, &bits, 2000) == ERR_NONE)
        task_status(c.task, &state, &status);
    char how[64];
    status_describe(state, status, how, sizeof how);
    evict_release(&pager);
    /* 16 first touches + 16 re-faults in pass 2 + 16 more while checking */
    int ok = state == TASK_EXITED && status == 0 && pager.faults == 3 * PAGES
             && pager.evictions == pager.faults - EVICT_FRAMES;
    printf("%s evict: the client %s; %u faults, %u evictions, %u pages restored, %u frames\n",
           ok ? "PASS" : "FAIL", how, pager.faults, pager.evictions, pager.restores, EVICT_FRAMES);
    printf("evict: %d passed, %d failed\n", ok, !ok);
    return !ok;
}
