/*
 * Running every bounded kernel resource dry: endpoints, notifications,
 * tasks, threads, a task's handle slots, the reverse map, a task's page
 * tables, the kernel's own frames.  The offender is a role (a task of its
 * own) that takes all there is and then ends without giving anything back.
 * While it holds everything the call that needs more fails with the
 * documented error (ERR_NO_MEMORY, ERR_NO_SLOT, ERR_QUOTA) and changes
 * nothing, and the suite's own calls still work; once it has ended, creating
 * works again and kernel_info shows that everything came back.
 */
#include "generic.h"

enum exhaust_kind { X_ENDPOINTS, X_NOTIFICATIONS, X_TASKS, X_THREADS, X_RMAP, X_KERNEL_FRAMES, X_SLOTS };

#define EXHAUST_LIMIT  40000u             /* no pool is bigger: a loop that gets this far is a bug */
#define THREAD_VA      0x20000000u        /* the exhaust role's threads' UTCBs */
#define RMAP_VA        0x10000000u        /* where it maps one frame again and again */
#define TABLE_SPAN     0x00400000u        /* the address space one page table covers */

/* Park a handle in a holder task's table (an empty task: nothing runs there). */
static int park(relay_handle *holder, relay_handle h)
{
    relay_handle there;
    int err = handle_give(*holder, h, RIGHTS_ALL, &there);
    if (err == ERR_NO_SLOT || *holder == HANDLE_NULL) {
        if (task_create(startup_info()->factory, HANDLE_NULL, 0, holder))
            return ERR_NO_MEMORY;
        err = handle_give(*holder, h, RIGHTS_ALL, &there);
    }
    if (err == ERR_NONE)
        handle_delete(h);
    return err;
}

/* Make objects of one kind until refused; returns how many, and the refusal in *err. */
static uint32_t exhaust(enum exhaust_kind kind, int *err)
{
    const struct startup_info *si = startup_info();
    relay_handle holder = HANDLE_NULL, h, task = HANDLE_NULL;
    uint32_t n = 0, pa = 0, va = 0;
    if ((kind == X_RMAP || kind == X_KERNEL_FRAMES) && (*err = frame_alloc(&pa)))
        return 0;
    for (*err = ERR_NONE; n < EXHAUST_LIMIT; n++) {
        switch (kind) {
        case X_ENDPOINTS:
            if (!(*err = endpoint_create(si->factory, &h)))
                *err = park(&holder, h);
            break;
        case X_NOTIFICATIONS:
            if (!(*err = notification_create(si->factory, &h)))
                *err = park(&holder, h);
            break;
        case X_TASKS:
            *err = task_create(si->factory, HANDLE_NULL, 0, &h);
            break;
        case X_THREADS:                           /* in our own task: they end with it */
            if (!(*err = thread_create(si->self_task, 0x1000, 0, THREAD_VA + n * PAGE_SIZE, 1, &h)))
                *err = park(&holder, h);
            break;
        case X_RMAP:
            *err = page_map(si->self_task, RMAP_VA + n * PAGE_SIZE, pa, 0);
            break;
        case X_KERNEL_FRAMES:                     /* page tables, 128 to a task, in empty tasks */
            va += TABLE_SPAN;
            if (task == HANDLE_NULL || (*err = page_map(task, va, pa, 0)) == ERR_QUOTA) {
                va = TABLE_SPAN;
                if (!(*err = task_create(si->factory, HANDLE_NULL, 0, &task)))
                    *err = page_map(task, va, pa, 0);
            }
            break;
        case X_SLOTS:
            *err = handle_copy(si->factory, RIGHTS_ALL, &h);
            break;
        }
        if (*err)
            break;
    }
    return n;
}

enum { EXHAUSTED = 1 };

/*
 * role=exhaust kind=N: takes all of one resource, tells its parent (words:
 * how many, the error that stopped it), waits for the answer and exits
 * without giving anything back.  With a full table (kind 6) it also checks
 * that every call needing a slot refuses, and that a handle sent in the
 * answer is dropped.
 */
ROLE(exhaust)
{
    enum exhaust_kind kind = (enum exhaust_kind)utest_arg_u32(argc, argv, "kind", 0);
    const struct startup_info *si = startup_info();
    int err;
    uint32_t n = exhaust(kind, &err), wrong = 0;
    struct msg m = { .label = EXHAUSTED, .length = 2, .w = { n, (uint32_t)err } };
    if (kind == X_SLOTS) {                        /* every call that would need a slot refuses */
        relay_handle x;
        struct kernel_info k = kinfo();
        wrong += endpoint_create(si->factory, &x) != ERR_NO_SLOT;
        wrong += notification_create(si->factory, &x) != ERR_NO_SLOT;
        wrong += task_create(si->factory, HANDLE_NULL, 0, &x) != ERR_NO_SLOT;
        wrong += thread_create(si->self_task, 0x1000, 0, THREAD_VA, 1, &x) != ERR_NO_SLOT;
        wrong += handle_mint(si->parent, 5, RIGHT_SEND, &x) != ERR_NO_SLOT;
        wrong += handle_copy(si->self_task, RIGHTS_ALL, &x) != ERR_NO_SLOT;
        struct kernel_info after = kinfo();
        wrong += after.tasks != k.tasks || after.threads != k.threads || after.endpoints != k.endpoints
                 || after.notifications != k.notifications || after.frames_free != k.frames_free;
        m.length = 3;
        m.w[2] = wrong;
    }
    if (ipc_call(si->parent, &m, 3000))
        return 1000;
    if (kind == X_SLOTS) {                        /* the reply brought a handle it had no room for */
        if ((m.flags & MSGINFO_HANDLE) || utcb_self()->recv_handle != HANDLE_NULL)
            return 1001;
        relay_handle x;                           /* one slot free again: creating works */
        if (handle_delete(si->parent) || endpoint_create(si->factory, &x))
            return 1002;
    }
    return 0;                                     /* and everything it holds goes with it */
}

enum ending { ROLE_EXITS, ROLE_KILLED };

/*
 * Start role=exhaust for kind, wait for it to report, check the refusal,
 * run `during` while it holds everything, let it end (it exits, or the
 * suite kills it while it waits for the answer), and check recovery.
 */
static void exhaust_run(enum exhaust_kind kind, int refusal, void (*during)(uint32_t made),
                        enum ending ending)
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo_base();
    relay_handle ep, exit_n;
    struct child c;
    struct msg m;
    char role[32];
    uint32_t status = 99;
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    snprintf(role, sizeof role, "role=exhaust kind=%u", (unsigned)kind);
    CHECK_EQ(role_spawn(role, ep, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 3000), ERR_NONE);
    CHECK_EQ(m.label, EXHAUSTED);
    CHECK(m.w[0] > 0 && m.w[0] < EXHAUST_LIMIT);
    CHECK_EQ(m.w[1], refusal);
    CHECK_EQ(sys_nop().error, ERR_NONE);          /* another task still gets through */
    CHECK(kinfo().tasks >= before.tasks + 1);
    if (during)
        during(m.w[0]);
    path_reset();                                 /* its end and teardown, measured */
    if (ending == ROLE_KILLED) {
        CHECK_EQ(thread_kill(c.thread), ERR_NONE);   /* its only thread: the task ends */
        CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NO_PARTNER);
        CHECK_EQ(role_wait(&c, exit_n, 3000, &status), TASK_KILLED);
        CHECK_EQ(status, TASK_STATUS_KILLED);
    } else {
        CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
        CHECK_EQ(role_wait(&c, exit_n, 3000, &status), TASK_EXITED);
        CHECK_EQ(status, 0);
    }
    handle_delete(ep);
    CHECK_NO_LEAK(before);                        /* all of it came back */
    static const char *const names[] = { "endpoints", "notifications", "tasks", "threads",
                                         "reverse_map", "kernel_frames", "slots" };
    char name[48];
    snprintf(name, sizeof name, "exhausted_%s_%s",
             (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "other",
             ending == ROLE_KILLED ? "killed" : "exits");
    path_report(name);
}

static void endpoints_gone(uint32_t made)
{
    relay_handle x;
    (void)made;
    CHECK_EQ(endpoint_create(startup_info()->factory, &x), ERR_NO_MEMORY);
    CHECK_EQ(notification_create(startup_info()->factory, &x), ERR_NONE);   /* other pools are fine */
    handle_delete(x);
}

TEST(exhaust_endpoints, "a role takes every endpoint: endpoint_create is ERR_NO_MEMORY; all come back when it exits")
{
    relay_handle x;
    exhaust_run(X_ENDPOINTS, ERR_NO_MEMORY, endpoints_gone, ROLE_EXITS);
    CHECK_EQ(endpoint_create(startup_info()->factory, &x), ERR_NONE);
    handle_delete(x);
}

static void notifications_gone(uint32_t made)
{
    relay_handle x;
    (void)made;
    CHECK_EQ(notification_create(startup_info()->factory, &x), ERR_NO_MEMORY);
    CHECK_EQ(endpoint_create(startup_info()->factory, &x), ERR_NONE);
    handle_delete(x);
}

TEST(exhaust_notifications, "a role takes every notification: ERR_NO_MEMORY; all come back when it is killed")
{
    relay_handle x;
    exhaust_run(X_NOTIFICATIONS, ERR_NO_MEMORY, notifications_gone, ROLE_KILLED);
    CHECK_EQ(notification_create(startup_info()->factory, &x), ERR_NONE);
    handle_delete(x);
}

static void tasks_gone(uint32_t made)
{
    relay_handle x;
    (void)made;
    CHECK_EQ(task_create(startup_info()->factory, HANDLE_NULL, 0, &x), ERR_NO_MEMORY);
}

TEST(exhaust_tasks, "a role takes every task: task_create is ERR_NO_MEMORY; all come back when it exits")
{
    struct target t;
    exhaust_run(X_TASKS, ERR_NO_MEMORY, tasks_gone, ROLE_EXITS);
    CHECK_EQ(target_make(&t), ERR_NONE);
    target_drop(&t);
}

static void threads_gone(uint32_t made)
{
    relay_handle task, th;
    (void)made;
    CHECK_EQ(task_create(startup_info()->factory, HANDLE_NULL, 0, &task), ERR_NONE);
    CHECK_EQ(thread_create(task, 0x1000, 0, UTCB_BASE, 1, &th), ERR_NO_MEMORY);
    CHECK_EQ(sys_map_query(task, UTCB_BASE).error, ERR_NOT_MAPPED);   /* no UTCB left behind */
    handle_delete(task);
}

TEST(exhaust_threads, "a role takes every thread: thread_create is ERR_NO_MEMORY, maps nothing; all come back")
{
    struct target t;
    exhaust_run(X_THREADS, ERR_NO_MEMORY, threads_gone, ROLE_EXITS);
    CHECK_EQ(target_make(&t), ERR_NONE);
    target_drop(&t);
}

static void rmap_gone(uint32_t made)
{
    struct target t;
    uint32_t pa;
    (void)made;
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(t.task, 0x10000000u, pa, 0), ERR_NO_MEMORY);
    CHECK_EQ(sys_map_query(t.task, 0x10000000u).error, ERR_NOT_MAPPED);   /* undone */
    frame_free(pa);
    target_drop(&t);
}

TEST(exhaust_reverse_map, "a role maps one frame until the reverse map is full: ERR_NO_MEMORY, nothing mapped; killed, all back")
{
    struct target t;
    uint32_t pa;
    exhaust_run(X_RMAP, ERR_NO_MEMORY, rmap_gone, ROLE_KILLED);
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(t.task, 0x10000000u, pa, 0), ERR_NONE);
    target_drop(&t);
    frame_free(pa);
}

static void kernel_frames_gone(uint32_t made)
{
    relay_handle x;
    struct target t = { HANDLE_NULL, HANDLE_NULL };
    (void)made;
    CHECK_EQ(kinfo().frames_free, 0);
    CHECK_EQ(task_create(startup_info()->factory, HANDLE_NULL, 0, &x), ERR_NO_MEMORY);
    CHECK_EQ(thread_create(startup_info()->self_task, 0x1000, 0, 0x07000000u, 1, &x), ERR_NO_MEMORY);
    CHECK_EQ(sys_map_query(startup_info()->self_task, 0x07000000u).error, ERR_NOT_MAPPED);
    CHECK_EQ(endpoint_create(startup_info()->factory, &x), ERR_NONE);   /* pools need no frames */
    handle_delete(x);
    CHECK(target_make(&t) == ERR_NO_MEMORY);
}

TEST(exhaust_kernel_frames, "a role takes every kernel frame as page tables: ERR_NO_MEMORY where one is needed; all come back")
{
    struct target t;
    exhaust_run(X_KERNEL_FRAMES, ERR_NO_MEMORY, kernel_frames_gone, ROLE_EXITS);
    exhaust_run(X_KERNEL_FRAMES, ERR_NO_MEMORY, kernel_frames_gone, ROLE_KILLED);
    CHECK_EQ(target_make(&t), ERR_NONE);
    target_drop(&t);
}

TEST(exhaust_handle_slots, "a full handle table: every call that needs a slot is ERR_NO_SLOT, a handle sent there is dropped")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo_base();
    relay_handle ep, exit_n, x;
    struct child c;
    struct msg m;
    uint32_t status = 99;
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    CHECK_EQ(role_spawn("role=exhaust kind=6", ep, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 3000), ERR_NONE);
    CHECK_EQ(m.label, EXHAUSTED);
    CHECK_EQ(m.w[1], ERR_NO_SLOT);
    CHECK(m.w[0] >= HANDLE_SLOTS - 8);
    CHECK_EQ(m.w[2], 0);                          /* each create refused, and nothing made */
    CHECK_EQ(handle_give(c.task, ep, RIGHT_SEND, &x), ERR_NO_SLOT);
    struct kernel_info full = kinfo();
    CHECK_EQ(ipc_reply(&(struct msg){ .flags = MSGINFO_HANDLE, .handle = ep }), ERR_NONE);
    CHECK_EQ(kinfo().endpoints, full.endpoints);
    CHECK_EQ(role_wait(&c, exit_n, 3000, &status), TASK_EXITED);
    CHECK_EQ(status, 0);                          /* the handle did not arrive; deleting freed a slot */
    handle_delete(ep);
    CHECK_NO_LEAK(before);
}

TEST(exhaust_page_tables, "map past a task's 128 page tables is ERR_QUOTA and takes no frame; all come back with the task")
{
    struct kernel_info before = kinfo();
    struct target t;
    uint32_t pa, tables = 0, va = TABLE_SPAN;
    int err = ERR_NONE;
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    for (; va < USER_TOP && (err = page_map(t.task, va, pa, 0)) == ERR_NONE; va += TABLE_SPAN)
        tables++;
    CHECK_EQ(err, ERR_QUOTA);
    CHECK(tables >= 120 && tables <= 128);        /* the UTCB's table is one of the 128 */
    uint32_t frames = kinfo().frames_free;
    CHECK_EQ(page_map(t.task, va, pa, 0), ERR_QUOTA);
    CHECK_EQ(page_map(t.task, va + TABLE_SPAN, pa, 0), ERR_QUOTA);
    CHECK_EQ(kinfo().frames_free, frames);
    CHECK_EQ(sys_map_query(t.task, va).error, ERR_NOT_MAPPED);
    CHECK_EQ(page_map(t.task, TABLE_SPAN + PAGE_SIZE, pa, 0), ERR_NONE);   /* a table it has: fine */
    target_drop(&t);
    frame_free(pa);
    CHECK_NO_LEAK(before);
}

#define ORPHANS 3

/* role=orphans: makes ORPHANS tasks, each with a thread it never starts, and exits holding them. */
ROLE(orphans)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    for (int i = 0; i < ORPHANS; i++) {
        relay_handle task, thread;
        int err = task_create(si->factory, HANDLE_NULL, 0, &task);
        if (err || (err = thread_create(task, 0x1000, 0, UTCB_BASE, 1, &thread)))
            return 100 + err;
    }
    return 0;
}

TEST(orphans_reclaimed, "3 tasks whose threads never started, left by a role that exits: the kernel takes them back")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=orphans", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_for(2);
    CHECK_NO_LEAK(before);
}

/* role=self_held: tasks that hold handles only to themselves -- one empty,
 * one with a thread it never started, one lent frames it lent back in
 * turn -- and exits holding none of them. */
ROLE(self_held)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle empty, task, thread, given;
    uint32_t pa;
    if (task_create(si->factory, HANDLE_NULL, 0, &empty)
        || handle_give(empty, empty, RIGHT_CONTROL, &given)
        || task_create(si->factory, HANDLE_NULL, 0, &task)
        || thread_create(task, 0x1000, 0, UTCB_BASE, 1, &thread)
        || handle_give(task, task, RIGHT_CONTROL, &given)
        || handle_give(task, thread, RIGHT_CONTROL, &given)
        || frame_alloc(&pa) || sys_frame_give(task, pa, 1).error)
        return 100;
    handle_delete(empty);                          /* held now by itself alone */
    handle_delete(thread);
    handle_delete(task);
    return 0;
}

TEST(self_held_reclaimed, "tasks holding handles only to themselves and their unstarted threads end, their frames back")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=self_held", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    struct child lent = c;                         /* role_wait forgets the spans */
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_for(2);
    CHECK_NO_LEAK(before);
    for (uint32_t i = 0; i < lent.span_count; i++)   /* the frame it lent on came back through it */
        for (uint32_t pa = lent.spans[i].start; pa < lent.spans[i].end; pa += PAGE_SIZE)
            CHECK_EQ(sys_frame_give(startup_info()->self_task, pa, 1).error, ERR_NONE);
}

/* role=cycle: two tasks, each holding a handle to the other and one of them
 * to a thread of the other it never started, and frames lent to one; then
 * it drops its own handles and exits. */
ROLE(cycle)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle a, b, thread, given;
    uint32_t pa;
    if (task_create(si->factory, HANDLE_NULL, 0, &a) || task_create(si->factory, HANDLE_NULL, 0, &b)
        || thread_create(b, 0x1000, 0, UTCB_BASE, 1, &thread)
        || handle_give(a, b, RIGHT_CONTROL, &given) || handle_give(b, a, RIGHT_CONTROL, &given)
        || handle_give(a, thread, RIGHT_CONTROL, &given)
        || frame_alloc(&pa) || sys_frame_give(a, pa, 1).error)
        return 100;
    handle_delete(thread);
    handle_delete(a);
    handle_delete(b);
    sleep_for(2);                                  /* alive, out of reach but for each other */
    return 0;
}

TEST(created_end_with_creator, "two tasks holding each other, out of everyone else's reach, end with the task that made them")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=cycle", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    struct child lent = c;
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_for(2);
    CHECK_NO_LEAK(before);
    for (uint32_t i = 0; i < lent.span_count; i++)
        for (uint32_t pa = lent.spans[i].start; pa < lent.spans[i].end; pa += PAGE_SIZE)
            CHECK_EQ(sys_frame_give(startup_info()->self_task, pa, 1).error, ERR_NONE);
}

/* role=suspend_self: its only thread suspends itself for good. */
ROLE(suspend_self)
{
    (void)argc, (void)argv;
    sys_thread_suspend(startup_info()->self_thread);
    return 100;                                    /* never: nothing can resume it */
}

TEST(self_suspended_reclaimed, "a program whose only thread suspends itself ends once its parent lets go of it")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t bits = 0;
    CHECK_EQ(role_spawn("role=suspend_self", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    sleep_for(2);
    CHECK_EQ(notify_wait(exit_n, &bits, TIMEOUT_POLL), ERR_TIMEOUT);   /* held by its parent: alive */
    handle_delete(c.task);                         /* let go: only its own handles hold it now */
    handle_delete(c.thread);
    c.task = c.thread = HANDLE_NULL;
    CHECK_EQ(notify_wait(exit_n, &bits, 500), ERR_NONE);
    spawn_release(&c);
    handle_delete(exit_n);
    sleep_for(2);
    CHECK_NO_LEAK(before);
}

#define NOTICES_QUEUED 16u                /* ABI.md section 8: notices that wait in the kernel */
#define FAULTERS       20u

static void fault_unhandled(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)0x0BAD2000u = 1;       /* no handler in this task: killed, with a notice */
}

/* role=faulters: FAULTERS threads, each killed by a #PF nobody handles. */
ROLE(faulters)
{
    (void)argc, (void)argv;
    relay_handle n;
    uint32_t bits;
    if (notification_create(startup_info()->factory, &n))
        return 100;
    for (uint32_t i = 0; i < FAULTERS; i++) {
        struct thread *t;
        struct thread_spec spec = { fault_unhandled, 0, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
        if (thread_spawn(&spec, &t))
            return 101;
    }
    notify_wait(n, &bits, 20);                    /* they run and die meanwhile */
    return 0;
}

TEST(exhaust_notices, "20 unhandled faults, nobody listening: 16 notices wait, 4 counted lost; the queue works again")
{
    struct kernel_info before = kinfo_base();
    struct fault_record n;
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99, lost = 0, taken = 0;
    while (take_notice(&n, TIMEOUT_POLL) == ERR_NONE)
        ;                                         /* notices of earlier tests */
    CHECK_EQ(kinfo().notices_queued, 0);
    CHECK_EQ(role_spawn("role=faulters", HANDLE_NULL, MAIN_PRIORITY - 1, 80, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(kinfo().notices_queued, NOTICES_QUEUED);
    while (take_notice(&n, TIMEOUT_POLL) == ERR_NONE) {
        taken++;
        lost += n.lost;
        CHECK_EQ(n.reason, NOTICE_NO_HANDLER);
        CHECK_EQ(n.cr2, 0x0BAD2000u);
    }
    CHECK_EQ(taken, NOTICES_QUEUED);
    CHECK_EQ(lost, 0);                            /* those dropped are told with the next one */
    CHECK_EQ(kinfo().notices_queued, 0);
    CHECK_EQ(role_spawn("role=page_faulter", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_KILLED);
    CHECK_EQ(take_notice(&n, 100), ERR_NONE);
    CHECK_EQ(n.cr2, 0x0BAD1000u);
    CHECK_EQ(n.lost, FAULTERS - NOTICES_QUEUED);
    CHECK_NO_LEAK(before);
}
