/*
 * Faults become messages (DESIGN.md section 6; the ABI is in
 * ipc/relay/fault.h).  An exception in ring 3 is delivered as a call on the
 * faulting thread's behalf to its handler, and the handler's reply decides:
 * retry, resume with new registers, or kill.  What cannot be handled kills
 * the thread and posts a notice to the supervisor.
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

/* current took an exception in ring 3: deliver it; returns to run on, or not at all. */
void fault_raise(struct trap_frame *tf);

/* Fill r's registers and UTCB with t's fault record (label LABEL_FAULT), badge given. */
void fault_deliver(struct thread *t, struct thread *r, uint32_t badge);

/* The handler's reply (in replier's registers and UTCB) to faulting thread t:
 * ERR_NONE, or ERR_INVALID if it was malformed (t will die of it). */
enum relay_error fault_reply(struct thread *replier, struct thread *t);

/* Nobody can receive from ep any more: if it was the supervisor's, the
 * kernel lets go of it and notices wait (counted as lost) for a new one. */
void fault_endpoint_unreceivable(struct kobject *ep);

/* A pending notice for a receiver on ep, if ep is the supervisor's: 1 if r got one. */
int fault_take_notice(struct endpoint *ep, struct thread *r);

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
