/* Synchronous IPC: see ipc.h and docs/ABI.md. */
#include "ipc.h"
#include "fault.h"
#include "frames.h"
#include "kstring.h"
#include "sched.h"
#include "task.h"

/* Move the message in s's registers and UTCB to r; r's call returns ERR_NONE. */
static void deliver(struct thread *s, struct thread *r, uint32_t badge, int grant)
{
    if (s->faulting) {                     /* not a message: the kernel's fault record */
        fault_deliver(s, r, badge);
        return;
    }
    const struct trap_frame *from = s->tf;
    struct trap_frame *to = r->tf;
    uint32_t info = from->ecx & ~MSGINFO_RESERVED;
    uint32_t length = msginfo_length(info);
    ipc_copy_registers(from, to, length, badge);
    if (length > MSG_REG_WORDS)
        memcpy(&r->utcb->mr[MSG_REG_WORDS], &s->utcb->mr[MSG_REG_WORDS],
               (length - MSG_REG_WORDS) * sizeof(uint32_t));
    if (info & MSGINFO_HANDLE) {
        struct handle *src, *copy;
        r->utcb->recv_handle = HANDLE_NULL;
        if (grant && handle_lookup(&s->task->handles, s->utcb->send_handle, KOBJ_NONE, 0, &src) == ERR_NONE
            && handle_derive(&r->task->handles, src, RIGHTS_ALL, 0, 0, &copy) == ERR_NONE)
            r->utcb->recv_handle = handle_number(&r->task->handles, copy);
        else
            info &= ~MSGINFO_HANDLE;
    }
    if (info & MSGINFO_MAP) {
        r->utcb->recv_mapped = grant ? memory_map_item(s->task, s->utcb, r->task, r->utcb) : 0;
        if (!r->utcb->recv_mapped)
            info &= ~MSGINFO_MAP;
    }
    to->ecx = info;
    to->eax = ERR_NONE;
}

/* current waits (how) on `on`, for at most timeout ticks. */
static void block(enum ipc_wait how, void *on, uint32_t timeout)
{
    current->wait = how;
    current->waiting_on = on;
    current->timeout = timeout;
    if (timeout != TIMEOUT_FOREVER)
        timer_start(current, timeout);
    sched_stop_current(THREAD_BLOCKED);
}

/* A call from c was delivered to s: c waits for s's reply, the send phase's timeout again. */
static void await_reply(struct thread *c, struct thread *s)
{
    ipc_link_reply(c, s);
    if (c->timeout != TIMEOUT_FOREVER && !c->faulting)   /* a handler may take its time */
        timer_start(c, c->timeout);
}

/* current's call fails at once with err: in EAX, or as its fault's undoing. */
static void fail_now(enum relay_error err)
{
    if (current->faulting)
        fault_aborted(current, err);
    else
        current->tf->eax = err;
}

void ipc_send(struct endpoint *ep, uint32_t badge, int grant, enum ipc_wait how, uint32_t timeout)
{
    struct thread *r = endpoint_take_receiver(ep);
    if (r) {
        ipc_unblock(r);
        deliver(current, r, badge, grant);
        if (how == WAIT_CALL) {
            current->timeout = timeout;
            await_reply(current, r);
            sched_stop_current(THREAD_BLOCKED);
            sched_hand_to(r);
        } else {
            current->tf->eax = ERR_NONE;
            sched_make_ready(r);
        }
        return;
    }
    if (ep->obj.receivers == 0) {          /* nobody can ever receive it */
        fail_now(ERR_NO_PARTNER);
        return;
    }
    if (timeout == TIMEOUT_POLL) {
        fail_now(ERR_TIMEOUT);
        return;
    }
    current->send_badge = badge;
    current->send_grant = (uint8_t)grant;
    endpoint_wait_send(ep, current, how);
    block(how, ep, timeout);
}

/* A server that receives again without replying abandons its caller. */
static void abandon_caller(struct thread *server)
{
    if (server->caller)
        ipc_abort(server->caller, ERR_NO_PARTNER);
}

void ipc_recv(struct endpoint *ep, uint32_t timeout)
{
    abandon_caller(current);
    struct notification *n = current->bound;
    if (n && n->bits) {
        ipc_notify_result(current, n, n->bound_badge);
        return;
    }
    if (fault_take_notice(ep, current))   /* the supervisor's pending notices */
        return;
    struct thread *s = endpoint_take_sender(ep);
    if (s) {
        enum ipc_wait how = s->wait;
        ipc_unblock(s);
        deliver(s, current, s->send_badge, s->send_grant);
        if (how == WAIT_CALL) {
            await_reply(s, current);
        } else {
            s->tf->eax = ERR_NONE;
            sched_make_ready(s);
        }
        return;
    }
    if (timeout == TIMEOUT_POLL) {
        current->tf->eax = ERR_TIMEOUT;
        return;
    }
    endpoint_wait_recv(ep, current);
    block(WAIT_RECV, ep, timeout);
}

int ipc_reply_to(struct thread *c, enum relay_error *err)
{
    current->caller = 0;
    c->server = 0;
    ipc_unblock(c);
    if (c->faulting)
        return fault_reply(current, c, err);
    deliver(current, c, 0, 1);
    *err = ERR_NONE;
    return 1;
}

enum relay_error ipc_reply(void)
{
    struct thread *c = current->caller;
    enum relay_error err;
    if (!c)
        return ERR_NO_PARTNER;
    if (ipc_reply_to(c, &err))
        sched_make_ready(c);
    return err;
}

void ipc_reply_recv(struct endpoint *ep, uint32_t timeout)
{
    struct thread *c = current->caller;
    enum relay_error err = ERR_NONE;
    int runs = c && ipc_reply_to(c, &err);
    ipc_reply_recv_rest(ep, timeout, c, runs, err);
}

void ipc_reply_recv_rest(struct endpoint *ep, uint32_t timeout, struct thread *c, int runs,
                         enum relay_error err)
{
    if (err != ERR_NONE) {                 /* the kernel refused the reply: say so, receive nothing */
        current->tf->eax = err;
        if (runs)
            sched_make_ready(c);
        return;
    }
    if (!runs) {
        ipc_recv(ep, timeout);
        return;
    }
    /* Nobody to receive from yet, so the caller runs at once. */
    if (timeout != TIMEOUT_POLL && list_empty(&ep->senders) && !fault_notice_waiting(ep)
        && !(current->bound && current->bound->bits)) {
        endpoint_wait_recv(ep, current);
        block(WAIT_RECV, ep, timeout);
        sched_hand_to(c);
        return;
    }
    sched_make_ready(c);
    ipc_recv(ep, timeout);
}

void ipc_wait(struct notification *n, uint32_t badge, uint32_t timeout)
{
    if (n->bits) {
        ipc_notify_result(current, n, badge);
        return;
    }
    if (timeout == TIMEOUT_POLL) {
        current->tf->eax = ERR_TIMEOUT;
        return;
    }
    current->send_badge = badge;
    list_push_back(&n->waiters, &current->queue_node);
    block(WAIT_NOTIFY, n, timeout);
}

void ipc_cancel(struct thread *t, enum relay_error err)
{
    switch (t->wait) {
    case WAIT_SEND:
    case WAIT_CALL:
    case WAIT_RECV:
        endpoint_cancel(t);
        break;
    case WAIT_REPLY:
        if (t->server)
            t->server->caller = 0;
        t->server = 0;
        break;
    case WAIT_NOTIFY:
        list_remove(&t->queue_node);
        break;
    }
    ipc_unblock(t);
    if (!t->faulting)                      /* a faulting thread is in no system call */
        t->tf->eax = err;
}

void ipc_abort(struct thread *t, enum relay_error err)
{
    ipc_cancel(t, err);
    if (t->faulting)
        fault_aborted(t, err);
    else
        sched_make_ready(t);
}

void ipc_drop_partners(struct thread *t)
{
    abandon_caller(t);
    if (t->server) {
        t->server->caller = 0;
        t->server = 0;
    }
}
