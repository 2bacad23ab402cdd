/*
 * Remote procedure calls over an endpoint: a client's call, a server's loop.
 *
 * The convention: a request's label names the operation; the reply's label
 * is a relay error code, ERR_NONE when the operation succeeded, and its
 * words are the operation's results.
 *
 * rpc_call sends label and in[0..n) with ipc_call and waits for the reply
 * (no timeout).  It returns the IPC error if the call failed, else the
 * reply's label; the reply's words are in *out either way.
 *
 * rpc_serve answers calls on ep forever.  For each message it finds the
 * table entry with the message's label and calls its handler with the
 * request and a reply set to ERR_NONE, length 0; the handler fills the
 * reply's words and returns ERR_NONE, or returns an error, which becomes
 * the reply's label (its words are then dropped); a reply longer than
 * MSG_WORDS_MAX becomes ERR_TOO_LONG.  A label with no entry gets
 * ERR_INVALID.  A notification that arrives instead of a message
 * (MSGINFO_NOTIFY: the thread has a bound notification) goes to the entry
 * labelled RPC_NOTIFY, if any, with the bits in in->w[0]; nobody waits for
 * a reply to it.  A handle a message brings (MSGINFO_HANDLE, in->handle)
 * is the handler's to keep or delete.  Replies go out with ipc_reply_recv.  It returns only
 * when ep is unusable (ERR_BAD_HANDLE, ERR_STALE_HANDLE, ERR_DELETED,
 * ERR_WRONG_TYPE, ERR_NO_RIGHTS); timeouts, cancelled waits and callers
 * that went away are skipped.
 */
#ifndef LIBOS_RPC_H
#define LIBOS_RPC_H

#include <stdint.h>
#include <relay/msg.h>

#define RPC_NOTIFY MSGINFO_LABEL_MAX   /* the table label for bound-notification bits */

typedef int (*rpc_handler)(const struct msg *in, struct msg *reply);

struct rpc_op {
    uint32_t label;
    rpc_handler handler;
};

int rpc_call(relay_handle ep, uint32_t label, const uint32_t *in, uint32_t n, struct msg *out);
int rpc_serve(relay_handle ep, const struct rpc_op *ops, uint32_t count);

#endif
