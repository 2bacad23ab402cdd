/*
 * The scheduler: fixed priorities, round-robin inside a priority with a
 * time slice of SLICE_TICKS, O(1) choice (runqueue.h).  The running thread
 * is not on the run queue.  When nothing is ready the idle thread -- the
 * boot stack, halting with interrupts on -- runs.  Also the timer list that
 * ends blocked calls whose timeout runs out.
 */
#ifndef RELAY_SCHED_H
#define RELAY_SCHED_H

#include <stdint.h>
#include "thread.h"

#define SLICE_TICKS 5

void sched_init(void);
/* Start running threads; the boot thread becomes the idle thread. */
_Noreturn void sched_start(void);

void sched_make_ready(struct thread *t);          /* to the back of its level */
void sched_unready(struct thread *t);             /* off the run queue */
/* current is blocked, suspended or dead: run the best ready thread. */
void schedule(void);
/* current is blocked and t was just made runnable: run t now if it is at
 * least as urgent as every ready thread (the IPC fast path), else queue it. */
void sched_switch_direct(struct thread *t);
/* t was just made runnable by current, which goes on unless t is more urgent. */
void sched_wake(struct thread *t);
/* Run a ready thread more urgent than current now, if there is one
 * (called as every system call ends: whatever it woke gets the CPU). */
void sched_preempt(void);
/* current gives up the rest of its slice to its equals. */
void sched_yield(void);
/* A clock tick: time slices and timeouts. */
void sched_tick(void);

/* Timeouts: t's blocked call ends with ERR_TIMEOUT after `ticks`. */
void timer_start(struct thread *t, uint32_t ticks);
void timer_stop(struct thread *t);

int sched_is_idle(void);   /* whether the idle thread is running */

#endif
