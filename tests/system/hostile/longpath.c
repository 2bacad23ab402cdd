/*
 * The longest paths a program can provoke in the kernel, measured (the
 * test kernel's meter, path_report): the work a kernel entry does grows
 * with nothing a program builds -- mappings of one frame, derived handles,
 * waiting threads, the bytes of a write -- because such work is bounded per
 * entry (a restarted call, the reaper's budget) or by the kernel's pools.
 * Each case checks its result too; `make bench` reports the figures.
 */
#include "generic.h"

#define MANY_VA     0x30000000u     /* where one frame is mapped again and again */
#define MANY_MAPS   4000u           /* four page tables' worth */
#define WIDE_TASKS  20u             /* empty tasks holding a wide handle's children */
#define WIDE_EACH   250u
#define WAITERS     60u             /* libos runs at most 64 threads a task */

/* Map own frame pa at MANY_MAPS pages from MANY_VA, in task; how many took. */
static uint32_t map_many(relay_handle task, uint32_t pa, uint32_t flags)
{
    uint32_t n = 0;
    while (n < MANY_MAPS && page_map(task, MANY_VA + n * PAGE_SIZE, pa, flags) == ERR_NONE)
        n++;
    return n;
}

TEST(path_frame_revoke, "frame_revoke of a frame mapped 4,000 times: all unmapped, 256 a step")
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(map_many(self, pa, 0), MANY_MAPS);
    path_reset();
    struct sys_result r = sys_frame_revoke(pa);
    path_report("frame_revoke_4000");
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(r.r[0], MANY_MAPS);
    CHECK_EQ(sys_map_query(self, MANY_VA).error, ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(self, MANY_VA + (MANY_MAPS - 1) * PAGE_SIZE).error, ERR_NOT_MAPPED);
    frame_free(pa);
}

TEST(path_debug_write, "a 4,096-byte debug_write: written a FIFO's worth at a time, the kernel never waits")
{
    static char line[4096];
    for (uint32_t i = 0; i < sizeof line; i++)
        line[i] = i % 64 == 63 ? '\n' : '.';
    path_reset();
    CHECK_EQ(sys_debug_write((uint32_t)line, sizeof line).error, ERR_NONE);
    path_report("debug_write_4096");
}

TEST(path_delete_wide, "deleting a handle 5,000 others derive from: they move to its parent, a budget at a time")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo();
    relay_handle root, mid, tasks[WIDE_TASKS], copy;
    CHECK_EQ(endpoint_create(si->factory, &root), ERR_NONE);
    CHECK_EQ(handle_copy(root, RIGHTS_ALL, &mid), ERR_NONE);
    uint32_t made = 0;
    for (uint32_t t = 0; t < WIDE_TASKS; t++) {
        CHECK_EQ(task_create(si->factory, HANDLE_NULL, 0, &tasks[t]), ERR_NONE);
        for (uint32_t i = 0; i < WIDE_EACH && handle_give(tasks[t], mid, RIGHT_SEND, &copy) == ERR_NONE; i++)
            made++;
    }
    CHECK_EQ(made, WIDE_TASKS * WIDE_EACH);
    path_reset();
    CHECK_EQ(handle_delete(mid), ERR_NONE);
    path_report("handle_delete_5000");
    path_reset();
    CHECK_EQ(handle_revoke(root), ERR_NONE);          /* they hang from root now: all reached */
    path_report("revoke_wide_5000");
    CHECK_EQ(ipc_send(root, 1, 0, 0, TIMEOUT_POLL), ERR_TIMEOUT);   /* root stays, and works */
    for (uint32_t t = 0; t < WIDE_TASKS; t++)
        handle_delete(tasks[t]);
    handle_delete(root);
    CHECK_NO_LEAK(before);
}

static relay_handle waited_on;
static volatile uint32_t woken_deleted;

static void wait_forever(void *arg)
{
    (void)arg;
    struct msg m;
    if (ipc_recv(waited_on, &m, TIMEOUT_FOREVER) == ERR_DELETED)
        woken_deleted++;
}

TEST(path_endpoint_waiters, "the last handle of an endpoint 60 threads wait on: each learns ERR_DELETED")
{
    static struct thread *t[WAITERS];
    struct kernel_info before = kinfo();
    CHECK_EQ(endpoint_create(startup_info()->factory, &waited_on), ERR_NONE);
    woken_deleted = 0;
    uint32_t n = 0;
    struct thread_spec spec = { wait_forever, 0, MAIN_PRIORITY + 1, HANDLE_NULL, 0 };
    while (n < WAITERS && thread_spawn(&spec, &t[n]) == ERR_NONE)
        n++;                                          /* each runs at once and blocks */
    CHECK_EQ(n, WAITERS);
    path_reset();
    CHECK_EQ(handle_delete(waited_on), ERR_NONE);
    path_report("endpoint_60_waiters");
    sleep_ticks(2);
    CHECK_EQ(woken_deleted, WAITERS);
    for (uint32_t i = 0; i < n; i++)
        thread_release(t[i]);
    CHECK_NO_LEAK(before);
}

/* role=many_threads: 60 threads that block for ever, then exit: the end kills them all. */
static void block_forever(void *arg)
{
    uint32_t bits;
    notify_wait((relay_handle)(uintptr_t)arg, &bits, TIMEOUT_FOREVER);
}

ROLE(many_threads)
{
    (void)argc, (void)argv;
    relay_handle never;
    if (notification_create(startup_info()->factory, &never))
        return 1;
    struct thread *t;
    struct thread_spec spec = { block_forever, (void *)(uintptr_t)never, thread_priority_max(),
                                HANDLE_NULL, 0 };
    uint32_t n = 0;
    while (n < WAITERS && thread_spawn(&spec, &t) == ERR_NONE)
        n++;
    return n == WAITERS ? 0 : 2;
}

TEST(path_task_of_threads, "a task of 60 blocked threads exits: every thread killed at once, the rest reaped")
{
    struct kernel_info before = kinfo_base();
    struct child c;
    relay_handle exit_n;
    uint32_t status = 99;
    path_reset();
    CHECK_EQ(role_spawn("role=many_threads", HANDLE_NULL, MAIN_PRIORITY - 1, 256, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 3000, &status), TASK_EXITED);
    path_report("task_of_60_threads");
    CHECK_EQ(status, 0);
    CHECK_NO_LEAK(before);
}

static relay_handle quiet_notification;
static volatile uint32_t timed_out;

static void time_out(void *arg)
{
    uint32_t bits;
    (void)arg;
    if (notify_wait(quiet_notification, &bits, 5) == ERR_TIMEOUT)
        timed_out++;
}

TEST(path_timeouts, "60 waits that time out together: one clock interrupt ends them all")
{
    static struct thread *t[WAITERS];
    struct kernel_info before = kinfo();
    CHECK_EQ(notification_create(startup_info()->factory, &quiet_notification), ERR_NONE);
    timed_out = 0;
    uint32_t n = 0;
    path_reset();
    struct thread_spec spec = { time_out, 0, MAIN_PRIORITY + 1, HANDLE_NULL, 0 };
    while (n < WAITERS && thread_spawn(&spec, &t[n]) == ERR_NONE)
        n++;
    for (int i = 0; i < 100 && timed_out < n; i++)
        sleep_ticks(5);
    path_report("timeouts_60");
    CHECK_EQ(n, WAITERS);
    CHECK_EQ(timed_out, WAITERS);
    for (uint32_t i = 0; i < n; i++)
        thread_release(t[i]);
    handle_delete(quiet_notification);
    CHECK_NO_LEAK(before);
}

/* role=share_map pa=P: once the parent says P is shared read-only at
 * MANY_VA, map it again, read-only, many times (each walks its long list). */
ROLE(share_map)
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa = utest_arg_u32(argc, argv, "pa", 0), n = 1;
    struct msg m = { .label = 1 };
    if (ipc_call(startup_info()->parent, &m, 3000))
        return 2;
    while (n < 200 && page_map(self, MANY_VA + n * PAGE_SIZE, pa, 0) == ERR_NONE)
        n++;
    return n == 200 ? 0 : 1;
}

TEST(path_shared_frame, "a frame its owner mapped 4,000 times, passed on and mapped again by a sharer; then all undone")
{
    struct kernel_info before = kinfo_base();
    relay_handle self = startup_info()->self_task;
    struct child c;
    relay_handle exit_n, ep;
    uint32_t pa, status = 99;
    struct msg m;
    char role[48];
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(map_many(self, pa, 0), MANY_MAPS);       /* a long list to walk */
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    snprintf(role, sizeof role, "role=share_map pa=%u", pa);
    CHECK_EQ(role_spawn(role, ep, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 3000), ERR_NONE);
    CHECK_EQ(page_map(c.task, MANY_VA, pa, 0), ERR_NONE);   /* its share */
    path_reset();
    CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 3000, &status), TASK_EXITED);
    handle_delete(ep);
    path_report("shared_frame_maps");
    CHECK_EQ(status, 0);
    path_reset();
    CHECK_EQ(sys_frame_revoke(pa).r[0], MANY_MAPS);
    path_report("frame_revoke_shared");
    frame_free(pa);
    CHECK_NO_LEAK(before);
}

#define HUGE_MAPS 30000u             /* mappings of one frame: a list no call may walk */

TEST(path_share_30000, "a frame mapped 30,000 times by a task that gave it away: its next share is one step, and unmap of each is one")
{
    const struct startup_info *si = startup_info();
    relay_handle self = si->self_task, other;
    uint32_t pa, n = 0;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    /* The page tables first, mapped and unmapped a page each: made once, they stay. */
    for (uint32_t va = MANY_VA - PAGE_SIZE * 1024; va < MANY_VA + HUGE_MAPS * PAGE_SIZE; va += PAGE_SIZE * 1024)
        if (page_map(self, va, pa, 0) == ERR_NONE)
            page_unmap(self, va);
    struct kernel_info before = kinfo();
    while (n < HUGE_MAPS && page_map(self, MANY_VA + n * PAGE_SIZE, pa, 0) == ERR_NONE)
        n++;
    CHECK_EQ(n, HUGE_MAPS);
    CHECK_EQ(task_create(si->factory, HANDLE_NULL, 0, &other), ERR_NONE);
    CHECK_EQ(frame_give(other, pa, 1), ERR_NONE);   /* not ours now: mapping it again is a share */
    path_reset();
    CHECK_EQ(page_map(self, MANY_VA - PAGE_SIZE, pa, 0), ERR_NONE);
    CHECK_EQ(page_map(self, MANY_VA - 2 * PAGE_SIZE, pa, MAP_WRITABLE), ERR_NOT_OWNER);
    path_report("share_of_frame_mapped_30000");
    path_reset();
    for (uint32_t i = 0; i < n; i++)
        page_unmap(self, MANY_VA + i * PAGE_SIZE);
    page_unmap(self, MANY_VA - PAGE_SIZE);
    path_report("unmap_30000");
    handle_delete(other);                            /* the frame goes back to us with it */
    kinfo();
    frame_free(pa);
    CHECK_NO_LEAK(before);
}

TEST(path_revoke_30000, "frame_revoke of a frame mapped 30,000 times: every step bounded, all unmapped")
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa, n = 0;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    while (n < HUGE_MAPS && page_map(self, MANY_VA + n * PAGE_SIZE, pa, 0) == ERR_NONE)
        n++;
    CHECK_EQ(n, HUGE_MAPS);
    path_reset();
    struct sys_result r = sys_frame_revoke(pa);
    path_report("frame_revoke_30000");
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(r.r[0], HUGE_MAPS);
    CHECK_EQ(sys_map_query(self, MANY_VA + (HUGE_MAPS - 1) * PAGE_SIZE).error, ERR_NOT_MAPPED);
    frame_free(pa);
}
