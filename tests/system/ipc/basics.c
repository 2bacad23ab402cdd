/* Messages between tasks and threads: ping-pong, call/reply, a server with clients, order, badges. */
#include "ipctest.h"

/*
 * role=echo: make an endpoint, hand it to the parent in a HELLO call, then
 * serve it: PING n -> send PONG n+1 to the parent; ECHO n (a call) -> reply
 * n+1; QUIT -> exit 0.
 */
/* A role's start: make an endpoint and hand it to the parent in a HELLO call. */
static relay_handle hello_parent(void)
{
    const struct startup_info *si = startup_info();
    relay_handle mine;
    if (endpoint_create(si->factory, &mine))
        return HANDLE_NULL;
    struct msg m = { .label = LABEL_HELLO, .flags = MSGINFO_HANDLE, .handle = mine };
    return ipc_call(si->parent, &m, TIMEOUT_FOREVER) == ERR_NONE ? mine : HANDLE_NULL;
}

ROLE(echo)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle mine = hello_parent();
    struct msg m;
    if (mine == HANDLE_NULL)
        return 2;
    for (;;) {
        if (ipc_recv(mine, &m, TIMEOUT_FOREVER))
            return 4;
        if (m.label == LABEL_QUIT)
            return 0;
        if (m.label == LABEL_PING) {
            uint32_t w = m.w[0] + 1;
            if (ipc_send(si->parent, LABEL_PONG, &w, 1, TIMEOUT_FOREVER))
                return 5;
        } else if (m.label == LABEL_ECHO) {
            m.w[0]++;
            if (ipc_reply(&m))
                return 6;
        }
    }
}

/* Start role=echo and take the endpoint its HELLO brings. */
static relay_handle start_echo(relay_handle parent, struct child *c, relay_handle *exit_n)
{
    CHECK_EQ(spawn_role("role=echo", parent, MAIN_PRIORITY, c, exit_n), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(parent, &m, 100), ERR_NONE);
    CHECK_EQ(m.label, LABEL_HELLO);
    CHECK(m.flags & MSGINFO_HANDLE);
    CHECK_EQ(ipc_reply(&(struct msg){ .label = LABEL_HELLO }), ERR_NONE);
    return m.handle;
}

static void stop_echo(relay_handle child_ep, struct child *c, relay_handle exit_n)
{
    uint32_t status;
    CHECK_EQ(ipc_send(child_ep, LABEL_QUIT, 0, 0, 100), ERR_NONE);
    CHECK_EQ(wait_role(c, exit_n, 200, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    handle_delete(child_ep);
}

TEST(ping_pong_tasks, "send and recv both ways between two tasks, 100 rounds")
{
    relay_handle parent = new_endpoint(), exit_n;
    struct child c;
    relay_handle child_ep = start_echo(parent, &c, &exit_n);
    uint32_t n = 0;
    for (int round = 0; round < 100; round++) {
        struct msg m;
        CHECK_EQ(ipc_send(child_ep, LABEL_PING, &n, 1, 100), ERR_NONE);
        CHECK_EQ(ipc_recv(parent, &m, 100), ERR_NONE);
        CHECK_EQ(m.label, LABEL_PONG);
        CHECK_EQ(m.w[0], n + 1);
        n = m.w[0];
    }
    CHECK_EQ(n, 100);
    stop_echo(child_ep, &c, exit_n);
    handle_delete(parent);
}

TEST(call_reply_tasks, "call waits for the other task's reply, which carries the answer")
{
    relay_handle parent = new_endpoint(), exit_n;
    struct child c;
    relay_handle child_ep = start_echo(parent, &c, &exit_n);
    for (uint32_t i = 0; i < 50; i++) {
        struct msg m = { .label = LABEL_ECHO, .length = 1, .w = { i * 7 } };
        CHECK_EQ(ipc_call(child_ep, &m, 100), ERR_NONE);
        CHECK_EQ(m.w[0], i * 7 + 1);
        CHECK_EQ(m.badge, 0);
    }
    stop_echo(child_ep, &c, exit_n);
    handle_delete(parent);
}

/* role=client badge=B: 20 calls (REQUEST, k); each reply must be k * 3 + B. */
ROLE(client)
{
    uint32_t badge = utest_arg_u32(argc, argv, "badge", 0);
    for (uint32_t k = 0; k < 20; k++) {
        struct msg m = { .label = LABEL_REQUEST, .length = 1, .w = { k } };
        if (ipc_call(startup_info()->parent, &m, TIMEOUT_FOREVER) || m.w[0] != k * 3 + badge)
            return 1;
    }
    return 0;
}

TEST(reply_recv_three_clients, "a reply_recv server answers three client tasks, telling them apart by badge")
{
    relay_handle ep = new_endpoint();
    struct child c[3];
    relay_handle exits[3];
    for (uint32_t i = 0; i < 3; i++) {
        relay_handle minted;
        char args[32];
        CHECK_EQ(handle_mint(ep, 100 + i, RIGHT_SEND, &minted), ERR_NONE);
        snprintf(args, sizeof args, "role=client badge=%u", 100 + i);
        CHECK_EQ(spawn_role(args, minted, MAIN_PRIORITY, &c[i], &exits[i]), ERR_NONE);
        handle_delete(minted);
    }
    uint32_t served[3] = { 0, 0, 0 };
    struct msg m;
    int err = ipc_recv(ep, &m, 200);
    for (int n = 0; n < 60 && err == ERR_NONE; n++) {
        CHECK(m.badge >= 100 && m.badge < 103);
        if (m.badge >= 100 && m.badge < 103)
            served[m.badge - 100]++;
        m.w[0] = m.w[0] * 3 + m.badge;
        err = ipc_reply_recv(ep, &m, &m, n == 59 ? TIMEOUT_POLL : 200);
    }
    CHECK_EQ(err, ERR_TIMEOUT);         /* after the 60th reply, nobody is left */
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t status;
        CHECK_EQ(served[i], 20);
        CHECK_EQ(wait_role(&c[i], exits[i], 200, &status), TASK_EXITED);
        CHECK_EQ(status, 0);
    }
    handle_delete(ep);
}

struct sender {
    relay_handle ep;
    uint32_t id;
    int result;
};

static void send_id(void *arg)
{
    struct sender *s = arg;
    s->result = ipc_send(s->ep, LABEL_REQUEST, &s->id, 1, TIMEOUT_FOREVER);
}

TEST(senders_fifo, "senders waiting on an endpoint are received in the order they came")
{
    relay_handle ep = new_endpoint();
    struct sender s[4];
    struct thread *t[4];
    for (uint32_t i = 0; i < 4; i++) {
        s[i] = (struct sender){ ep, i, -1 };
        t[i] = start_thread(send_id, &s[i], MAIN_PRIORITY + 1);   /* runs now, blocks in send */
    }
    for (uint32_t i = 0; i < 4; i++) {
        struct msg m;
        CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_NONE);
        CHECK_EQ(m.w[0], i);
    }
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_EQ(s[i].result, ERR_NONE);
        stop_thread(t[i]);
    }
    handle_delete(ep);
}

TEST(badge_delivery, "the receiver gets the badge of the sender's handle, 0 when unbadged, and no one can re-badge")
{
    relay_handle ep = new_endpoint(), minted, again;
    CHECK_EQ(handle_mint(ep, 0xB0B, RIGHT_SEND, &minted), ERR_NONE);
    CHECK_EQ(handle_mint(minted, 0xBAD, RIGHT_SEND, &again), ERR_INVALID);
    struct sender s = { minted, 7, -1 };
    struct thread *t = start_thread(send_id, &s, MAIN_PRIORITY + 1);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(m.badge, 0xB0B);
    stop_thread(t);
    s = (struct sender){ ep, 8, -1 };
    t = start_thread(send_id, &s, MAIN_PRIORITY + 1);
    CHECK_EQ(ipc_recv(ep, &m, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(m.badge, 0);
    CHECK_EQ(m.w[0], 8);
    stop_thread(t);
    handle_delete(minted);
    handle_delete(ep);
}

struct raw_receiver {
    relay_handle ep;
    struct sys_result r;
};

static void recv_raw(void *arg)
{
    struct raw_receiver *rr = arg;
    rr->r = sys_recv(rr->ep);
}

TEST(no_register_leak, "register words past a message's length arrive as 0, not the sender's registers")
{
    struct raw_receiver rr = { new_endpoint(), { 0 } };
    struct thread *t = start_thread(recv_raw, &rr, MAIN_PRIORITY + 1);
    /* length 1, but junk in the registers of words 1..3 */
    CHECK_EQ(sys_send_timeout(TIMEOUT_POLL, rr.ep, msginfo(LABEL_PING, 1, 0), 0x11, 0xDEAD1, 0xDEAD2, 0xDEAD3).error,
             ERR_NONE);
    CHECK_EQ(rr.r.error, ERR_NONE);
    CHECK_EQ(rr.r.r[2], 0x11);
    CHECK_EQ(rr.r.r[3], 0);
    CHECK_EQ(rr.r.r[4], 0);
    CHECK_EQ(rr.r.r[5], 0);
    stop_thread(t);
    handle_delete(rr.ep);
}

/* role=fastecho: like echo's HELLO, then a reply_recv loop that answers
 * every call with each of its (up to four) words plus one. */
ROLE(fastecho)
{
    (void)argc, (void)argv;
    relay_handle mine = hello_parent();
    struct msg m;
    if (mine == HANDLE_NULL || ipc_recv(mine, &m, TIMEOUT_FOREVER))
        return 3;
    while (m.label != LABEL_QUIT) {
        for (uint32_t i = 0; i < m.length; i++)
            m.w[i]++;
        if (ipc_reply_recv(mine, &m, &m, TIMEOUT_FOREVER))
            return 4;
    }
    return ipc_reply(&m) == ERR_NONE ? 0 : 5;
}

TEST(call_reply_fast_path, "calls with no timeout take the fast path across tasks and carry all four register words")
{
    relay_handle parent = new_endpoint(), exit_n;
    struct child c;
    CHECK_EQ(spawn_role("role=fastecho", parent, MAIN_PRIORITY, &c, &exit_n), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(parent, &m, 100), ERR_NONE);
    relay_handle ep = m.handle;
    CHECK_EQ(ipc_reply(&(struct msg){ .label = LABEL_HELLO }), ERR_NONE);
    for (uint32_t i = 0; i < 200; i++) {
        m = (struct msg){ .label = LABEL_ECHO, .length = 4, .w = { i, i << 8, i << 16, ~i } };
        CHECK_EQ(ipc_call(ep, &m, TIMEOUT_FOREVER), ERR_NONE);
        CHECK_EQ(m.label, LABEL_ECHO);
        CHECK_EQ(m.length, 4);
        CHECK_EQ(m.w[0], i + 1);
        CHECK_EQ(m.w[1], (i << 8) + 1);
        CHECK_EQ(m.w[2], (i << 16) + 1);
        CHECK_EQ(m.w[3], ~i + 1);
    }
    m = (struct msg){ .label = LABEL_QUIT };
    CHECK_EQ(ipc_call(ep, &m, 100), ERR_NONE);
    uint32_t status;
    CHECK_EQ(wait_role(&c, exit_n, 200, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    handle_delete(ep);
    handle_delete(parent);
}
