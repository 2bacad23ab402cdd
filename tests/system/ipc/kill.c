/* Killing a thread blocked in IPC leaves its partners in a defined state. */
#include "ipctest.h"

struct party {
    relay_handle ep;
    int result;
    struct msg m;
};

static void call_once(void *arg)
{
    struct party *p = arg;
    p->m = (struct msg){ .label = LABEL_ECHO, .length = 1, .w = { 41 } };
    p->result = ipc_call(p->ep, &p->m, TIMEOUT_FOREVER);
}

static void recv_once(void *arg)
{
    struct party *p = arg;
    p->result = ipc_recv(p->ep, &p->m, TIMEOUT_FOREVER);
    park();                                        /* holds the call, never replies */
}

static void send_once(void *arg)
{
    struct party *p = arg;
    uint32_t w = 99;
    p->result = ipc_send(p->ep, LABEL_PING, &w, 1, TIMEOUT_FOREVER);
}

TEST(kill_server_caller_learns, "a caller waiting for a reply from a killed server gets ERR_NO_PARTNER")
{
    struct party server = { new_endpoint(), -1, { 0 } }, client = { server.ep, -1, { 0 } };
    struct thread *s = start_thread(recv_once, &server, MAIN_PRIORITY + 2);   /* waits in recv */
    struct thread *c = start_thread(call_once, &client, MAIN_PRIORITY + 1);   /* calls; s takes it */
    CHECK_EQ(server.result, ERR_NONE);
    CHECK_EQ(client.result, -1);                   /* waiting for the reply */
    CHECK_EQ(thread_kill(s->handle), ERR_NONE);
    CHECK_EQ(client.result, ERR_NO_PARTNER);
    stop_thread(s);
    stop_thread(c);
    handle_delete(server.ep);
}

TEST(kill_caller_server_learns, "a server replying to a killed caller gets ERR_NO_PARTNER")
{
    struct party client = { new_endpoint(), -1, { 0 } };
    struct thread *c = start_thread(call_once, &client, MAIN_PRIORITY + 1);   /* blocks in call */
    struct msg m;
    CHECK_EQ(ipc_recv(client.ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(m.w[0], 41);
    CHECK_EQ(thread_kill(c->handle), ERR_NONE);
    CHECK_EQ(ipc_reply(&m), ERR_NO_PARTNER);
    stop_thread(c);
    handle_delete(client.ep);
}

TEST(kill_queued_sender, "a killed sender leaves the endpoint's queue: the receiver finds the next one")
{
    relay_handle ep = new_endpoint();
    struct party a = { ep, -1, { 0 } }, b = { ep, -1, { 0 } };
    struct thread *ta = start_thread(send_once, &a, MAIN_PRIORITY + 1);
    struct thread *tb = start_thread(call_once, &b, MAIN_PRIORITY + 1);
    CHECK_EQ(thread_kill(ta->handle), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(m.label, LABEL_ECHO);                  /* b's call, not a's dead send */
    CHECK_EQ(ipc_reply(&m), ERR_NONE);
    CHECK_EQ(b.result, ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_TIMEOUT);
    stop_thread(ta);
    stop_thread(tb);
    handle_delete(ep);
}

TEST(kill_waiting_receiver, "a killed receiver leaves the queue: a poll send finds nobody")
{
    struct party r = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(recv_once, &r, MAIN_PRIORITY + 1);
    CHECK_EQ(thread_kill(t->handle), ERR_NONE);
    uint32_t w = 5;
    CHECK_EQ(ipc_send(r.ep, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_TIMEOUT);
    stop_thread(t);
    handle_delete(r.ep);
}

TEST(suspend_cancels_ipc, "suspending a thread blocked in recv ends its call with ERR_CANCELLED")
{
    struct party r = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(recv_once, &r, MAIN_PRIORITY + 1);
    CHECK_EQ(thread_suspend(t->handle), ERR_NONE);
    uint32_t w = 5;
    CHECK_EQ(ipc_send(r.ep, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_TIMEOUT);   /* not waiting now */
    CHECK_EQ(thread_resume(t->handle), ERR_NONE);
    CHECK_EQ(r.result, ERR_CANCELLED);
    stop_thread(t);
    handle_delete(r.ep);
}
