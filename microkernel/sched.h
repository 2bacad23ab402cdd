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
#include "fpu.h"
#include "runqueue.h"
#include "task.h"
#include "thread.h"
#include "arch/x86/gdt.h"
#include "arch/x86/switch.h"
#include "arch/x86/vspace.h"

#define SLICE_TICKS 5

void sched_init(void);
/* Start running threads; the boot thread becomes the idle thread. */
_Noreturn void sched_start(void);

void sched_make_ready(struct thread *t);          /* to the back of its level */
void sched_unready(struct thread *t);             /* off the run queue */
/* Put the CPU on next, which is on no queue; current is already blocked,
 * queued or dead.  Inline: it is on the IPC fast path. */
static inline void sched_switch_to(struct thread *next)
{
    struct thread *prev = current;
    next->state = THREAD_RUNNING;
    if (next == prev)
        return;
    if (next->task) {
        vspace_activate(&next->task->vs);
        kernel_tss.esp0 = next->kstack_top;
    }
    fpu_switch(next);
    current = next;
    switch_context(&prev->kstack_esp, next->kstack_esp);
    if (thread_dead_on_cpu)                /* back on prev's stack: a dead thread's can go */
        thread_reap();
}
/* current is blocked, suspended or dead: run the best ready thread. */
void schedule(void);
/* current is blocked and t was just made runnable: run t now if it is at
 * least as urgent as every ready thread (the IPC fast path), else queue it. */
void sched_switch_direct(struct thread *t);
/* t was just made runnable by current, which goes on unless t is more urgent
 * (and current is running: a dying or blocking thread never switches here). */
void sched_wake(struct thread *t);
/* Run a ready thread more urgent than current now, if there is one
 * (checked as every system call ends: whatever it woke gets the CPU). */
void sched_preempt(void);
extern struct runqueue ready_queue;
extern int sched_preempt_pending;      /* a thread more urgent than current was made ready */
static inline void sched_preempt_check(void)
{
    if (sched_preempt_pending)
        sched_preempt();
}
/* current gives up the rest of its slice to its equals. */
void sched_yield(void);
/* A clock tick: time slices and timeouts. */
void sched_tick(void);

/* Timeouts: t's blocked call ends with ERR_TIMEOUT after `ticks`. */
void timer_start(struct thread *t, uint32_t ticks);
void timer_stop(struct thread *t);

#endif
