/* Timeouts in both directions: poll, a few ticks, and forever until woken. */
#include "ipctest.h"

TEST(recv_poll_empty, "recv with TIMEOUT_POLL on an endpoint nobody sends to returns ERR_TIMEOUT at once")
{
    relay_handle ep = new_endpoint();
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_TIMEOUT);
    handle_delete(ep);
}

TEST(send_poll_empty, "send with TIMEOUT_POLL and no receiver returns ERR_TIMEOUT, and nothing stays queued")
{
    relay_handle ep = new_endpoint();
    uint32_t w = 1;
    struct msg m;
    CHECK_EQ(ipc_send(ep, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_TIMEOUT);
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_TIMEOUT);
    handle_delete(ep);
}

TEST(recv_short_timeout, "recv with a 3-tick timeout gives up with ERR_TIMEOUT")
{
    relay_handle ep = new_endpoint();
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, 3), ERR_TIMEOUT);
    handle_delete(ep);
}

TEST(send_short_timeout, "send with a 3-tick timeout gives up with ERR_TIMEOUT and leaves no sender queued")
{
    relay_handle ep = new_endpoint();
    uint32_t w = 2;
    struct msg m;
    CHECK_EQ(ipc_send(ep, LABEL_PING, &w, 1, 3), ERR_TIMEOUT);
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_TIMEOUT);
    handle_delete(ep);
}

struct waiter {
    relay_handle ep;
    int result;
    struct msg m;
};

static void recv_forever(void *arg)
{
    struct waiter *w = arg;
    w->result = ipc_recv(w->ep, &w->m, TIMEOUT_FOREVER);
}

static void send_forever(void *arg)
{
    struct waiter *w = arg;
    uint32_t word = 0x5E4D;
    w->result = ipc_send(w->ep, LABEL_PING, &word, 1, TIMEOUT_FOREVER);
}

TEST(recv_forever_woken, "a thread blocked in recv forever wakes with the message when one is sent")
{
    struct waiter w = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(recv_forever, &w, MAIN_PRIORITY + 1);
    CHECK_EQ(w.result, -1);                       /* it is blocked */
    uint32_t word = 0xF00D;
    CHECK_EQ(ipc_send(w.ep, LABEL_PING, &word, 1, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(w.result, ERR_NONE);                 /* it ran at once: higher priority */
    CHECK_EQ(w.m.w[0], 0xF00D);
    CHECK_EQ(w.m.label, LABEL_PING);
    stop_thread(t);
    handle_delete(w.ep);
}

TEST(send_forever_woken, "a thread blocked in send forever completes when the message is received")
{
    struct waiter w = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(send_forever, &w, MAIN_PRIORITY + 1);
    CHECK_EQ(w.result, -1);
    struct msg m;
    CHECK_EQ(ipc_recv(w.ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(m.w[0], 0x5E4D);
    CHECK_EQ(w.result, ERR_NONE);
    stop_thread(t);
    handle_delete(w.ep);
}

static void recv_and_sit(void *arg)
{
    struct waiter *w = arg;
    w->result = ipc_recv(w->ep, &w->m, TIMEOUT_FOREVER);   /* takes the call, never replies */
    park();
}

TEST(call_reply_timeout, "a call whose server never replies ends with ERR_TIMEOUT")
{
    struct waiter w = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(recv_and_sit, &w, MAIN_PRIORITY - 1);  /* runs once we block */
    struct msg m = { .label = LABEL_ECHO, .length = 1, .w = { 1 } };
    CHECK_EQ(ipc_call(w.ep, &m, 5), ERR_TIMEOUT);
    stop_thread(t);
    handle_delete(w.ep);
}
