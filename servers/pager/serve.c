/* The default pager's receive loop: faults and requests on one endpoint. */
#include "defpager.h"

relay_handle pager_ep;
struct defpager_stats stats;

/* Tell the parent our endpoint (RIGHT_SEND | RIGHT_GRANT, unbadged: for REGISTER). */
static int hello(void)
{
    const struct startup_info *si = startup_info();
    relay_handle pub;
    int err = handle_copy(pager_ep, RIGHT_SEND | RIGHT_GRANT, &pub);
    if (err)
        return err;
    struct msg m = { .label = PAGER_HELLO, .flags = MSGINFO_HANDLE, .handle = pub };
    err = ipc_call(si->parent, &m, TIMEOUT_FOREVER);
    handle_delete(pub);
    return err;
}

static void request(const struct msg *in, struct msg *reply)
{
    pager_op_fn fn = defpager_op(in->label);
    struct client *c = client_of(in->badge);
    *reply = (struct msg){ 0 };
    int err = fn ? fn(c, in, reply) : ERR_INVALID;
    if (err)
        *reply = (struct msg){ .label = (uint32_t)err };
    reply->label = (uint32_t)err;
    if ((in->flags & MSGINFO_HANDLE) && in->label != PAGER_REGISTER && in->label != PAGER_DUPLICATE)
        handle_delete(in->handle);                  /* a handle nobody asked for */
}

static int fatal(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

int defpager_main(void)
{
    const struct startup_info *si = startup_info();
    if (si->parent == HANDLE_NULL) {
        printf("pager: no parent to serve\n");
        return 1;
    }
    int err = endpoint_create(si->factory, &pager_ep);
    if (err || (err = hello()) != ERR_NONE) {
        printf("pager: cannot start: %s\n", strerror(err));
        return 2;
    }
    struct msg in, reply;
    err = ipc_recv(pager_ep, &in, TIMEOUT_FOREVER);
    for (;;) {
        if (fatal(err))
            return 3;
        if (err || (in.flags & MSGINFO_NOTIFY)) {
            err = ipc_recv(pager_ep, &in, TIMEOUT_FOREVER);
            continue;
        }
        if (msg_from_kernel(&in, LABEL_FAULT))       /* else a user's claim: a bad request */
            defpager_fault(&in, &reply);
        else
            request(&in, &reply);
        err = ipc_reply_recv(pager_ep, &reply, &in, TIMEOUT_FOREVER);
    }
}
