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
 * A suite the default pager pages (started by name through proc, as the
 * shell runs it) sees its page faults go to the pager, which pages its
 * program in on first touch and kills the task at a bad address.  The
 * suites' victims and handlers are written for a task of their own frames:
 * victim_prepare (a suite's main calls it first) touches every page of the
 * program's segments, so that no handler ever needs the pager for them
 * (the kernel ends a handler that faults while handling), and victim_run
 * starts victims without the pager as their pager handler, so that their
 * page faults reach their handler as in an unpaged task.  Without the
 * startup handle "pager" both are as before.  ERR_NONE, or why the image
 * could not be read (elf_check's error).
 */
int victim_prepare(void);

/*
 * Run fn on a new thread of this task at priority, its exceptions going to
 * handler_ep (the calling thread keeps none; nor does it, if this task is
 * paged, have a pager handler); it signals `done` (a notification) when
 * fn returns.  Waits up to ticks; 1 if fn returned, 0 if
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
