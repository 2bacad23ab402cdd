/*
 * Synchronous IPC over endpoints and notifications (docs/ABI.md sections
 * 3-5).  Messages move from the sender's trap frame and UTCB straight into
 * the receiver's; a thread that must wait blocks and the call's results are
 * written into its trap frame by whoever completes it.
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

/* current sends its message (in its registers) on ep; how: WAIT_SEND or WAIT_CALL. */
void ipc_send(struct endpoint *ep, uint32_t badge, int grant, enum ipc_wait how, uint32_t timeout);
/* current receives on ep (or gets its bound notification's bits). */
void ipc_recv(struct endpoint *ep, uint32_t timeout);
/* current replies to its caller, which it returns (runnable, not yet queued), or NULL. */
struct thread *ipc_reply(void);
/* current replies (if it owes a reply) and receives on ep: the server loop. */
void ipc_reply_recv(struct endpoint *ep, uint32_t timeout);
/* current waits on n, with the badge of the handle it used. */
void ipc_wait(struct notification *n, uint32_t badge, uint32_t timeout);

/* Set the result of t's call (for a faulting thread, of its fault delivery). */
void ipc_cancel_result(struct thread *t, enum relay_error err);
/* End t's blocked call with err (timeout, suspension, kill, object gone). */
void ipc_cancel(struct thread *t, enum relay_error err);
/* t stops owing or expecting replies: its partners learn ERR_NO_PARTNER. */
void ipc_drop_partners(struct thread *t);
/* Give t (blocked in recv or wait) the bits of n as its call's result. */
void ipc_notify_result(struct thread *t, struct notification *n, uint32_t badge);

#endif
