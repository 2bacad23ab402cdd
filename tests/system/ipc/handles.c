/* Handles in messages, revocation, and endpoints that go away. */
#include "ipctest.h"

struct receiver {
    relay_handle ep;
    int result;
    struct msg m;
};

static void receive(void *arg)
{
    struct receiver *r = arg;
    r->result = ipc_recv(r->ep, &r->m, TIMEOUT_FOREVER);
}

TEST(handle_transfer_with_grant, "a message through a handle with RIGHT_GRANT carries a working handle")
{
    struct receiver r = { new_endpoint(), -1, { 0 } };
    relay_handle n = new_notification();
    struct thread *t = start_thread(receive, &r, MAIN_PRIORITY + 1);
    struct msg m = { .label = LABEL_PING, .flags = MSGINFO_HANDLE, .handle = n };
    CHECK_EQ(ipc_send_msg(r.ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(r.result, ERR_NONE);
    CHECK(r.m.flags & MSGINFO_HANDLE);
    CHECK(r.m.handle != HANDLE_NULL && r.m.handle != n);
    CHECK_EQ(notify_signal(r.m.handle, 0x40), ERR_NONE);   /* the copy names the same notification */
    uint32_t bits = 0;
    CHECK_EQ(notify_poll(n, &bits), ERR_NONE);
    CHECK_EQ(bits, 0x40);
    handle_delete(r.m.handle);
    stop_thread(t);
    handle_delete(n);
    handle_delete(r.ep);
}

TEST(handle_transfer_without_grant, "without RIGHT_GRANT a message carrying a handle is refused and nothing is sent")
{
    struct receiver r = { new_endpoint(), -1, { 0 } };
    relay_handle n = new_notification(), no_grant;
    CHECK_EQ(handle_copy(r.ep, RIGHT_SEND, &no_grant), ERR_NONE);
    struct thread *t = start_thread(receive, &r, MAIN_PRIORITY + 1);
    struct msg m = { .label = LABEL_PING, .flags = MSGINFO_HANDLE, .handle = n };
    CHECK_EQ(ipc_send_msg(no_grant, &m, TIMEOUT_POLL), ERR_NO_RIGHTS);
    CHECK_EQ(r.result, -1);                                 /* still waiting */
    m.flags = 0;                                            /* the plain message goes */
    CHECK_EQ(ipc_send_msg(no_grant, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(r.result, ERR_NONE);
    CHECK(!(r.m.flags & MSGINFO_HANDLE));
    stop_thread(t);
    handle_delete(no_grant);
    handle_delete(n);
    handle_delete(r.ep);
}

TEST(revoke_minted_copies, "revoking a handle deletes every copy minted from it, copies of copies too")
{
    relay_handle ep = new_endpoint(), a, b, c;
    CHECK_EQ(handle_mint(ep, 1, RIGHT_SEND, &a), ERR_NONE);
    CHECK_EQ(handle_copy(a, RIGHT_SEND, &b), ERR_NONE);
    CHECK_EQ(handle_mint(ep, 2, RIGHTS_ALL, &c), ERR_NONE);
    CHECK_EQ(handle_revoke(ep), ERR_NONE);
    uint32_t w = 0;
    CHECK_EQ(ipc_send(a, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_STALE_HANDLE);
    CHECK_EQ(ipc_send(b, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_STALE_HANDLE);
    CHECK_EQ(ipc_send(c, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_STALE_HANDLE);
    CHECK_EQ(ipc_send(ep, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_TIMEOUT);   /* the original stays */
    handle_delete(ep);
}

TEST(send_to_deleted_endpoint, "a sender blocked on an endpoint whose last handle goes returns ERR_DELETED")
{
    relay_handle ep = new_endpoint();
    struct receiver r = { ep, -1, { 0 } };
    struct thread *t = start_thread(receive, &r, MAIN_PRIORITY + 1);   /* blocks in recv */
    CHECK_EQ(handle_delete(ep), ERR_NONE);                            /* the only handle */
    CHECK_EQ(r.result, ERR_DELETED);
    uint32_t w = 0;
    CHECK_EQ(ipc_send(ep, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_STALE_HANDLE);
    stop_thread(t);
}

struct sender {
    relay_handle ep;
    int result;
};

static void send_forever(void *arg)
{
    struct sender *s = arg;
    uint32_t w = 1;
    s->result = ipc_send(s->ep, LABEL_PING, &w, 1, TIMEOUT_FOREVER);
}

TEST(nobody_can_receive, "once the last handle that may receive is gone, waiting and new senders get ERR_NO_PARTNER")
{
    relay_handle ep = new_endpoint(), send_only;
    CHECK_EQ(handle_copy(ep, RIGHT_SEND, &send_only), ERR_NONE);
    struct sender s = { send_only, -1 };
    struct thread *t = start_thread(send_forever, &s, MAIN_PRIORITY + 1);   /* waits in send */
    CHECK_EQ(s.result, -1);
    CHECK_EQ(handle_delete(ep), ERR_NONE);        /* the only handle with RIGHT_RECV */
    CHECK_EQ(s.result, ERR_NO_PARTNER);
    uint32_t w = 2;
    CHECK_EQ(ipc_send(send_only, LABEL_PING, &w, 1, TIMEOUT_FOREVER), ERR_NO_PARTNER);
    stop_thread(t);
    handle_delete(send_only);
}
