/*
 * The scheduler: fixed priorities, round-robin inside a priority with a
 * time slice of SLICE_TICKS, O(1) choice (runqueue.h).  The running thread
 * is not on the run queue.  When nothing is ready the idle thread -- the
 * boot stack, halting with interrupts on -- runs.  Also the timer list that
 * ends blocked calls whose timeout runs out.
 *
 * A kernel operation never switches threads in its middle.  It only says
 * what should happen: a thread it wakes becomes ready (sched_make_ready),
 * the current thread stops running (sched_stop_current), or hands the CPU
 * to a partner (sched_hand_to).  The switch is made once the operation is
 * complete, on the way out of the kernel (sched_exit, at the end of every
 * system call, interrupt and user exception) -- the IPC fast paths, which
 * complete their operation in one straight line, end with the switch too.
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
/* current stops running (blocked, suspended, dead): it is switched away at exit. */
void sched_stop_current(enum thread_state state);
/* current blocked handing the CPU to t (a call, a reply_recv): t runs at exit,
 * unless a ready thread is more urgent (then t waits its turn). */
void sched_hand_to(struct thread *t);
/* t, blocked, may run again: straight after this entry if it outranks
 * current and everyone ready (no pass through the ready queue), else in
 * its turn. */
void sched_wake(struct thread *t);
/* current gives up the rest of its slice to its equals. */
void sched_yield(void);
/* A clock tick: time slices and timeouts. */
void sched_tick(void);

/* Something for sched_exit to do: a switch, a preemption, or reaper work. */
extern uint32_t sched_exit_work;
void sched_exit_slow(void);
/* The end of every kernel entry: run the reaper a little, then whoever should run. */
static inline void sched_exit(void)
{
    if (sched_exit_work)
        sched_exit_slow();
}

/* Put the CPU on next, which is on no queue.  Inline: it is on the IPC fast
 * path, which calls it as its last act. */
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

extern struct runqueue ready_queue;

/* Whether t may take the CPU straight away: no ready thread is more urgent. */
static inline int sched_may_run_now(const struct thread *t)
{
    return !(ready_queue.nonempty >> t->priority >> 1);
}

/* Whether t, woken, should take the CPU from current at once: nothing
 * ready is more urgent and it outranks current (idle, which has no task,
 * ranks below all). */
static inline int sched_outranks_current(const struct thread *t)
{
    return sched_may_run_now(t) && (!current->task || t->priority > current->priority);
}

/* current, running, is preempted: it goes back to the front of its line. */
static inline void sched_preempt_current(void)
{
    if (current->task) {
        current->state = THREAD_READY;
        runqueue_push_front(&ready_queue, &current->queue_node, current->priority);
    }
}

/* The timer list and the idle thread: for the invariant checker. */
const struct list *sched_timers(void);
const struct thread *sched_idle(void);

/* Timeouts: t's blocked call ends with ERR_TIMEOUT after `ticks`. */
void timer_start(struct thread *t, uint32_t ticks);
void timer_stop(struct thread *t);

#endif
