/* The IPC system calls: send, recv, call, reply, reply_recv, signal, wait. */
#include "syscall_impl.h"
#include "fastpath.h"
#include "ipc.h"
#include "sched.h"

/* Check a message about to be sent through h: length, and handle transfer. */
static enum relay_error check_message(uint32_t info, const struct handle *h)
{
    if (msginfo_length(info) > MSG_WORDS_MAX)
        return ERR_TOO_LONG;
    if (!(info & MSGINFO_HANDLE))
        return ERR_NONE;
    if (h && !(h->rights & RIGHT_GRANT))
        return ERR_NO_RIGHTS;
    struct handle *carried;
    return lookup(current->utcb->send_handle, KOBJ_NONE, 0, &carried);
}

static void send_common(struct trap_frame *tf, uint32_t timeout, enum ipc_wait how)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_SEND, h);
    enum relay_error err = check_message(ARG1(tf), h);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    ipc_send((struct endpoint *)h->obj, h->badge, h->rights & RIGHT_GRANT, how, timeout);
}

/* send(endpoint, info, w0..w3): deliver a message, waiting up to timeout for
 * a receiver.  Needs RIGHT_SEND (RIGHT_GRANT too if it carries a handle).
 * ERR_TOO_LONG, ERR_TIMEOUT, ERR_DELETED, ERR_CANCELLED, handle errors. */
HANDLER(send) { send_common(tf, timeout, WAIT_SEND); }

/* call(endpoint, info, w0..w3) -> (0, info, w0..w3): send, then wait for the
 * receiver's reply; timeout bounds each wait.  As send, plus ERR_NO_PARTNER
 * if the server dies or moves on without replying. */
static void __attribute__((noinline)) call_slow(struct trap_frame *tf, uint32_t timeout)
{
    send_common(tf, timeout, WAIT_CALL);
}

HANDLER(call)
{
    if (!fastpath_call(tf, timeout))
        call_slow(tf, timeout);
}

/* recv(endpoint) -> (badge, info, w0..w3): wait up to timeout for a message,
 * or for the bits of the thread's bound notification (NOTIFY in info).
 * Needs RIGHT_RECV.  ERR_TIMEOUT, ERR_DELETED, ERR_CANCELLED, handle errors. */
HANDLER(recv)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_RECV, h);
    ipc_recv((struct endpoint *)h->obj, timeout);
}

/* reply(-, info, w0..w3): answer the caller this thread last received a call
 * from; never blocks.  ERR_NO_PARTNER if there is none; ERR_TOO_LONG. */
HANDLER(reply)
{
    (void)timeout;
    enum relay_error err = check_message(ARG1(tf), 0);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    tf->eax = ipc_reply();
}

/* reply_recv(endpoint, info, w0..w3) -> (badge, info, w0..w3): reply if a
 * caller waits for one, then recv on endpoint.  ERR_TOO_LONG for a bad reply
 * (nothing happens then).  A reply to a fault that the kernel refuses -- a
 * malformed one (ERR_INVALID), a FAULT_MAP it cannot carry out (the map
 * error) -- ends the call with that error and nothing is received; otherwise
 * the recv's errors. */
static void __attribute__((noinline)) reply_recv_slow(struct trap_frame *tf, uint32_t timeout)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_RECV, h);
    if (current->caller) {
        enum relay_error err = check_message(ARG1(tf), 0);
        if (err != ERR_NONE) {
            tf->eax = err;
            return;
        }
    }
    ipc_reply_recv((struct endpoint *)h->obj, timeout);
}

HANDLER(reply_recv)
{
    if (!fastpath_reply_recv(tf, timeout))
        reply_recv_slow(tf, timeout);
}

/* signal(notification, bits): OR bits in; wakes a waiter.  Needs RIGHT_SEND. */
HANDLER(signal)
{
    (void)timeout;
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_NOTIFICATION, RIGHT_SEND, h);
    tf->eax = ERR_NONE;
    if (!fastpath_signal((struct notification *)h->obj, ARG1(tf)))
        notification_signal((struct notification *)h->obj, ARG1(tf));
}

/* wait(notification) -> (badge, NOTIFY, bits): take the bits, waiting up to
 * timeout while there are none.  Needs RIGHT_RECV.  ERR_TIMEOUT, ERR_DELETED. */
HANDLER(wait)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_NOTIFICATION, RIGHT_RECV, h);
    ipc_wait((struct notification *)h->obj, h->badge, timeout);
}
