/*
 * Faults become messages (docs/ARCHITECTURE.md section 14; the ABI is
 * ipc/relay/fault.h and docs/ABI.md section 8).  An exception in ring 3 is delivered as a call on the
 * faulting thread's behalf to its handler, and the handler's reply decides:
 * retry, resume with new registers, or kill.  What cannot be handled dooms
 * the thread: a notice goes to the supervisor and the reaper kills it.
 *
 * The faulting thread runs no kernel code after it raised the fault: its
 * fate is settled by whoever ends its call -- the handler's reply
 * (fault_reply), or the timeout, the partner's death or the object's end
 * (fault_aborted) -- and it either returns to ring 3 as its trap frame now
 * says or never runs again.
 */
#ifndef RELAY_KERNEL_FAULT_H
#define RELAY_KERNEL_FAULT_H

#include <stdint.h>
#include "endpoint.h"
#include "handle.h"
#include "thread.h"
#include "arch/x86/trapframe.h"

/* The supervisor endpoint's kernel-held handle (obj NULL: none). */
extern struct handle supervisor;
/* The supervisor capability: a handle to it lets supervisor_set choose that endpoint. */
extern struct kobject supervisor_cap;
/* Tell the supervisor that IRQ line went unacknowledged by the driver (ids). */
void fault_irq_notice(uint32_t line, uint32_t task_id, uint32_t thread_id);

/* current took an exception in ring 3: deliver it, or doom current. */
void fault_raise(struct trap_frame *tf);

/* Fill r's registers and UTCB with t's fault record (LABEL_FAULT), badge given. */
void fault_deliver(struct thread *t, struct thread *r, uint32_t badge);

/* The handler's reply (in replier's registers and UTCB) to faulting thread t.
 * *err is for the replier: ERR_NONE, ERR_INVALID for a malformed reply, or
 * why a FAULT_MAP failed.  Returns 1 if t goes on (retry, resume), 0 if it
 * is doomed or killed (the reaper does it). */
int fault_reply(struct thread *replier, struct thread *t, enum relay_error *err);

/* t's fault call ended without a reply (err: ERR_TIMEOUT, ERR_NO_PARTNER,
 * ERR_DELETED): t is doomed, with the notice that says why. */
void fault_aborted(struct thread *t, enum relay_error err);

/* A pending notice for a receiver on ep, if ep is the supervisor's: 1 if r got one. */
int fault_take_notice(struct endpoint *ep, struct thread *r);

/* Nobody can receive from ep any more: if it was the supervisor's, the
 * kernel lets go of it and notices wait (counted as lost) for a new one. */
void fault_endpoint_unreceivable(struct kobject *ep);

/* A new thread inherits its creator's handlers (in the same task); a dying one drops them. */
void fault_inherit(struct thread *t, struct thread *creator);
void fault_forget(struct thread *t);

/* Whether a notice waits for a receiver on ep. */
extern unsigned fault_notices_queued;
static inline int fault_notice_waiting(const struct endpoint *ep)
{
    return fault_notices_queued && (const struct kobject *)ep == supervisor.obj;
}

#endif
