/*
 * Synchronous IPC over endpoints and notifications (docs/ABI.md sections
 * 3-5).  Messages move from the sender's trap frame and UTCB straight into
 * the receiver's; a thread that must wait blocks and the call's results are
 * written into its trap frame by whoever completes it.  Nothing here
 * switches threads: who runs next is settled at kernel exit (sched.h).
 */
#ifndef RELAY_KERNEL_IPC_H
#define RELAY_KERNEL_IPC_H

#include <stdint.h>
#include "endpoint.h"
#include "notification.h"
#include "thread.h"

/*
 * The register part of a message: badge and words 0..3.  Words past the
 * length arrive as 0, so nothing of the sender's registers leaks.
 */
static inline void ipc_copy_registers(const struct trap_frame *from, struct trap_frame *to,
                                      uint32_t length, uint32_t badge)
{
    to->ebx = badge;
    to->edx = length > 0 ? from->edx : 0;
    to->esi = length > 1 ? from->esi : 0;
    to->edi = length > 2 ? from->edi : 0;
    to->ebp = length > 3 ? from->ebp : 0;
}

/* t stops waiting (its partner arrived): off the timer list, no longer blocked on anything. */
static inline void ipc_unblock(struct thread *t)
{
    if (list_linked(&t->timer_node))
        list_remove(&t->timer_node);
    t->wait = WAIT_NONE;
    t->waiting_on = 0;
}

/* A call from c was delivered to s: c waits for s's reply (no timer: the fast path's case). */
static inline void ipc_link_reply(struct thread *c, struct thread *s)
{
    c->state = THREAD_BLOCKED;
    c->wait = WAIT_REPLY;
    c->waiting_on = s;
    c->server = s;
    s->caller = c;
}

/* current sends its message (in its registers) on ep; how: WAIT_SEND or WAIT_CALL. */
void ipc_send(struct endpoint *ep, uint32_t badge, int grant, enum ipc_wait how, uint32_t timeout);
/* current receives on ep (or gets its bound notification's bits). */
void ipc_recv(struct endpoint *ep, uint32_t timeout);
/* current replies to its caller; the caller is made runnable (or, for a
 * fault, its fate is settled: fault.c).  ERR_NO_PARTNER without a caller. */
enum relay_error ipc_reply(void);
/* current replies (if it owes a reply) and receives on ep: the server loop.
 * A reply the kernel refuses (a fault reply it cannot carry out) ends the
 * call there, with that error: nothing is received. */
void ipc_reply_recv(struct endpoint *ep, uint32_t timeout);
/* current, replying, lets its caller c go: the reply delivered, or c's fault
 * settled (fault.c); 1 if c may run, *err what the reply's sender is told. */
int ipc_reply_to(struct thread *c, enum relay_error *err);
/* ipc_reply_recv after its reply (ipc_reply_to's result for c, or c NULL). */
void ipc_reply_recv_rest(struct endpoint *ep, uint32_t timeout, struct thread *c, int runs,
                         enum relay_error err);
/* current waits on n, with the badge of the handle it used. */
void ipc_wait(struct notification *n, uint32_t badge, uint32_t timeout);

/* Take t off whatever it waits in and set its call's result (a faulting
 * thread's delivery has none); t is left neither blocked nor runnable. */
void ipc_cancel(struct thread *t, enum relay_error err);
/* End t's blocked call from outside (timeout, partner or object gone) with
 * err, and let it run again -- or, if it was delivering a fault, let fault.c
 * settle its fate. */
void ipc_abort(struct thread *t, enum relay_error err);
/* t stops owing or expecting replies: its partners learn ERR_NO_PARTNER. */
void ipc_drop_partners(struct thread *t);
/* Give t (blocked in recv or wait) the bits of n as its call's result
 * (inline: an interrupt's driver gets its bits this way). */
static inline void ipc_notify_result(struct thread *t, struct notification *n, uint32_t badge)
{
    struct trap_frame *tf = t->tf;
    tf->eax = ERR_NONE;
    tf->ebx = badge;
    tf->ecx = MSGINFO_NOTIFY;
    tf->edx = n->bits;
    n->bits = 0;
}

#endif
