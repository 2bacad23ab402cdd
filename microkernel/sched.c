/* The scheduler and the timer list: see sched.h. */
#include "sched.h"
#include "irq.h"
#include "check.h"
#include "ipc.h"
#include "reaper.h"
#include "runqueue.h"
#include "task.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/pit.h"
#include "arch/x86/switch.h"

struct thread *current;

struct runqueue ready_queue;
uint32_t sched_exit_work;
static struct thread *handed_to;           /* sched_hand_to's thread, until exit */
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

const struct list *sched_timers(void) { return &timers; }
const struct thread *sched_idle(void) { return &idle; }

void sched_make_ready(struct thread *t)
{
    t->state = THREAD_READY;
    runqueue_push_back(&ready_queue, &t->queue_node, t->priority);
    if (current == &idle || t->priority > current->priority)
        sched_exit_work = 1;
}

void sched_unready(struct thread *t)
{
    runqueue_remove(&ready_queue, &t->queue_node, t->priority);
}

void sched_stop_current(enum thread_state state)
{
    current->state = (uint8_t)state;
    sched_exit_work = 1;
}

void sched_wake(struct thread *t)
{
    if (handed_to)
        sched_make_ready(t);
    else
        sched_hand_to(t);
}

void sched_hand_to(struct thread *t)
{
    if (handed_to)                         /* not expected: one hand-over an operation */
        sched_make_ready(handed_to);
    handed_to = t;
    sched_exit_work = 1;
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

/* Who runs after this entry: the thread handed the CPU to, if nobody
 * ready outranks it and current has stopped or it outranks current (then
 * current is preempted); else current, if it still runs and nobody ready
 * outranks it; else the most urgent ready thread. */
static struct thread *choose(void)
{
    struct thread *t = handed_to;
    int running = current != &idle && current->state == THREAD_RUNNING;
    handed_to = 0;
    if (t && sched_may_run_now(t) && (!running || t->priority > current->priority)) {
        if (running)
            sched_preempt_current();
        return t;
    }
    if (t)
        sched_make_ready(t);
    if (running) {
        if (sched_may_run_now(current))
            return current;
        sched_preempt_current();
    }
    return take_best();
}

void sched_exit_slow(void)
{
    if (reaper_queued) {
        reaper_run(REAPER_BUDGET);
        sched_exit_work = reaper_queued != 0;   /* what is left goes on at the next exit */
    } else {
        sched_exit_work = 0;
    }
    sched_switch_to(choose());
}

void sched_yield(void)
{
    if (current == &idle)
        return;
    current->slice = SLICE_TICKS;
    sched_make_ready(current);
    sched_exit_work = 1;
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
        ipc_abort(t, ERR_TIMEOUT);
    }
    if (irq_watched)
        irq_watchdog(now);
    if (current != &idle && current->state == THREAD_RUNNING && --current->slice == 0)
        sched_yield();
}

/* The idle loop lets interrupts in: a non-preemptible span ends (check.h). */
static void idle_open(void)
{
#ifdef RELAY_CHECK
    check_exit();
#endif
}

void sched_start(void)
{
    sched_exit_work = 1;
    sched_exit_slow();
    for (;;) {                             /* idle: teardown left over, else wait */
        idle_open();
        if (reaper_queued) {
            sched_exit_work = 1;
            sched_exit_slow();             /* a budget's worth, then maybe a thread */
            sti();                         /* an interrupt may come in between */
            asm volatile("nop");
            cli();
            continue;
        }
        sti_hlt();
        cli();
    }
}
