/*
 * Every argument of every call that takes a handle, given handles that are
 * wrong in each way ABI.md section 2 names: never issued (0, slot 0, a slot
 * never used, generations flipped), stale (deleted; deleted and the slot
 * reused), naming a destroyed object, of the wrong type, without the right.
 * The error is the first of ERR_BAD_HANDLE, ERR_STALE_HANDLE, ERR_DELETED,
 * ERR_WRONG_TYPE, ERR_NO_RIGHTS that applies, in that order, and nothing
 * happens.
 */
#include "generic.h"

enum kind { K_ANY, K_ENDPOINT, K_NOTIFICATION, K_TASK, K_THREAD, K_FACTORY, K_SUPERVISOR, KINDS };
static const char *const kind_name[KINDS] = { "any", "endpoint", "notification", "task", "thread",
                                              "factory", "supervisor" };

#define FINDS   1u  /* the call finds a handle whatever became of its object (task_status, handle_delete) */
#define NULL_OK 2u  /* HANDLE_NULL here means "none" (an exit notification, unbind, no handler) */

struct handle_use {
    uint8_t nr, arg;                  /* the call, and which argument is the handle */
    uint8_t kind, rights;             /* what it must name, with which rights */
    uint8_t flags;
};

static const struct handle_use uses[] = {
    { SYS_send, 0, K_ENDPOINT, RIGHT_SEND, 0 },
    { SYS_recv, 0, K_ENDPOINT, RIGHT_RECV, 0 },
    { SYS_call, 0, K_ENDPOINT, RIGHT_SEND, 0 },
    { SYS_reply_recv, 0, K_ENDPOINT, RIGHT_RECV, 0 },
    { SYS_signal, 0, K_NOTIFICATION, RIGHT_SEND, 0 },
    { SYS_wait, 0, K_NOTIFICATION, RIGHT_RECV, 0 },
    { SYS_endpoint_create, 0, K_FACTORY, RIGHT_CONTROL, 0 },
    { SYS_notification_create, 0, K_FACTORY, RIGHT_CONTROL, 0 },
    { SYS_task_create, 0, K_FACTORY, RIGHT_CONTROL, 0 },
    { SYS_task_create, 1, K_NOTIFICATION, RIGHT_SEND, NULL_OK },
    { SYS_thread_create, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_thread_start, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_suspend, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_resume, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_kill, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_read_regs, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_write_regs, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_handle_mint, 0, K_ANY, 0, 0 },
    { SYS_handle_copy, 0, K_ANY, 0, 0 },
    { SYS_handle_delete, 0, K_ANY, 0, FINDS },
    { SYS_handle_revoke, 0, K_ANY, 0, 0 },
    { SYS_notification_bind, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_notification_bind, 1, K_NOTIFICATION, RIGHT_RECV, NULL_OK },
    { SYS_task_status, 0, K_TASK, RIGHT_CONTROL, FINDS },
    { SYS_map, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_unmap, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_frame_give, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_handle_give, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_handle_give, 1, K_ANY, 0, 0 },
    { SYS_thread_set_handler, 0, K_THREAD, RIGHT_CONTROL, 0 },
    { SYS_thread_set_handler, 2, K_ENDPOINT, RIGHT_SEND, NULL_OK },
    { SYS_supervisor_set, 0, K_SUPERVISOR, RIGHT_CONTROL, 0 },
    { SYS_supervisor_set, 1, K_ENDPOINT, RIGHT_RECV, 0 },
    { SYS_map_query, 0, K_TASK, RIGHT_CONTROL, 0 },
    { SYS_thread_set_priority, 0, K_THREAD, RIGHT_CONTROL, 0 },
};
#define USES (sizeof uses / sizeof uses[0])

/* The last slot at the last generation: past any table a test run grows, and never issued. */
#define NEVER_ISSUED ((HANDLE_SLOTS - 1) | HANDLE_GEN_MAX << HANDLE_SLOT_BITS)
#define GEN_BITS (~(HANDLE_SLOTS - 1))                 /* every generation bit */

/* The ways a handle can be wrong. */
enum bad {
    B_NULL, B_SLOT0, B_SLOT0_ALL, B_NEVER_ISSUED, B_GEN_ZERO, B_GEN_UP, B_GEN_FLIPPED,
    B_DELETED, B_REUSED, B_DEAD, B_DEAD_NO_RIGHTS, B_WRONG_TYPE, B_WRONG_TYPE_NO_RIGHTS,
    B_NO_RIGHTS, BADS
};
static const char *const bad_name[BADS] = {
    "0", "slot 0, generation 1", "slot 0, every generation bit", "a generation never issued",
    "generation 0", "generation + 1", "generation bits flipped", "deleted", "deleted, slot reused",
    "a killed thread", "a killed thread, no rights", "wrong type", "wrong type, no rights",
    "without the right",
};

/* What the test holds: a good handle of each kind, and the bad ones. */
static struct {
    relay_handle good[KINDS];
    relay_handle deleted, reused, dead_thread, dead_no_rights;
    relay_handle no_rights[KINDS][RIGHT_CONTROL * 2];   /* [kind][right]: every right but that one */
    relay_handle wrong_no_rights[KINDS];
    uint32_t pa;
    struct relay_regs regs;
} h;
static uint32_t wrong_results;

static enum kind wrong_kind(enum kind k)
{
    switch (k) {
    case K_ENDPOINT: return K_NOTIFICATION;
    case K_TASK: return K_THREAD;
    case K_SUPERVISOR: return K_FACTORY;
    default: return K_ENDPOINT;
    }
}

/* The handle number to pass, and the error the ABI says it gets; 0 if this case does not apply. */
static int bad_handle(const struct handle_use *u, enum bad b, relay_handle *number, uint32_t *want)
{
    relay_handle good = h.good[u->kind == K_ANY ? K_ENDPOINT : u->kind];
    uint32_t gen = HANDLE_GEN(good), slot = HANDLE_SLOT(good);
    int typed = u->kind != K_ANY, finds = u->flags & FINDS;
    *want = ERR_BAD_HANDLE;
    switch (b) {
    case B_NULL: *number = HANDLE_NULL; return !(u->flags & NULL_OK);
    case B_SLOT0: *number = 1u << HANDLE_SLOT_BITS; return 1;
    case B_SLOT0_ALL: *number = GEN_BITS; return 1;
    case B_NEVER_ISSUED: *number = NEVER_ISSUED; return 1;
    case B_GEN_ZERO: *number = slot; return 1;
    case B_GEN_UP: *number = slot | (gen + 1) << HANDLE_SLOT_BITS; return 1;
    case B_GEN_FLIPPED: *number = good ^ GEN_BITS; return 1;
    case B_DELETED: *number = h.deleted; *want = ERR_STALE_HANDLE; return 1;
    case B_REUSED: *number = h.reused; *want = ERR_STALE_HANDLE; return 1;
    case B_DEAD:
    case B_DEAD_NO_RIGHTS:
        *number = b == B_DEAD ? h.dead_thread : h.dead_no_rights;
        *want = !finds ? ERR_DELETED : u->kind == K_TASK ? ERR_WRONG_TYPE : ERR_NONE;
        return *want != ERR_NONE;                     /* handle_delete would just delete it */
    case B_WRONG_TYPE:
        *number = h.good[wrong_kind(u->kind)];
        *want = ERR_WRONG_TYPE;
        return typed && u->nr != SYS_handle_delete;
    case B_WRONG_TYPE_NO_RIGHTS:
        *number = h.wrong_no_rights[wrong_kind(u->kind)];
        *want = ERR_WRONG_TYPE;                       /* the type is checked before the rights */
        return typed;
    case B_NO_RIGHTS:
        *number = h.no_rights[u->kind][u->rights];
        *want = ERR_NO_RIGHTS;
        return typed;
    default:
        return 0;
    }
}

/* Harmless arguments for u's call, every handle in them good. */
static void base_args(const struct handle_use *u, uint32_t a[6])
{
    for (int i = 0; i < 6; i++)
        a[i] = 0;
    switch (u->nr) {
    case SYS_task_create:
        a[0] = h.good[K_FACTORY], a[1] = h.good[K_NOTIFICATION];
        break;
    case SYS_thread_create:
        a[1] = 0x1000, a[3] = UTCB_BASE + PAGE_SIZE, a[4] = 1;
        break;
    case SYS_thread_read_regs:
    case SYS_thread_write_regs:
        a[1] = (uint32_t)&h.regs;
        break;
    case SYS_handle_mint:
        a[1] = 7, a[2] = RIGHTS_ALL;
        break;
    case SYS_handle_copy:
        a[1] = RIGHTS_ALL;
        break;
    case SYS_notification_bind:
        a[0] = h.good[K_THREAD], a[1] = h.good[K_NOTIFICATION];
        break;
    case SYS_map:
        a[1] = 0x60000000u, a[2] = h.pa;
        break;
    case SYS_unmap:
    case SYS_map_query:
        a[1] = 0x60000000u;
        break;
    case SYS_frame_give:
        a[1] = h.pa;                                  /* a count of 0: nothing would move */
        break;
    case SYS_handle_give:
        a[0] = h.good[K_TASK], a[1] = h.good[K_ENDPOINT], a[2] = RIGHTS_ALL;
        break;
    case SYS_thread_set_handler:
        a[0] = h.good[K_THREAD], a[1] = HANDLER_EXCEPTION, a[2] = h.good[K_ENDPOINT];
        break;
    case SYS_supervisor_set:
        a[0] = h.good[K_SUPERVISOR], a[1] = h.good[K_ENDPOINT];
        break;
    case SYS_thread_set_priority:
        a[1] = 1, a[2] = 1;
        break;
    default:
        break;
    }
}

static void try_all(void)
{
    for (uint32_t i = 0; i < USES; i++) {
        const struct handle_use *u = &uses[i];
        for (enum bad b = 0; b < BADS; b++) {
            relay_handle number;
            uint32_t want, a[6];
            if (!bad_handle(u, b, &number, &want))
                continue;
            base_args(u, a);
            a[u->arg] = number;
            /* blocking calls both polled and unbounded (the fast path's precondition) */
            for (uint32_t timeout = TIMEOUT_POLL;; timeout = TIMEOUT_FOREVER) {
                uint32_t got = relay_syscall(RELAY_SYSNR(u->nr, timeout), a).error;
                if (got != want && wrong_results++ < 8)
                    printf("  %s argument %u (%s), %s handle 0x%x, timeout 0x%x: %s, the ABI says %s\n",
                           relay_syscall_name(u->nr), u->arg, kind_name[u->kind], bad_name[b], number,
                           timeout, strerror((int)got), strerror((int)want));
                if (timeout == TIMEOUT_FOREVER || (u->nr != SYS_call && u->nr != SYS_reply_recv
                                                   && u->nr != SYS_recv && u->nr != SYS_wait))
                    break;
            }
        }
    }
}

static int make_handles(struct target *t)
{
    const struct startup_info *si = startup_info();
    relay_handle dead_task, extra[256];
    uint32_t n = 0;
    if (frame_alloc(&h.pa) || target_make(t))
        return 0;
    h.good[K_TASK] = t->task;
    h.good[K_THREAD] = t->thread;
    h.good[K_FACTORY] = si->factory;
    h.good[K_SUPERVISOR] = si->supervisor;
    if (endpoint_create(si->factory, &h.good[K_ENDPOINT])
        || notification_create(si->factory, &h.good[K_NOTIFICATION]))
        return 0;
    /* deleted, and its slot taken by a new handle (another object, another type) */
    if (endpoint_create(si->factory, &h.reused) || handle_delete(h.reused))
        return 0;
    relay_handle taker;
    while (n < 256 && notification_create(si->factory, &taker) == ERR_NONE) {
        extra[n++] = taker;
        if (HANDLE_SLOT(taker) == HANDLE_SLOT(h.reused))
            break;
    }
    if (HANDLE_SLOT(taker) != HANDLE_SLOT(h.reused) || taker == h.reused)
        return 0;
    for (uint32_t i = 0; i + 1 < n; i++)
        handle_delete(extra[i]);
    h.good[K_ANY] = taker;                            /* keep the slot taken; dropped at the end */
    /* a thread that was killed, and with it its task (a copy without rights made before) */
    if (task_create(si->factory, HANDLE_NULL, 0, &dead_task)
        || thread_create(dead_task, 0x1000, 0, UTCB_BASE, 1, &h.dead_thread)
        || handle_copy(h.dead_thread, 0, &h.dead_no_rights)
        || thread_kill(h.dead_thread) || handle_delete(dead_task))
        return 0;
    for (enum kind k = K_ENDPOINT; k < KINDS; k++) {
        if (handle_copy(h.good[k], 0, &h.wrong_no_rights[k]))
            return 0;
        for (uint32_t r = RIGHT_SEND; r <= RIGHT_CONTROL; r <<= 1)
            if (handle_copy(h.good[k], RIGHTS_ALL & ~r, &h.no_rights[k][r]))
                return 0;
    }
    /* deleted last, a free slot below it: the next new handle (the victim's) goes there */
    relay_handle below;
    if (endpoint_create(si->factory, &below) || endpoint_create(si->factory, &h.deleted)
        || handle_delete(h.deleted) || handle_delete(below))
        return 0;
    return HANDLE_SLOT(below) < HANDLE_SLOT(h.deleted);
}

static void drop_handles(struct target *t)
{
    for (enum kind k = K_ENDPOINT; k < KINDS; k++) {
        handle_delete(h.wrong_no_rights[k]);
        for (uint32_t r = RIGHT_SEND; r <= RIGHT_CONTROL; r <<= 1)
            handle_delete(h.no_rights[k][r]);
    }
    handle_delete(h.dead_thread);
    handle_delete(h.dead_no_rights);
    handle_delete(h.good[K_ANY]);
    handle_delete(h.good[K_ENDPOINT]);
    handle_delete(h.good[K_NOTIFICATION]);
    target_drop(t);
    frame_free(h.pa);
}

TEST(handles_bad_everywhere, "bad handles of every kind in every handle argument: the ABI's error, in its order, nothing done")
{
    struct kernel_info before = kinfo();
    struct target t;
    memset(&h, 0, sizeof h);
    if (!make_handles(&t)) {
        CHECK(!"the handles to try could be made");
        return;
    }
    struct kernel_info made = kinfo();
    wrong_results = 0;
    answer = REPLY_KILL_THREAD;
    CHECK(run_victim(try_all, 1000));                  /* a call that blocks ends only the victim */
    answer = REPLY_SKIP;
    CHECK_EQ(wrong_results, 0);
    struct kernel_info after = kinfo();               /* nothing was made or destroyed */
    CHECK_EQ(after.tasks, made.tasks);
    CHECK_EQ(after.threads, made.threads);
    CHECK_EQ(after.endpoints, made.endpoints);
    CHECK_EQ(after.notifications, made.notifications);
    uint32_t state = 99, status;
    CHECK_EQ(task_status(t.task, &state, &status), ERR_NONE);
    CHECK_EQ(state, TASK_ALIVE);                      /* the target was not killed */
    CHECK_EQ(sys_map_query(t.task, 0x60000000u).error, ERR_NOT_MAPPED);
    drop_handles(&t);
    hostile_restore_supervisor();
    CHECK_NO_LEAK(before);
}

static relay_handle carried_ep;
static volatile uint32_t carried_label, carried_flags;
static volatile int carried_err = -1;

static void carried_receiver(void *arg)
{
    struct msg m;
    (void)arg;
    carried_err = ipc_recv(carried_ep, &m, 100);
    carried_label = m.label;
    carried_flags = m.flags;
}

TEST(handles_carried_bad, "a message or reply carrying a never-issued, stale or dead handle: its error, nothing delivered")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo();
    struct target t;
    struct thread *receiver;
    relay_handle deleted, no_grant;
    CHECK_EQ(endpoint_create(si->factory, &carried_ep), ERR_NONE);
    CHECK_EQ(handle_copy(carried_ep, RIGHTS_ALL & ~RIGHT_GRANT, &no_grant), ERR_NONE);
    CHECK_EQ(endpoint_create(si->factory, &deleted), ERR_NONE);
    CHECK_EQ(handle_delete(deleted), ERR_NONE);
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(thread_kill(t.thread), ERR_NONE);        /* t.thread now names a dead thread */
    struct thread_spec spec = { carried_receiver, 0, MAIN_PRIORITY + 1, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &receiver), ERR_NONE);   /* waits on the endpoint */
    struct utcb *u = utcb_self();
    const uint32_t info = msginfo(5, 0, MSGINFO_HANDLE);
    relay_handle numbers[] = { HANDLE_NULL, NEVER_ISSUED, carried_ep ^ GEN_BITS,
                               deleted, t.thread };
    uint32_t wants[] = { ERR_BAD_HANDLE, ERR_BAD_HANDLE, ERR_BAD_HANDLE, ERR_STALE_HANDLE, ERR_DELETED };
    for (uint32_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        u->send_handle = numbers[i];
        CHECK_EQ(sys_send_timeout(TIMEOUT_POLL, carried_ep, info, 0, 0, 0, 0).error, wants[i]);
        CHECK_EQ(sys_call_timeout(TIMEOUT_POLL, carried_ep, info, 0, 0, 0, 0).error, wants[i]);
        CHECK_EQ(sys_reply(0, info, 0, 0, 0, 0).error, wants[i]);   /* before "nobody to reply to" */
        CHECK_EQ(sys_send_timeout(TIMEOUT_POLL, no_grant, info, 0, 0, 0, 0).error, ERR_NO_RIGHTS);
    }
    u->send_handle = HANDLE_NULL;
    CHECK_EQ(carried_err, -1);                        /* nothing reached the receiver ... */
    CHECK_EQ(ipc_send(carried_ep, 99, 0, 0, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(carried_err, ERR_NONE);                  /* ... which was waiting all along */
    CHECK_EQ(carried_label, 99);
    CHECK_EQ(carried_flags & MSGINFO_HANDLE, 0);
    thread_release(receiver);
    handle_delete(no_grant);
    handle_delete(carried_ep);
    handle_delete(t.thread);
    handle_delete(t.task);
    CHECK_NO_LEAK(before);
}
