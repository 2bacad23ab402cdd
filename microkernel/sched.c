/* The scheduler and the timer list: see sched.h. */
#include "sched.h"
#include "ipc.h"
#include "runqueue.h"
#include "task.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/pit.h"
#include "arch/x86/switch.h"

struct thread *current;

struct runqueue ready_queue;
int sched_preempt_pending;
static struct thread idle;                 /* runs on the boot stack */
static struct list timers = LIST_INIT(timers);   /* blocked threads, soonest first */

extern char kstack_top[];

void sched_init(void)
{
    runqueue_init(&ready_queue);
    idle.state = THREAD_RUNNING;
    idle.kstack_top = (uint32_t)kstack_top;
    list_init(&idle.queue_node);
    list_init(&idle.timer_node);
    current = &idle;
}

void sched_make_ready(struct thread *t)
{
    t->state = THREAD_READY;
    runqueue_push_back(&ready_queue, &t->queue_node, t->priority);
    if (current == &idle || t->priority > current->priority)
        sched_preempt_pending = 1;
}

void sched_unready(struct thread *t)
{
    runqueue_remove(&ready_queue, &t->queue_node, t->priority);
}

/* The most urgent ready thread, taken off the queue, or idle. */
static struct thread *take_best(void)
{
    unsigned prio;
    struct list *n = runqueue_peek(&ready_queue, &prio);
    if (!n)
        return &idle;
    runqueue_remove(&ready_queue, n, prio);
    return list_entry(n, struct thread, queue_node);
}

void schedule(void)
{
    sched_switch_to(take_best());
}

void sched_switch_direct(struct thread *t)
{
    unsigned prio;
    if (runqueue_peek(&ready_queue, &prio) && prio > t->priority) {
        sched_make_ready(t);
        schedule();
        return;
    }
    sched_switch_to(t);
}

/* Whether t should take the CPU from the current thread now. */
static int more_urgent(const struct thread *t)
{
    return current == &idle || t->priority > current->priority;
}

void sched_wake(struct thread *t)
{
    /* No switch unless current can be put back in line: a dying thread
     * still has its kernel work to finish before it schedules away. */
    if (!more_urgent(t) || (current != &idle && current->state != THREAD_RUNNING)) {
        sched_make_ready(t);
        return;
    }
    if (current != &idle && current->state == THREAD_RUNNING) {
        current->state = THREAD_READY;     /* preempted: it keeps its place in line */
        runqueue_push_front(&ready_queue, &current->queue_node, current->priority);
    }
    sched_switch_to(t);
}

void sched_preempt(void)
{
    unsigned prio;
    sched_preempt_pending = 0;
    if (current == &idle || current->state != THREAD_RUNNING
        || !runqueue_peek(&ready_queue, &prio) || prio <= current->priority)
        return;
    current->state = THREAD_READY;         /* preempted: it keeps its place in line */
    runqueue_push_front(&ready_queue, &current->queue_node, current->priority);
    schedule();
}

void sched_yield(void)
{
    if (current == &idle)
        return;
    current->slice = SLICE_TICKS;
    sched_make_ready(current);
    schedule();
}

void timer_start(struct thread *t, uint32_t ticks)
{
    t->wake_tick = pit_ticks() + ticks;
    struct list *pos = timers.next;
    while (pos != &timers &&
           (int32_t)(list_entry(pos, struct thread, timer_node)->wake_tick - t->wake_tick) <= 0)
        pos = pos->next;
    list_insert_before(pos, &t->timer_node);
}

void timer_stop(struct thread *t)
{
    if (list_linked(&t->timer_node))
        list_remove(&t->timer_node);
}

void sched_tick(void)
{
    uint32_t now = pit_ticks();
    while (!list_empty(&timers)) {
        struct thread *t = list_entry(timers.next, struct thread, timer_node);
        if ((int32_t)(t->wake_tick - now) > 0)
            break;
        list_remove(&t->timer_node);
        ipc_cancel(t, ERR_TIMEOUT);
        sched_wake(t);
    }
    if (current != &idle && current->state == THREAD_RUNNING && --current->slice == 0)
        sched_yield();
}

void sched_start(void)
{
    schedule();
    for (;;) {                             /* idle: wait for an interrupt */
        sti_hlt();
        cli();
    }
}
