/*
 * Victims: the fault and hostile suites raise exceptions on purpose on a
 * thread of their own task whose faults go to a handler thread of theirs,
 * and read the kernel's notices of faults nobody handled.
 */
#ifndef VICTIM_H
#define VICTIM_H

#include <relay/libos.h>
#include <relay/fault.h>

/*
 * Run fn on a new thread of this task at priority, its exceptions going to
 * handler_ep (the calling thread keeps none); it signals `done` (a
 * notification) when fn returns.  In a task the default pager pages, the
 * victim has no pager handler either, so that its page faults reach
 * handler_ep as in a task that owns its frames (the suite pages its
 * program in first: program_page_in).  Waits up to ticks; 1 if fn returned, 0 if
 * the victim died or hung (then it is killed).  *handle (if not NULL) is the
 * victim's thread handle while it runs.
 */
int victim_run(void (*fn)(void), relay_handle handler_ep, relay_handle done, uint32_t priority,
               uint32_t ticks, relay_handle *handle);

/* The next notice on the supervisor's endpoint ep: ERR_INVALID for a message the kernel did not make. */
int notice_take(relay_handle ep, struct fault_record *rec, uint32_t ticks);

/* What the kernel has in use, once its reaper is done (zeroes if it cannot say). */
struct kernel_info kinfo(void);

#endif
