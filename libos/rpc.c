/* RPC over endpoints, client and server: see relay/rpc.h. */
#include <relay/rpc.h>
#include <relay/error.h>
#include <relay/string.h>

int rpc_call(relay_handle ep, uint32_t label, const uint32_t *in, uint32_t n, struct msg *out)
{
    if (n > MSG_WORDS_MAX)
        return ERR_TOO_LONG;
    msg_set(out, label, in, n);
    int err = ipc_call(ep, out, TIMEOUT_FOREVER);
    return err ? err : (int)out->label;
}

static const struct rpc_op *find(const struct rpc_op *ops, uint32_t count, uint32_t label)
{
    for (uint32_t i = 0; i < count; i++)
        if (ops[i].label == label)
            return &ops[i];
    return NULL;
}

/* The errors that mean the endpoint itself is gone or unusable. */
static int fatal(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

/* Fill the reply to in; return whether one is owed (none to a notification). */
static int dispatch(const struct rpc_op *ops, uint32_t count, const struct msg *in,
                    struct msg *reply)
{
    int notify = (in->flags & MSGINFO_NOTIFY) != 0;
    const struct rpc_op *op = find(ops, count, notify ? RPC_NOTIFY : in->label);
    msg_set(reply, ERR_NONE, NULL, 0);
    int err = op ? op->handler(in, reply) : ERR_INVALID;
    if (!err && reply->length > MSG_WORDS_MAX)
        err = ERR_TOO_LONG;
    if (err)
        msg_set(reply, (uint32_t)err, NULL, 0);
    reply->label = (uint32_t)err;
    return !notify;
}

int rpc_serve(relay_handle ep, const struct rpc_op *ops, uint32_t count)
{
    struct msg in, reply;
    int err = ipc_recv(ep, &in, TIMEOUT_FOREVER);
    for (;;) {
        if (fatal(err))
            return err;
        if (err || !dispatch(ops, count, &in, &reply)) {
            err = ipc_recv(ep, &in, TIMEOUT_FOREVER);    /* nothing to reply to */
            continue;
        }
        err = ipc_reply_recv(ep, &reply, &in, TIMEOUT_FOREVER);
    }
}
