/*
 * The worker's two helper threads, so that the fuzzing thread's messages
 * meet someone:
 *
 *   the partner receives on the worker's endpoint and echoes each message
 *   back (a reply, if it was a call), keeping any handle that came with it;
 *   the client calls the worker's second endpoint over and over, so that a
 *   recv of the fuzzing thread there finds a caller, and a reply an answer.
 *
 * Both run above the fuzzing thread, so that each is back in its wait
 * before the fuzzing thread goes on: they run only when it is blocked in a
 * call to them or when their own wait times out, and never race it.  A
 * helper whose endpoint is gone sleeps for good.  It never returns, because
 * libos ends a thread through its handle, which the fuzzing may have
 * deleted; it exits the worker if even the notification it sleeps on went.
 */
#include "fuzz.h"

#define HELPER_TICKS 100u          /* a helper's wait: when it ends, it just waits again */
#define HELPER_LOST_STATUS 4       /* a helper lost every handle it waits on */
#define CLIENT_LABEL 0x11u

struct helper {
    relay_handle ep;               /* the endpoint it serves or calls (in the pools) */
    relay_handle rest;             /* a notification of its own, to sleep on */
};

static struct helper partner_of, client_of;
static volatile relay_handle gift;   /* a handle that came with a message to the partner */

/* Errors after which the endpoint may still serve. */
static int transient(int err)
{
    return err == ERR_TIMEOUT || err == ERR_CANCELLED || err == ERR_NO_PARTNER;
}

static __attribute__((noreturn)) void sleep_for_good(const struct helper *h)
{
    uint32_t bits;
    int err;
    do
        err = notify_wait(h->rest, &bits, HELPER_TICKS);
    while (err == ERR_TIMEOUT || err == ERR_NONE);
    exit(HELPER_LOST_STATUS);
}

static void partner(void *arg)
{
    const struct helper *h = arg;
    struct msg m;
    int err = ipc_recv(h->ep, &m, HELPER_TICKS);
    while (err == ERR_NONE || transient(err)) {
        if (err == ERR_NONE) {
            if (m.flags & MSGINFO_HANDLE)
                gift = m.handle;
            m.flags = 0;
            err = ipc_reply_recv(h->ep, &m, &m, HELPER_TICKS);
        } else {
            err = ipc_recv(h->ep, &m, HELPER_TICKS);
        }
    }
    sleep_for_good(h);
}

static void client(void *arg)
{
    const struct helper *h = arg;
    int err;
    for (uint32_t n = 0;; n++) {
        struct msg m = { .label = CLIENT_LABEL, .length = n % (MSG_WORDS_MAX + 1), .w = { n } };
        err = ipc_call(h->ep, &m, HELPER_TICKS);
        if (err != ERR_NONE && !transient(err))
            break;
    }
    sleep_for_good(h);
}

static void start(struct fuzz_pools *p, void (*fn)(void *), struct helper *h, relay_handle ep)
{
    struct thread *t;
    h->ep = ep;
    notification_create(startup_info()->factory, &h->rest);
    struct thread_spec spec = { fn, h, PARTNER_PRIORITY, HANDLE_NULL, 0 };
    if (thread_spawn(&spec, &t) == ERR_NONE)
        pool_add_handle(p, t->handle, K_THREAD, 0);
}

void helpers_start(struct fuzz_pools *p, relay_handle serve, relay_handle call)
{
    start(p, partner, &partner_of, serve);
    start(p, client, &client_of, call);
}

relay_handle helpers_gift(void)
{
    relay_handle h = gift;
    gift = HANDLE_NULL;
    return h;
}
