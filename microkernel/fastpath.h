/*
 * The IPC fast path (after seL4's fastpath.c): call and reply_recv in the
 * common case -- a register-sized message, no handle, no timeout, a partner
 * already waiting who may run at once -- done in one straight line; a
 * fault delivered the same way to a handler already waiting; and a signal
 * that hands the CPU to the thread it wakes.  Each
 * function only checks its preconditions; if any fails it returns 0 and the
 * caller takes the general path in ipc.c, which handles every case.
 * Returns 1 when it did the call, switching to the partner.
 */
#ifndef RELAY_FASTPATH_H
#define RELAY_FASTPATH_H

#include <stdint.h>
#include "endpoint.h"
#include "fault.h"
#include "ipc.h"
#include "notification.h"
#include "sched.h"
#include "task.h"
#include "arch/x86/trapframe.h"
#include "relay/kinfo.h"

/* The test kernel counts each fast path's outcome (struct kernel_check) and
 * can boot with every fast path off (`nofastpath`, check.c), so a suite can
 * run the same program both ways. */
#ifdef RELAY_CHECK
extern uint32_t fastpath_taken[KERNEL_FASTPATHS], fastpath_declined[KERNEL_FASTPATHS];
extern int fastpath_off;
static inline int fastpath_count(int path, int taken)
{
    (taken ? fastpath_taken : fastpath_declined)[path]++;
    return taken;
}
#else
#define fastpath_off 0
#define fastpath_count(path, taken) (taken)
#endif

/* Inline, so that each becomes part of its system call's handler. */

/* The endpoint a handle number names with the right, or NULL (the slow path
 * says why).  Any slot can be read (handle.h): no bounds check. */
static inline struct endpoint *endpoint_of(relay_handle number, uint32_t right, uint32_t *badge)
{
    struct handle *h = handle_slot(&current->task->handles, HANDLE_SLOT(number));
    if (h->number != number || !h->obj || h->obj->dead || h->obj->type != KOBJ_ENDPOINT
        || !(h->rights & right))
        return 0;
    *badge = h->badge;
    return (struct endpoint *)h->obj;
}

/* A simple message: no handle, no map item, and all of it in registers. */
static inline int simple(uint32_t info, uint32_t timeout)
{
    return timeout == TIMEOUT_FOREVER && !(info & (MSGINFO_HANDLE | MSGINFO_MAP))
        && msginfo_length(info) <= MSG_REG_WORDS;
}

/* The receiver waiting on ep, if it may take the CPU at once and has no
 * timer to stop: taken off ep, no longer waiting.  NULL: the slow path. */
static inline struct thread *fastpath_receiver(struct endpoint *ep)
{
    if (list_empty(&ep->receivers))
        return 0;
    struct thread *r = list_entry(ep->receivers.next, struct thread, queue_node);
    if (list_linked(&r->timer_node) || !sched_may_run_now(r))
        return 0;
    list_remove(&r->queue_node);
    ipc_unblock(r);
    return r;
}

static inline int fastpath_call(struct trap_frame *tf, uint32_t timeout)
{
    uint32_t info = tf->ecx, badge;
    if (fastpath_off || !simple(info, timeout))
        return fastpath_count(KERNEL_FASTPATH_CALL, 0);
    struct endpoint *ep = endpoint_of(tf->ebx, RIGHT_SEND, &badge);
    struct thread *server = ep ? fastpath_receiver(ep) : 0;
    if (!server)
        return fastpath_count(KERNEL_FASTPATH_CALL, 0);

    struct thread *client = current;
    ipc_copy_registers(tf, server->tf, msginfo_length(info), badge);
    server->tf->ecx = info & ~MSGINFO_RESERVED;
    server->tf->eax = ERR_NONE;
    client->timeout = TIMEOUT_FOREVER;
    ipc_link_reply(client, server);
    (void)fastpath_count(KERNEL_FASTPATH_CALL, 1);   /* (before the switch: this stack waits there) */
    sched_switch_to(server);
    return 1;
}

/* A fault of current's, for the handler endpoint ep (badge): its record
 * straight to a handler waiting in recv, and the CPU with it.  current
 * waits for the reply with no timer, as after any delivered fault. */
static inline int fastpath_fault(struct endpoint *ep, uint32_t badge)
{
    struct thread *handler = fastpath_off ? 0 : fastpath_receiver(ep);
    if (!handler)
        return fastpath_count(KERNEL_FASTPATH_FAULT, 0);
    struct thread *t = current;
    fault_deliver(t, handler, badge);
    t->timeout = TIMEOUT_FOREVER;
    ipc_link_reply(t, handler);
    (void)fastpath_count(KERNEL_FASTPATH_FAULT, 1);
    sched_switch_to(handler);
    return 1;
}

/* reply_recv's endpoint, if receiving on it cannot find anything at once
 * and the caller (client) may take the CPU now with no timer to stop. */
static inline struct endpoint *fastpath_recv_endpoint(struct trap_frame *tf, struct thread *client)
{
    struct thread *server = current;
    uint32_t badge;
    struct endpoint *ep = endpoint_of(tf->ebx, RIGHT_RECV, &badge);
    if (!ep || !list_empty(&ep->senders) || (server->bound && server->bound->bits)
        || fault_notice_waiting(ep) || list_linked(&client->timer_node) || !sched_may_run_now(client))
        return 0;
    return ep;
}

/* The rest of a fast reply_recv: this thread into recv on ep, the CPU to client. */
static inline void fastpath_recv_switch(struct endpoint *ep, struct thread *client)
{
    struct thread *server = current;
    endpoint_wait_recv(ep, server);
    server->state = THREAD_BLOCKED;
    server->timeout = TIMEOUT_FOREVER;
    sched_switch_to(client);
}

/* reply_recv answering a fault: the fault settled as the slow path settles
 * it (fault_reply; the reply's words stay where they lie, so it may be
 * long); if the thread may not run, or the reply is refused, the slow
 * path's own rest of reply_recv goes on. */
static inline int fastpath_fault_reply(struct trap_frame *tf, uint32_t timeout, struct thread *client)
{
    uint32_t info = tf->ecx;
    if (timeout != TIMEOUT_FOREVER || (info & (MSGINFO_HANDLE | MSGINFO_MAP))
        || msginfo_length(info) > MSG_WORDS_MAX)
        return fastpath_count(KERNEL_FASTPATH_FAULT_REPLY, 0);
    struct endpoint *ep = fastpath_recv_endpoint(tf, client);
    if (!ep)
        return fastpath_count(KERNEL_FASTPATH_FAULT_REPLY, 0);
    enum relay_error err;
    int runs = ipc_reply_to(client, &err);
    if (!runs || err != ERR_NONE) {        /* counted as declined: the general path's rest */
        (void)fastpath_count(KERNEL_FASTPATH_FAULT_REPLY, 0);
        ipc_reply_recv_rest(ep, timeout, client, runs, err);
    } else {
        (void)fastpath_count(KERNEL_FASTPATH_FAULT_REPLY, 1);
        fastpath_recv_switch(ep, client);
    }
    return 1;
}

static inline int fastpath_reply_recv(struct trap_frame *tf, uint32_t timeout)
{
    struct thread *server = current, *client = server->caller;
    uint32_t info = tf->ecx;
    if (!client)
        return 0;                          /* a plain recv: no fast path to count */
    if (fastpath_off)
        return fastpath_count(client->faulting ? KERNEL_FASTPATH_FAULT_REPLY
                                               : KERNEL_FASTPATH_REPLY_RECV, 0);
    if (client->faulting)
        return fastpath_fault_reply(tf, timeout, client);
    if (!simple(info, timeout))
        return fastpath_count(KERNEL_FASTPATH_REPLY_RECV, 0);
    struct endpoint *ep = fastpath_recv_endpoint(tf, client);
    if (!ep)
        return fastpath_count(KERNEL_FASTPATH_REPLY_RECV, 0);

    server->caller = 0;
    client->server = 0;
    ipc_unblock(client);
    ipc_copy_registers(tf, client->tf, msginfo_length(info), 0);
    client->tf->ecx = info & ~MSGINFO_RESERVED;
    client->tf->eax = ERR_NONE;
    (void)fastpath_count(KERNEL_FASTPATH_REPLY_RECV, 1);
    fastpath_recv_switch(ep, client);
    return 1;
}

/*
 * A signal whose waiter takes the CPU at once: a thread waits on n alone,
 * with no timeout, nothing else is pending at this exit, and it outranks
 * current.  It takes the bits, and the CPU, here: what notification_signal
 * and the kernel exit would do, without the passes through the ready
 * queue.  The signal call's and an interrupt's last act; 0: do it the
 * general way.
 */
static inline int fastpath_signal(struct notification *n, uint32_t bits)
{
    if (!bits || list_empty(&n->waiters))
        return 0;                          /* (waiters: n has no bits; none now: nobody wakes) */
    if (fastpath_off || sched_exit_work)
        return fastpath_count(KERNEL_FASTPATH_SIGNAL, 0);
    struct thread *t = list_entry(n->waiters.next, struct thread, queue_node);
    if (list_linked(&t->timer_node) || !sched_outranks_current(t))
        return fastpath_count(KERNEL_FASTPATH_SIGNAL, 0);
    n->bits |= bits;
    list_remove(&t->queue_node);
    ipc_unblock(t);
    ipc_notify_result(t, n, t->send_badge);
    sched_preempt_current();
    (void)fastpath_count(KERNEL_FASTPATH_SIGNAL, 1);
    sched_switch_to(t);
    return 1;
}

#endif
