/* Synchronous IPC: see ipc.h and docs/ABI.md. */
#include "ipc.h"
#include "fault.h"
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
    to->ecx = info;
    to->eax = ERR_NONE;
}

static void block(enum ipc_wait how, void *on, uint32_t timeout)
{
    current->state = THREAD_BLOCKED;
    current->wait = how;
    current->waiting_on = on;
    current->timeout = timeout;
    if (timeout != TIMEOUT_FOREVER)
        timer_start(current, timeout);
}

/* t stops waiting (its partner arrived): off the timer list, no longer blocked. */
static void unblock(struct thread *t)
{
    timer_stop(t);
    t->wait = WAIT_NONE;
    t->waiting_on = 0;
}

/* A call was delivered from caller c to server s: c waits for s's reply. */
static void await_reply(struct thread *c, struct thread *s)
{
    c->state = THREAD_BLOCKED;
    c->wait = WAIT_REPLY;
    c->waiting_on = s;
    c->server = s;
    s->caller = c;
    if (c->timeout != TIMEOUT_FOREVER && !c->faulting)   /* a handler may take its time */
        timer_start(c, c->timeout);
}

void ipc_send(struct endpoint *ep, uint32_t badge, int grant, enum ipc_wait how, uint32_t timeout)
{
    struct thread *r = endpoint_take_receiver(ep);
    if (r) {
        unblock(r);
        deliver(current, r, badge, grant);
        if (how == WAIT_CALL) {
            current->timeout = timeout;
            await_reply(current, r);
            sched_switch_direct(r);
        } else {
            current->tf->eax = ERR_NONE;
            sched_wake(r);
        }
        return;
    }
    if (ep->obj.receivers == 0) {          /* nobody can ever receive it */
        ipc_cancel_result(current, ERR_NO_PARTNER);
        return;
    }
    if (timeout == TIMEOUT_POLL) {
        current->tf->eax = ERR_TIMEOUT;
        return;
    }
    current->send_badge = badge;
    current->send_grant = (uint8_t)grant;
    endpoint_wait_send(ep, current, how);
    block(how, ep, timeout);
    schedule();
}

/* A server that receives again without replying abandons its caller. */
static void abandon_caller(struct thread *server)
{
    struct thread *c = server->caller;
    if (!c)
        return;
    ipc_cancel(c, ERR_NO_PARTNER);
    sched_make_ready(c);
}

void ipc_notify_result(struct thread *t, struct notification *n, uint32_t badge)
{
    struct trap_frame *tf = t->tf;
    tf->eax = ERR_NONE;
    tf->ebx = badge;
    tf->ecx = MSGINFO_NOTIFY;
    tf->edx = n->bits;
    n->bits = 0;
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
        unblock(s);
        deliver(s, current, s->send_badge, s->send_grant);
        if (how == WAIT_CALL) {
            await_reply(s, current);
        } else {
            s->tf->eax = ERR_NONE;
            sched_wake(s);
        }
        return;
    }
    if (timeout == TIMEOUT_POLL) {
        current->tf->eax = ERR_TIMEOUT;
        return;
    }
    endpoint_wait_recv(ep, current);
    block(WAIT_RECV, ep, timeout);
    schedule();
}

struct thread *ipc_reply(void)
{
    struct thread *c = current->caller;
    if (!c) {
        current->tf->eax = ERR_NO_PARTNER;
        return 0;
    }
    current->caller = 0;
    c->server = 0;
    unblock(c);
    if (c->faulting)
        current->tf->eax = fault_reply(current, c);
    else {
        deliver(current, c, 0, 1);
        current->tf->eax = ERR_NONE;
    }
    return c;
}

void ipc_reply_recv(struct endpoint *ep, uint32_t timeout)
{
    struct thread *c = current->caller ? ipc_reply() : 0;
    if (!c) {
        ipc_recv(ep, timeout);
        return;
    }
    /* The fast path: nobody to receive from yet, so the caller runs at once. */
    if (timeout != TIMEOUT_POLL && list_empty(&ep->senders)
        && !(current->bound && current->bound->bits)) {
        endpoint_wait_recv(ep, current);
        block(WAIT_RECV, ep, timeout);
        sched_switch_direct(c);
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
    schedule();
}

/* The result of t's call: in EAX, or for a faulting thread in fault_result. */
void ipc_cancel_result(struct thread *t, enum relay_error err)
{
    if (t->faulting)
        t->fault_result = err;
    else
        t->tf->eax = err;
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
    unblock(t);
    ipc_cancel_result(t, err);             /* a faulting thread has no system call to fail */
}

void ipc_drop_partners(struct thread *t)
{
    abandon_caller(t);
    if (t->server) {
        t->server->caller = 0;
        t->server = 0;
    }
}
