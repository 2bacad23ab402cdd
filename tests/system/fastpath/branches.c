/*
 * Each branch of the general path forced, its result checked, and by the
 * counters that the general path took it; and the common cases, which
 * take the fast path -- unless the kernel booted with `nofastpath`, when
 * no fast path may be taken at all.  Nothing prints between the two
 * readings of the counters, and nothing else in the system runs then.
 */
#include "fastpath.h"

/* The common case went the fast way: taken when the fast paths are on,
 * declined (and never taken) when they are off. */
static void check_fast(struct kernel_check a, struct kernel_check b, unsigned path)
{
    utest_note("fast path %u: taken %u, declined %u", path, TAKEN(a, b, path), DECLINED(a, b, path));
    if (b.fastpath_off) {
        CHECK_EQ(TAKEN(a, b, path), 0);
        CHECK(DECLINED(a, b, path) >= 1);
    } else {
        CHECK(TAKEN(a, b, path) >= 1);
    }
}

/* A LABEL_WORK call to ep and the check that the answer is transform()'s. */
static void call_and_check(relay_handle ep, struct msg *req, int with_handle, uint32_t timeout,
                           struct kernel_check *before, struct kernel_check *after)
{
    struct msg sent = *req, want, got = *req;
    sent.badge = 0;
    transform(&sent, with_handle, &want);
    *before = counters();
    int err = ipc_call(ep, &got, timeout);
    *after = counters();
    CHECK_EQ(err, ERR_NONE);
    CHECK_EQ(got.label, want.label);
    CHECK_EQ(got.length, want.length);
    for (uint32_t i = 0; i < want.length; i++)
        CHECK_EQ(got.w[i], want.w[i]);
}

static struct server *server_start(struct server *s, uint32_t priority)
{
    *s = (struct server){ .ep = new_endpoint() };
    s->t = start_thread(server_loop, s, priority);
    return s;
}

static void server_stop(struct server *s)
{
    stop_thread(s->t);
    handle_delete(s->ep);
}

/* A request whose answer is short (or long, if long_reply) */
static struct msg request(uint32_t length, int long_reply, int with_handle)
{
    struct msg m = { .label = LABEL_WORK, .length = length };
    for (uint32_t seed = 1;; seed++) {
        for (uint32_t i = 0; i < length; i++)
            m.w[i] = seed * 1000u + i;
        struct msg r;
        transform(&m, with_handle, &r);
        if ((r.length > MSG_REG_WORDS) == !!long_reply)
            return m;
    }
}

TEST(common_call_reply_recv, "a short call to a server waiting in recv, and its reply_recv, take the fast paths")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY + 1);     /* it outranks us: in recv already */
    struct msg req = request(3, 0, 0);
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 0, TIMEOUT_FOREVER, &a, &b);
    check_fast(a, b, KERNEL_FASTPATH_CALL);
    check_fast(a, b, KERNEL_FASTPATH_REPLY_RECV);
    server_stop(&s);
}

TEST(receiver_not_waiting, "a call whose receiver is not in recv yet goes the general way, and is answered")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY - 5);     /* ready, not yet run: not in recv */
    struct msg req = request(2, 0, 0);
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 0, TIMEOUT_FOREVER, &a, &b);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_CALL);
    CHECK_EQ(s.served, 1);
    server_stop(&s);
}

static void spin_blocked(void *arg)
{
    (void)arg;
    park();
}

TEST(receiver_outranked, "a receiver that a ready thread outranks (sched_may_run_now fails) is reached the general way")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY - 5);
    settle(&s.armed);                        /* it runs, and waits in recv */
    struct thread *ready = start_thread(spin_blocked, 0, MAIN_PRIORITY - 2);   /* ready, above it */
    struct msg req = request(4, 0, 0);
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 0, TIMEOUT_FOREVER, &a, &b);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_CALL);
    CHECK_EQ(s.served, 1);
    stop_thread(ready);
    server_stop(&s);
}

TEST(handle_transfer, "a call carrying a handle goes the general way; the handle arrives")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY + 1);
    relay_handle carried = new_notification();
    struct msg req = request(1, 0, 1);
    req.flags = MSGINFO_HANDLE;
    req.handle = carried;
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 1, TIMEOUT_FOREVER, &a, &b);   /* the answer says a handle came */
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_CALL);
    handle_delete(carried);
    server_stop(&s);
}

TEST(long_messages, "a call of 8 words and a reply of more than 4 go the general way, every word arriving")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY + 1);
    struct msg req = request(8, 1, 0);
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 0, TIMEOUT_FOREVER, &a, &b);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_CALL);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_REPLY_RECV);
    server_stop(&s);
}

TEST(finite_timeout, "a call with a finite timeout (and the reply to it, whose caller has a timer) goes the general way")
{
    struct server s;
    server_start(&s, MAIN_PRIORITY + 1);
    struct msg req = request(2, 0, 0);
    struct kernel_check a, b;
    call_and_check(s.ep, &req, 0, TIMEOUT_MAX, &a, &b);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_CALL);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_REPLY_RECV);
    server_stop(&s);
}

/* A handler at priority, a victim below us, sharing one ack. */
static void fault_setup(struct handler *h, struct victim *v, uint32_t handler_priority)
{
    relay_handle ack = new_notification();
    *h = (struct handler){ .ep = new_endpoint(), .ack = ack, .mode = REPLY_RESUME };
    *v = (struct victim){ .cmd = new_notification(), .ack = ack };
    h->t = start_thread(handler_loop, h, handler_priority);
    victim_begin(v, MAIN_PRIORITY - 1, h->ep);
}

static void fault_teardown(struct handler *h, struct victim *v)
{
    stop_thread(v->t);
    stop_thread(h->t);
    handle_delete(h->ep);
    handle_delete(h->ack);
    handle_delete(v->cmd);
}

TEST(fault_common, "a fault to a handler waiting in recv, and its RESUME, take the fast paths")
{
    struct handler h;
    struct victim v;
    fault_setup(&h, &v, MAIN_PRIORITY + 1);
    struct kernel_check a = counters();
    uint32_t ack = victim_fault(&v, 41);
    struct kernel_check b = counters();
    CHECK_EQ(ack, ACK_DONE);
    CHECK_EQ(v.seen, 41u * 7 + 3);
    CHECK_EQ(h.vector, 6);                   /* #UD */
    check_fast(a, b, KERNEL_FASTPATH_FAULT);
    check_fast(a, b, KERNEL_FASTPATH_FAULT_REPLY);
    fault_teardown(&h, &v);
}

TEST(fault_handler_busy, "a fault whose handler is not in recv waits for it the general way, and is answered")
{
    struct handler h;
    struct victim v;
    fault_setup(&h, &v, MAIN_PRIORITY - 2);  /* ready below the victim: not in recv when it faults */
    struct kernel_check a = counters();
    uint32_t ack = victim_fault(&v, 5);
    struct kernel_check b = counters();
    CHECK_EQ(ack, ACK_DONE);
    CHECK_EQ(v.seen, 5u * 7 + 3);
    CHECK_EQ(h.faults, 1);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_FAULT);
    fault_teardown(&h, &v);
}

TEST(fault_reply_refused, "a RESUME with a kernel selector is refused the general way: the handler hears ERR_INVALID, the thread dies")
{
    struct handler h;
    struct victim v;
    fault_setup(&h, &v, MAIN_PRIORITY + 1);
    h.mode = REPLY_BAD;
    struct kernel_check a = counters();
    uint32_t ack = victim_fault(&v, 9);
    struct kernel_check b = counters();
    CHECK_EQ(ack, ACK_DIED);
    CHECK_EQ(h.err, ERR_INVALID);
    CHECK_EQ(v.seen, 0);                     /* it never ran past the ud2 */
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_FAULT_REPLY);
    fault_teardown(&h, &v);
}

TEST(fault_reply_kills, "a KILL_THREAD answer goes the general way: the thread ends, the handler receives again")
{
    struct handler h;
    struct victim v;
    fault_setup(&h, &v, MAIN_PRIORITY + 1);
    h.mode = REPLY_KILL;
    struct kernel_check a = counters();
    uint32_t ack = victim_fault(&v, 9);
    struct kernel_check b = counters();
    CHECK_EQ(ack, ACK_DIED);
    CHECK_EQ(v.seen, 0);
    CHECK_GENERAL_PATH(a, b, KERNEL_FASTPATH_FAULT_REPLY);
    /* The handler is back in recv: a new victim's fault reaches it. */
    h.mode = REPLY_RESUME;
    thread_release(v.t);
    victim_begin(&v, MAIN_PRIORITY - 1, h.ep);
    CHECK_EQ(victim_fault(&v, 2), ACK_DONE);
    CHECK_EQ(v.seen, 2u * 7 + 3);
    fault_teardown(&h, &v);
}

static void waiter_setup(struct waiter *w, uint32_t priority)
{
    *w = (struct waiter){ .n = new_notification(), .ack = new_notification() };
    w->t = start_thread(waiter_loop, w, priority);
    if (priority < MAIN_PRIORITY)
        settle(&w->armed);                   /* below us, it must run to wait */
}

static void waiter_teardown(struct waiter *w)
{
    stop_thread(w->t);
    handle_delete(w->n);
    handle_delete(w->ack);
}

TEST(signal_not_outranking, "a signal whose waiter does not outrank the signaller wakes it the general way")
{
    struct waiter w;
    waiter_setup(&w, MAIN_PRIORITY - 2);
    uint32_t bits = 0;
    struct kernel_check a = counters();
    CHECK_EQ(notify_signal(w.n, 0x30), ERR_NONE);
    CHECK_EQ(w.wakes, 0);                    /* ready, not running: we still do */
    CHECK_EQ(notify_wait(w.ack, &bits, TIMEOUT_FOREVER), ERR_NONE);
    struct kernel_check b = counters();
    CHECK_EQ(w.bits, 0x30);
    CHECK_EQ(w.wakes, 1);
    CHECK(DECLINED(a, b, KERNEL_FASTPATH_SIGNAL) >= 1);
    check_fast(a, b, KERNEL_FASTPATH_SIGNAL);   /* its ack to us: we outrank it */
    waiter_teardown(&w);
}

TEST(signal_outranking, "a signal whose waiter outranks the signaller hands it the CPU on the fast path")
{
    struct waiter w;
    waiter_setup(&w, MAIN_PRIORITY + 2);
    uint32_t bits = 0;
    struct kernel_check a = counters();
    CHECK_EQ(notify_signal(w.n, 0x5), ERR_NONE);
    uint32_t wakes = w.wakes;                /* it ran before the signal returned */
    struct kernel_check b = counters();
    CHECK_EQ(wakes, 1);
    CHECK_EQ(w.bits, 0x5);
    CHECK_EQ(notify_poll(w.ack, &bits), ERR_NONE);
    CHECK_EQ(bits, 1);
    check_fast(a, b, KERNEL_FASTPATH_SIGNAL);
    waiter_teardown(&w);
}
