/*
 * Kernel objects under attack: graphs built to make teardown deep, tasks used
 * while they end, failed calls that must change nothing, authority that must
 * be held as a capability.
 */
#include "hostile.h"

#define CHAIN_TASKS 40

TEST(teardown_chain, "40 empty tasks, each holding the only handle to the next, all end when the head goes")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo();
    relay_handle t[CHAIN_TASKS];
    for (int i = 0; i < CHAIN_TASKS; i++)
        CHECK_EQ(task_create(si->factory, HANDLE_NULL, 0, &t[i]), ERR_NONE);
    for (int i = CHAIN_TASKS - 1; i > 0; i--) {
        relay_handle in_prev;
        CHECK_EQ(handle_give(t[i - 1], t[i], RIGHT_CONTROL, &in_prev), ERR_NONE);
        CHECK_EQ(handle_delete(t[i]), ERR_NONE);      /* t[i-1] holds the only one now */
    }
    CHECK_EQ(kinfo().tasks, before.tasks + CHAIN_TASKS);
    CHECK_EQ(handle_delete(t[0]), ERR_NONE);
    sleep_ticks(1);
    CHECK_NO_LEAK(before);
}

static relay_handle ending_task, ending_exit;
static volatile int query_error = -1;

static void query_when_ended(void *arg)
{
    (void)arg;
    uint32_t bits;
    notify_wait(ending_exit, &bits, TIMEOUT_FOREVER);
    query_error = (int)sys_map_query(ending_task, 0x00400000).error;
    sys_thread_create(ending_task, 0x1000, 0, 0x7000000, 1);
}

TEST(ended_task_is_dead, "a task woken by another's end finds it dead (ERR_DELETED), never half torn down")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo();
    relay_handle th;
    CHECK_EQ(notification_create(si->factory, &ending_exit), ERR_NONE);
    CHECK_EQ(task_create(si->factory, ending_exit, 1, &ending_task), ERR_NONE);
    CHECK_EQ(thread_create(ending_task, 0x1000, 0, UTCB_BASE, 1, &th), ERR_NONE);
    struct thread *w;
    struct thread_spec spec = { query_when_ended, 0, MAIN_PRIORITY + 1, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &w), ERR_NONE);
    CHECK_EQ(thread_kill(th), ERR_NONE);              /* its last thread: the task ends */
    sleep_ticks(2);
    CHECK_EQ(query_error, ERR_DELETED);
    uint32_t state, status;
    CHECK_EQ(task_status(ending_task, &state, &status), ERR_NONE);
    CHECK_EQ(state, TASK_KILLED);
    thread_release(w);
    handle_delete(th);
    handle_delete(ending_task);
    handle_delete(ending_exit);
    CHECK_NO_LEAK(before);
}

TEST(failed_create_changes_nothing, "thread_create that fails for want of memory in the task's factory leaves the task alive and usable")
{
    const struct startup_info *si = startup_info();
    relay_handle f, task, th, eps[64];
    uint32_t pa, n = 0;
    struct kernel_info before = kinfo();
    CHECK_EQ(factory_create(si->factory, &f), ERR_NONE);
    CHECK_EQ(frame_alloc_range(4, &pa), ERR_NONE);
    CHECK_EQ(factory_give(f, pa, 4), ERR_NONE);
    CHECK_EQ(task_create(f, HANDLE_NULL, 0, &task), ERR_NONE);   /* a cell page and a directory */
    CHECK_EQ(thread_create(task, 0x1000, 0, UTCB_BASE, 1, &th), ERR_NO_MEMORY);  /* needs 3 more */
    uint32_t frames, free, objects;
    CHECK_EQ(factory_status(f, &frames, &free, &objects), ERR_NONE);
    CHECK_EQ(objects, 1);                             /* the task, and nothing of the thread */
    uint32_t state = 99, status;
    CHECK_EQ(task_status(task, &state, &status), ERR_NONE);
    CHECK_EQ(state, TASK_ALIVE);
    while (n < 64 && endpoint_create(f, &eps[n]) == ERR_NONE)   /* its cell page has room */
        n++;
    CHECK(n > 0);
    while (n)
        handle_delete(eps[--n]);
    handle_delete(task);
    handle_delete(f);
    kinfo();
    frame_free_range(pa, 4);
    CHECK_NO_LEAK(before);
}

TEST(supervisor_is_a_capability, "the factory does not make its holder the supervisor")
{
    const struct startup_info *si = startup_info();
    relay_handle ep;
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    CHECK_EQ(sys_supervisor_set(si->factory, ep).error, ERR_WRONG_TYPE);
    handle_delete(ep);
}

TEST(priority_bounded, "a thread cannot be created above its creator's maximum priority")
{
    relay_handle th;
    CHECK_EQ(thread_create(startup_info()->self_task, 0x1000, 0, 0x7000000, THREAD_PRIORITY_MAX, &th),
             ERR_NO_RIGHTS);
}

ROLE(supervise_then_exit)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle ep, send_only;
    struct msg m = { .label = 1 };
    if (ipc_call(si->parent, &m, 100) || !(m.flags & MSGINFO_HANDLE))   /* the capability */
        return 1;
    if (endpoint_create(si->factory, &ep) || sys_supervisor_set(m.handle, ep).error
        || handle_copy(ep, RIGHT_SEND, &send_only))
        return 2;
    m = (struct msg){ .label = 2, .flags = MSGINFO_HANDLE, .handle = send_only };
    return ipc_call(si->parent, &m, 100) ? 3 : 0;    /* a send handle to it, then gone */
}

TEST(supervisor_gone, "when the supervisor's task ends, its endpoint goes: senders get ERR_NO_PARTNER")
{
    const struct startup_info *si = startup_info();
    relay_handle ep;
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(role_spawn("role=supervise_then_exit", ep, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, 100), ERR_NONE);          /* it asks for the capability */
    CHECK_EQ(ipc_reply(&(struct msg){ .flags = MSGINFO_HANDLE, .handle = si->supervisor }), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 100), ERR_NONE);
    CHECK(m.flags & MSGINFO_HANDLE);
    relay_handle theirs = m.handle;
    CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 100, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(ipc_send(theirs, 7, 0, 0, 10), ERR_NO_PARTNER);
    handle_delete(theirs);
    handle_delete(ep);
    hostile_restore_supervisor();
}

TEST(invariants_hold, "after everything above, the kernel's invariant checker finds nothing broken")
{
    struct kernel_info k;
    CHECK_EQ(kernel_info_settled(&k), ERR_NONE);
    struct kernel_check c = { 0 };
    path_reset();                                     /* what is left of the meter, counted */
    int err = (int)sys_kernel_check((uint32_t)&c, 0).error;
    CHECK(err == ERR_NONE || err == ERR_NO_SYSCALL);
    CHECK_EQ(c.violations, 0);
    if (err == ERR_NONE) {
        printf("  checked %u things; the longest kernel path of the whole suite: %u (vector %u, eax 0x%x)\n",
               c.checked, longest_path_seen, longest_path_vector, longest_path_eax);
        printf("BENCH longest_kernel_path %u\n", longest_path_seen);
        if (path_bounded)
            CHECK(longest_path_seen <= LONGEST_PATH_BOUND);
    }
}
