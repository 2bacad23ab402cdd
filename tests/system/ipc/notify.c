/* Notifications: signal, wait, poll, and waiting for a message or bits at once. */
#include "ipctest.h"

TEST(signal_then_wait, "wait returns the bits signalled so far and clears them")
{
    relay_handle n = new_notification();
    CHECK_EQ(notify_signal(n, 0x1), ERR_NONE);
    CHECK_EQ(notify_signal(n, 0x8), ERR_NONE);
    uint32_t bits = 0;
    CHECK_EQ(notify_wait(n, &bits, TIMEOUT_FOREVER), ERR_NONE);
    CHECK_EQ(bits, 0x9);
    CHECK_EQ(notify_poll(n, &bits), ERR_TIMEOUT);
    handle_delete(n);
}

TEST(poll_empty_and_timeout, "poll on no bits is ERR_TIMEOUT at once; a 2-tick wait also times out")
{
    relay_handle n = new_notification();
    uint32_t bits = 0;
    CHECK_EQ(notify_poll(n, &bits), ERR_TIMEOUT);
    CHECK_EQ(notify_wait(n, &bits, 2), ERR_TIMEOUT);
    handle_delete(n);
}

struct signaller {
    relay_handle n;
    uint32_t bits;
};

static void signal_later(void *arg)
{
    struct signaller *s = arg;
    notify_signal(s->n, s->bits);
}

TEST(wait_woken_by_signal, "a waiting thread wakes when another thread signals")
{
    struct signaller s = { new_notification(), 0x20 };
    struct thread *t = start_thread(signal_later, &s, MAIN_PRIORITY - 1);   /* runs once we wait */
    uint32_t bits = 0;
    CHECK_EQ(notify_wait(s.n, &bits, 100), ERR_NONE);
    CHECK_EQ(bits, 0x20);
    stop_thread(t);
    handle_delete(s.n);
}

TEST(badged_notification, "wait reports the badge of the handle it waits through")
{
    relay_handle n = new_notification(), minted;
    CHECK_EQ(handle_mint(n, 0x77, RIGHTS_ALL, &minted), ERR_NONE);
    CHECK_EQ(notify_signal(n, 4), ERR_NONE);
    struct sys_result r = sys_wait_timeout(TIMEOUT_POLL, minted);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(r.r[0], 0x77);                 /* EBX: the badge */
    CHECK(r.r[1] & MSGINFO_NOTIFY);         /* ECX: a notification, not a message */
    CHECK_EQ(r.r[2], 4);                    /* EDX: the bits */
    handle_delete(minted);
    handle_delete(n);
}

struct sender {
    relay_handle ep;
    relay_handle n;
};

static void send_message(void *arg)
{
    struct sender *s = arg;
    uint32_t w = 0xCAFE;
    ipc_send(s->ep, LABEL_PING, &w, 1, TIMEOUT_FOREVER);
}

static void signal_bound(void *arg)
{
    struct sender *s = arg;
    notify_signal(s->n, 0x2);
}

TEST(combined_wait, "a thread with a bound notification gets either a message or the bits from one recv")
{
    struct sender s = { new_endpoint(), new_notification() };
    relay_handle me = startup_info()->self_thread;
    CHECK_EQ(notify_bind(me, s.n), ERR_NONE);
    struct msg m;
    /* bits arrive while blocked in recv */
    struct thread *t = start_thread(signal_bound, &s, MAIN_PRIORITY - 1);
    CHECK_EQ(ipc_recv(s.ep, &m, 100), ERR_NONE);
    CHECK(m.flags & MSGINFO_NOTIFY);
    CHECK_EQ(m.w[0], 0x2);
    stop_thread(t);
    /* a message arrives while blocked in recv */
    t = start_thread(send_message, &s, MAIN_PRIORITY - 1);
    CHECK_EQ(ipc_recv(s.ep, &m, 100), ERR_NONE);
    CHECK(!(m.flags & MSGINFO_NOTIFY));
    CHECK_EQ(m.w[0], 0xCAFE);
    stop_thread(t);
    /* pending bits win over a waiting sender */
    t = start_thread(send_message, &s, MAIN_PRIORITY + 1);     /* blocks in send now */
    CHECK_EQ(notify_signal(s.n, 0x10), ERR_NONE);
    CHECK_EQ(ipc_recv(s.ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK(m.flags & MSGINFO_NOTIFY);
    CHECK_EQ(m.w[0], 0x10);
    CHECK_EQ(ipc_recv(s.ep, &m, TIMEOUT_POLL), ERR_NONE);      /* then the message */
    CHECK_EQ(m.w[0], 0xCAFE);
    stop_thread(t);
    CHECK_EQ(notify_bind(me, HANDLE_NULL), ERR_NONE);
    handle_delete(s.ep);
    handle_delete(s.n);
}
