/*
 * The differential test: a seeded random sequence of calls (short and
 * long, badged, carrying a handle, with a finite timeout; to servers that
 * outrank us, to one below us, to one in another task), faults (answered
 * with RESUME, refused, or killed), and signals (to waiters above and
 * below us, twice before they run, to ourselves and polled), every result
 * -- error, badge, label, length, flags, words, what the waiter and the
 * victim saw -- folded into a 32-bit FNV-1a hash.  Each run prints
 *
 *   fastpath-digest: seed=S ops=N words=W hash=H
 *
 * and tests/system/fastpath/run compares the line of a run with the fast
 * paths with that of a run booted with `nofastpath`: the fast paths must
 * not change a single result.  Nothing depends on the clock (the finite
 * timeouts are the longest there are, to servers that answer at once) and
 * every thread has a priority of its own, so the order of events is fixed.
 */
#include "fastpath.h"
#include "../fuzz/rng.h"

extern int suite_argc;
extern char **suite_argv;

static uint32_t digest = 2166136261u, words, ops;

static void record(uint32_t w)
{
    for (int i = 0; i < 4; i++) {
        digest ^= (w >> (8 * i)) & 0xFFu;
        digest *= 16777619u;
    }
    words++;
}

/* The remote server: its endpoint to the parent in a HELLO, then serve. */
ROLE(remote)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    struct server s = { .ep = HANDLE_NULL };
    if (endpoint_create(si->factory, &s.ep))
        return 2;
    struct msg m = { .label = LABEL_HELLO, .flags = MSGINFO_HANDLE, .handle = s.ep };
    if (ipc_call(si->parent, &m, TIMEOUT_FOREVER))
        return 3;
    server_run(&s);
    return 0;
}

#define TARGETS 6          /* three servers, each through two badged handles */

struct run {
    uint64_t rng;
    relay_handle target[TARGETS];
    relay_handle carried;      /* what a handle-carrying call carries */
    relay_handle self_n;       /* a notification only we signal and wait on */
    struct handler h;
    struct victim v;
    struct waiter w[2];
    uint32_t call_errors;
};

static void op_call(struct run *r)
{
    struct msg m = { .label = LABEL_WORK, .length = below(&r->rng, 9) };
    for (uint32_t i = 0; i < m.length; i++)
        m.w[i] = draw(&r->rng);
    if (below(&r->rng, 8) == 0) {
        m.flags = MSGINFO_HANDLE;
        m.handle = r->carried;
    }
    uint32_t timeout = below(&r->rng, 8) == 0 ? TIMEOUT_MAX : TIMEOUT_FOREVER;
    uint32_t target = below(&r->rng, TARGETS);
    int err = ipc_call(r->target[target], &m, timeout);
    if (err != ERR_NONE)
        r->call_errors++;
    record(1);
    record((uint32_t)err);
    record(m.badge);
    record(m.label);
    record(m.length);
    record(m.flags & (MSGINFO_HANDLE | MSGINFO_NOTIFY | MSGINFO_KERNEL));
    for (uint32_t i = 0; i < m.length && i < MSG_WORDS_MAX; i++)
        record(m.w[i]);
}

static void op_fault(struct run *r)
{
    uint32_t pick = below(&r->rng, 12);
    r->h.mode = pick == 0 ? REPLY_BAD : pick == 1 ? REPLY_KILL : REPLY_RESUME;
    r->h.err = 0xFFFFFFFFu;
    r->v.seen = 0;
    uint32_t ack = victim_fault(&r->v, draw(&r->rng) | 1u);
    record(2);
    record(ack);
    record(r->v.seen);
    record(r->h.vector);
    record(r->h.err);
    if (ack & ACK_DIED) {                     /* a new victim for the next fault */
        thread_release(r->v.t);
        victim_begin(&r->v, MAIN_PRIORITY - 1, r->h.ep);
    }
}

static void op_signal(struct run *r)
{
    struct waiter *w = &r->w[below(&r->rng, 2)];
    uint32_t bits = draw(&r->rng) | 1u, got = 0;
    CHECK_EQ(notify_signal(w->n, bits), ERR_NONE);
    if (below(&r->rng, 4) == 0)
        CHECK_EQ(notify_signal(w->n, draw(&r->rng) | 1u), ERR_NONE);
    int err = notify_wait(w->ack, &got, TIMEOUT_FOREVER);
    record(3);
    record((uint32_t)err);
    record(got);
    record(w->bits);
    record(w->wakes);
}

static void op_self(struct run *r)
{
    uint32_t signals = below(&r->rng, 3), got = 0;
    for (uint32_t i = 0; i < signals; i++)
        CHECK_EQ(notify_signal(r->self_n, draw(&r->rng) | 1u), ERR_NONE);
    int err = notify_poll(r->self_n, &got);
    record(4);
    record((uint32_t)err);
    record(got);
}

TEST(differential, "a seeded random run of calls, faults and signals: its digest (compared with a nofastpath run by tests/system/fastpath/run)")
{
    uint32_t seed = utest_arg_u32(suite_argc, suite_argv, "s", 1);
    uint32_t n = utest_arg_u32(suite_argc, suite_argv, "n", 600);
    static struct run r;
    static struct server near, low;
    r = (struct run){ .rng = stream(seed, 0, 0x66617374ull) };

    /* The servers: above us, below us, and in another task. */
    near = (struct server){ .ep = new_endpoint() };
    low = (struct server){ .ep = new_endpoint() };
    near.t = start_thread(server_loop, &near, MAIN_PRIORITY + 2);
    low.t = start_thread(server_loop, &low, MAIN_PRIORITY - 4);
    relay_handle parent = new_endpoint(), exit_n = HANDLE_NULL, remote = HANDLE_NULL;
    struct child c;
    CHECK_EQ(role_spawn("role=remote", parent, MAIN_PRIORITY + 1, 64, &c, &exit_n), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(parent, &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK(m.flags & MSGINFO_HANDLE);
    remote = m.handle;
    CHECK_EQ(ipc_reply(&(struct msg){ .label = LABEL_HELLO }), ERR_NONE);
    relay_handle eps[3] = { near.ep, low.ep, remote };
    for (uint32_t i = 0; i < TARGETS; i++)
        CHECK_EQ(handle_mint(eps[i / 2], 0x100u * (i + 1) + i, RIGHT_SEND | RIGHT_GRANT, &r.target[i]),
                 ERR_NONE);
    r.carried = new_notification();
    r.self_n = new_notification();

    /* The handler above the victim, which is just below us; waiters above and below. */
    relay_handle ack = new_notification();
    r.h = (struct handler){ .ep = new_endpoint(), .ack = ack, .mode = REPLY_RESUME };
    r.v = (struct victim){ .cmd = new_notification(), .ack = ack };
    r.h.t = start_thread(handler_loop, &r.h, MAIN_PRIORITY + 1);
    victim_begin(&r.v, MAIN_PRIORITY - 1, r.h.ep);
    uint32_t wprio[2] = { MAIN_PRIORITY + 3, MAIN_PRIORITY - 2 };
    for (int i = 0; i < 2; i++) {
        r.w[i] = (struct waiter){ .n = new_notification(), .ack = new_notification() };
        r.w[i].t = start_thread(waiter_loop, &r.w[i], wprio[i]);
    }
    settle(&low.armed);                       /* those below us run to their waits */
    settle(&r.w[1].armed);

    struct kernel_check a = counters();
    for (ops = 0; ops < n; ops++) {
        uint32_t kind = below(&r.rng, 10);
        if (kind < 5)
            op_call(&r);
        else if (kind < 7)
            op_fault(&r);
        else if (kind < 9)
            op_signal(&r);
        else
            op_self(&r);
    }
    struct kernel_check b = counters();
    printf("fastpath-digest: seed=%u ops=%u words=%u hash=%08x\n", seed, ops, words, digest);

    CHECK_EQ(r.call_errors, 0);
    CHECK(near.served > 0 && low.served > 0);
    printf("fastpath: this run's counts (taken/declined): call %u/%u, reply_recv %u/%u, fault %u/%u, "
           "fault_reply %u/%u, signal %u/%u%s\n",
           TAKEN(a, b, 0), DECLINED(a, b, 0), TAKEN(a, b, 1), DECLINED(a, b, 1), TAKEN(a, b, 2),
           DECLINED(a, b, 2), TAKEN(a, b, 3), DECLINED(a, b, 3), TAKEN(a, b, 4), DECLINED(a, b, 4),
           b.fastpath_off ? " (nofastpath)" : "");
    for (unsigned p = 0; p < KERNEL_FASTPATHS; p++) {
        if (b.fastpath_off) {
            CHECK_EQ(b.fastpath_taken[p], 0);          /* never, since boot */
        } else {
            CHECK(TAKEN(a, b, p) >= 1);
        }
    }
    if (!b.fastpath_off) {                             /* the general path had its turns too */
        CHECK(DECLINED(a, b, KERNEL_FASTPATH_CALL) >= 1);
        CHECK(DECLINED(a, b, KERNEL_FASTPATH_REPLY_RECV) >= 1);
        CHECK(DECLINED(a, b, KERNEL_FASTPATH_FAULT_REPLY) >= 1);
        CHECK(DECLINED(a, b, KERNEL_FASTPATH_SIGNAL) >= 1);
    }

    struct msg quit = { .label = LABEL_QUIT };
    CHECK_EQ(ipc_call(remote, &quit, TIMEOUT_FOREVER), ERR_NONE);
    uint32_t status = 1;
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    stop_thread(near.t);
    stop_thread(low.t);
    stop_thread(r.v.t);
    stop_thread(r.h.t);
    for (int i = 0; i < 2; i++)
        stop_thread(r.w[i].t);
}
