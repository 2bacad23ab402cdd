/*
 * The IPC fast path (after seL4's fastpath.c): call and reply_recv in the
 * common case -- a register-sized message, no handle, no timeout, a partner
 * already waiting who may run at once -- done in one straight line.  Each
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

static inline int fastpath_call(struct trap_frame *tf, uint32_t timeout)
{
    uint32_t info = tf->ecx, badge;
    if (!simple(info, timeout))
        return 0;
    struct endpoint *ep = endpoint_of(tf->ebx, RIGHT_SEND, &badge);
    if (!ep || list_empty(&ep->receivers))
        return 0;
    struct thread *server = list_entry(ep->receivers.next, struct thread, queue_node);
    if (list_linked(&server->timer_node) || !sched_may_run_now(server))
        return 0;

    struct thread *client = current;
    list_remove(&server->queue_node);
    ipc_unblock(server);
    ipc_copy_registers(tf, server->tf, msginfo_length(info), badge);
    server->tf->ecx = info & ~MSGINFO_RESERVED;
    server->tf->eax = ERR_NONE;
    client->timeout = TIMEOUT_FOREVER;
    ipc_link_reply(client, server);
    sched_switch_to(server);
    return 1;
}

static inline int fastpath_reply_recv(struct trap_frame *tf, uint32_t timeout)
{
    struct thread *server = current, *client = server->caller;
    uint32_t info = tf->ecx, badge;
    if (!client || !simple(info, timeout))
        return 0;
    struct endpoint *ep = endpoint_of(tf->ebx, RIGHT_RECV, &badge);
    if (!ep || !list_empty(&ep->senders) || (server->bound && server->bound->bits)
        || client->faulting || fault_notice_waiting(ep)
        || list_linked(&client->timer_node) || !sched_may_run_now(client))
        return 0;

    server->caller = 0;
    client->server = 0;
    ipc_unblock(client);
    ipc_copy_registers(tf, client->tf, msginfo_length(info), 0);
    client->tf->ecx = info & ~MSGINFO_RESERVED;
    client->tf->eax = ERR_NONE;
    list_push_back(&ep->receivers, &server->queue_node);
    server->state = THREAD_BLOCKED;
    server->wait = WAIT_RECV;
    server->waiting_on = ep;
    server->timeout = TIMEOUT_FOREVER;
    sched_switch_to(client);
    return 1;
}

#endif
