/* Threads libos starts, and RPC between them (message words through the UTCB). */
#include "libostest.h"

enum { OP_REVERSE = 1, OP_FAIL, OP_BITS };

static uint32_t notify_bits;              /* what the server's RPC_NOTIFY handler got */

static int reverse(const struct msg *in, struct msg *reply)
{
    reply->length = in->length;
    for (uint32_t i = 0; i < in->length; i++)
        reply->w[i] = in->w[in->length - 1 - i] + 1000;
    return ERR_NONE;
}

static int fail(const struct msg *in, struct msg *reply)
{
    (void)in;
    reply->length = 3;                    /* dropped: an error reply has no words */
    return ERR_RANGE;
}

static int bits(const struct msg *in, struct msg *reply)
{
    (void)in;
    reply->length = 1;
    reply->w[0] = notify_bits;
    return ERR_NONE;
}

static int notified(const struct msg *in, struct msg *reply)
{
    (void)reply;
    notify_bits |= in->w[0];
    return ERR_NONE;
}

static const struct rpc_op ops[] = {
    { OP_REVERSE, reverse },
    { OP_FAIL, fail },
    { OP_BITS, bits },
    { RPC_NOTIFY, notified },
};

struct server {
    relay_handle ep;
    int result;                           /* what rpc_serve returned */
    struct thread *self;                  /* thread_self() as the thread saw it */
    struct utcb *utcb;                    /* utcb_self() as the thread saw it */
};

static void serve(void *arg)
{
    struct server *s = arg;
    s->self = thread_self();
    s->utcb = utcb_self();
    s->result = rpc_serve(s->ep, ops, sizeof ops / sizeof ops[0]);
}

TEST(rpc_between_threads, "rpc_call to a rpc_serve thread: 20 words each way, errors as labels")
{
    const struct startup_info *si = startup_info();
    struct server s = { .result = -1 };
    relay_handle done;
    CHECK_EQ(endpoint_create(si->factory, &s.ep), ERR_NONE);
    CHECK_EQ(notification_create(si->factory, &done), ERR_NONE);
    struct thread *t = NULL;
    struct thread_spec spec = { serve, &s, MAIN_PRIORITY + 1, done, 4 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    CHECK(t != NULL && s.self == t && s.utcb == t->utcb);
    CHECK(t->utcb != utcb_self());

    uint32_t in[20];
    for (uint32_t i = 0; i < 20; i++)
        in[i] = i * 7;
    struct msg out;
    CHECK_EQ(rpc_call(s.ep, OP_REVERSE, in, 20, &out), ERR_NONE);
    CHECK_EQ(out.length, 20);
    for (uint32_t i = 0; i < 20; i++)
        CHECK_EQ(out.w[i], in[19 - i] + 1000);
    CHECK_EQ(rpc_call(s.ep, OP_FAIL, in, 1, &out), ERR_RANGE);
    CHECK_EQ(out.length, 0);
    CHECK_EQ(rpc_call(s.ep, 77, NULL, 0, &out), ERR_INVALID);      /* no such operation */
    CHECK_EQ(rpc_call(s.ep, OP_REVERSE, in, MSG_WORDS_MAX + 1, &out), ERR_TOO_LONG);

    CHECK_EQ(notify_bind(t->handle, done), ERR_NONE);              /* bits reach the server loop */
    CHECK_EQ(notify_signal(done, 0x30), ERR_NONE);
    CHECK_EQ(rpc_call(s.ep, OP_BITS, NULL, 0, &out), ERR_NONE);
    CHECK_EQ(out.w[0], 0x30);
    CHECK_EQ(notify_bind(t->handle, HANDLE_NULL), ERR_NONE);

    CHECK_EQ(handle_delete(s.ep), ERR_NONE);      /* the last handle: the loop ends */
    uint32_t b = 0;
    CHECK_EQ(notify_wait(done, &b, 100), ERR_NONE);
    CHECK_EQ(b, 4);
    CHECK_EQ(s.result, ERR_DELETED);
    CHECK(t->finished);
    CHECK_EQ(thread_release(t), ERR_NONE);
    CHECK_EQ(thread_release(t), ERR_INVALID);
    handle_delete(done);
}

static void count_up(void *arg)
{
    (*(volatile uint32_t *)arg)++;
}

TEST(many_threads, "threads come and go: slots, stacks and frames are reused")
{
    const struct startup_info *si = startup_info();
    relay_handle done;
    CHECK_EQ(notification_create(si->factory, &done), ERR_NONE);
    uint32_t frames = frame_free_count();
    volatile uint32_t counter = 0;
    for (uint32_t round = 0; round < 3 * THREADS_MAX / 4; round++) {
        struct thread *t[4] = { 0 };
        for (uint32_t i = 0; i < 4; i++) {
            struct thread_spec spec = { count_up, (void *)&counter, MAIN_PRIORITY, done, 1u << i };
            CHECK_EQ(thread_spawn(&spec, &t[i]), ERR_NONE);
        }
        uint32_t seen = 0, b;
        while (seen != 0xF && notify_wait(done, &b, 100) == ERR_NONE)
            seen |= b;
        CHECK_EQ(seen, 0xF);
        for (uint32_t i = 0; i < 4; i++)
            if (t[i])
                CHECK_EQ(thread_release(t[i]), ERR_NONE);
    }
    CHECK_EQ(counter, 3 * THREADS_MAX);
    CHECK_EQ(frame_free_count(), frames);
    struct thread_spec bad = { count_up, NULL, THREAD_PRIORITY_MAX + 1, HANDLE_NULL, 0 };
    struct thread *t;
    CHECK_EQ(thread_spawn(&bad, &t), ERR_INVALID);
    handle_delete(done);
}
