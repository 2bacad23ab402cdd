/*
 * The IPC fast paths against the general path (issue 13): the kernel's own
 * IPC code -- sys_ipc.c's handlers, fastpath.h, ipc.c, endpoint.c,
 * notification.c, fault.c and sched.c, built for the host by the model_*.c
 * files (model_shim.h says what is replaced and why) -- runs a small world
 * of tasks, threads, endpoints and notifications through seeded random
 * sequences of operations, each sequence twice: once with the fast paths
 * on, once with them off (fastpath.h's fastpath_off, as the test kernel's
 * `nofastpath`).  After every step the two runs must agree on everything a
 * thread or the scheduler can see: each thread's state, what it waits on
 * and for whom, whether it is faulting or doomed, its registers EAX..EBP
 * and UTCB message words (a fault record among them), each endpoint's
 * sender and receiver queues, each notification's bits and waiters, the
 * ready queue in order, and which thread runs.
 *
 * A step is one system call made by the current thread -- send, call,
 * recv, reply, reply_recv, signal or wait, through a handle of its task
 * chosen at random (sometimes one of the wrong kind or a bad number),
 * with random words, lengths up to past the registers, sometimes a handle
 * carried or reserved info bits set, and a timeout of FOREVER, POLL or a
 * few ticks -- or an exception it takes in ring 3 (fault_raise), or a
 * clock tick (sched_tick: timeouts run out, slices end); then the kernel's
 * exit (sched_exit).  A thread that answers a fault mostly
 * answers with a verb: RETRY, RESUME (with registers that pass, or not),
 * KILL_THREAD, or a label that is none.  Every thread but one has an
 * exception handler; fault notices go to endpoint 1.  sched_switch_to
 * makes the thread it switches to current and the driver goes on with
 * that thread, which is what the CPU would run next.  When nobody can
 * run, a step is a tick or an interrupt signalling a notification,
 * delivered as irq.c delivers one.
 *
 * Not covered: FAULT_MAP answers and map items (no memory here), pagers
 * (HANDLER_PAGER), and
 * objects that die mid-call; a doomed thread stays doomed, as the reaper
 * does not run.
 */
#include "model_shim.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "fault.h"
#include "ipc.h"
#include "notification.h"
#include "sched.h"
#include "syscall_impl.h"
#include "task.h"
#include "relay/fault.h"
#include "relay/kinfo.h"

extern int fastpath_off;
extern uint32_t fastpath_taken[KERNEL_FASTPATHS], fastpath_declined[KERNEL_FASTPATHS];
void model_irq_signal(struct notification *n, uint32_t bits);   /* model_sys_ipc.c */
void model_fault_reset(void);                                    /* model_fault.c */
extern uint32_t model_ticks;                                     /* model_stubs.c: pit_ticks */

#define TASKS    3
#define THREADS  6           /* thread i is in task i / 2 */
#define EPS      3           /* endpoint 2: nobody holds a receive right */
#define NTFS     2           /* notification 1 is bound to thread 0 */
#define HANDLES  (2 * EPS + 2 * NTFS)   /* per task: an original and a badged send-only copy of each */
#define SEQUENCES 2000
#define STEPS     200
#define IDLE_STEPS 8         /* steps in a row with nobody to run: the sequence ends */

static struct task tasks[TASKS];
static struct thread th[THREADS];
static struct trap_frame tfs[THREADS];
static struct utcb utcbs[THREADS];
static struct endpoint eps[EPS];
static struct notification ntfs[NTFS];
static relay_handle hnum[TASKS][HANDLES];   /* [0,EPS) originals, then badged; then the same for NTFS */

/* ------------------------------------------------------------ what the two runs must agree on */

struct thread_view {
    uint8_t state, wait, faulting, doom;
    int16_t on, caller, server;      /* codes: see who() and what() */
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint32_t mr[MSG_WORDS_MAX];
    uint32_t recv_handle;
};

struct view {
    int16_t current;
    int16_t ready[THREADS + 1];      /* highest priority first, -1 after the last */
    int16_t senders[EPS][THREADS + 1], receivers[EPS][THREADS + 1];
    int16_t waiters[NTFS][THREADS + 1];
    uint32_t bits[NTFS];
    struct thread_view t[THREADS];
};

static int16_t who(const struct thread *t)
{
    if (!t)
        return -1;
    if (t == sched_idle())
        return 99;
    cr_assert(t >= th && t < th + THREADS, "a thread that is not the model's");
    return (int16_t)(t - th);
}

static int16_t what(const void *on)
{
    for (int i = 0; i < EPS; i++)
        if (on == &eps[i])
            return (int16_t)(100 + i);
    for (int i = 0; i < NTFS; i++)
        if (on == &ntfs[i])
            return (int16_t)(200 + i);
    return on ? who(on) : -1;
}

static void list_view(const struct list *l, int16_t *out)
{
    int n = 0;
    for (const struct list *p = l->next; p != l; p = p->next) {
        cr_assert_lt(n, THREADS, "a queue holds more threads than there are");
        out[n++] = who(list_entry(p, struct thread, queue_node));
    }
    out[n] = -1;
}

static void take_view(struct view *v)
{
    memset(v, 0, sizeof *v);
    v->current = who(current);
    int n = 0;
    for (int p = PRIORITIES - 1; p >= 0; p--)
        for (const struct list *l = ready_queue.level[p].next; l != &ready_queue.level[p]; l = l->next) {
            cr_assert_lt(n, THREADS, "the ready queue holds more threads than there are");
            v->ready[n++] = who(list_entry(l, struct thread, queue_node));
        }
    v->ready[n] = -1;
    for (int e = 0; e < EPS; e++) {
        list_view(&eps[e].senders, v->senders[e]);
        list_view(&eps[e].receivers, v->receivers[e]);
    }
    for (int i = 0; i < NTFS; i++) {
        list_view(&ntfs[i].waiters, v->waiters[i]);
        v->bits[i] = ntfs[i].bits;
    }
    for (int i = 0; i < THREADS; i++) {
        const struct thread *t = &th[i];
        struct thread_view *tv = &v->t[i];
        tv->state = t->state;
        tv->wait = t->wait;
        tv->faulting = t->faulting;
        tv->doom = t->doom;
        tv->on = what(t->waiting_on);
        tv->caller = who(t->caller);
        tv->server = who(t->server);
        tv->eax = t->tf->eax;
        tv->ebx = t->tf->ebx;
        tv->ecx = t->tf->ecx;
        tv->edx = t->tf->edx;
        tv->esi = t->tf->esi;
        tv->edi = t->tf->edi;
        tv->ebp = t->tf->ebp;
        memcpy(tv->mr, t->utcb->mr, sizeof tv->mr);
        tv->recv_handle = t->utcb->recv_handle;
    }
}

/* ------------------------------------------------------------ the world */

static uint32_t rng;
static uint32_t draw(void)                 /* xorshift32 */
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void add_handles(int t, struct kobject *obj, uint32_t rights, int orig_slot, int copy_slot,
                        uint32_t badge)
{
    struct handle *h, *copy;
    struct handle_table *table = &tasks[t].handles;
    cr_assert_eq(handle_create(table, obj, rights, &h), ERR_NONE);
    hnum[t][orig_slot] = handle_number(table, h);
    cr_assert_eq(handle_derive(table, h, RIGHT_SEND, 1, badge, &copy), ERR_NONE);
    hnum[t][copy_slot] = handle_number(table, copy);
}

/* A fresh world: every thread ready, the most urgent one running. */
static void build_world(uint32_t seed)
{
    memset(tasks, 0, sizeof tasks);
    memset(th, 0, sizeof th);
    memset(eps, 0, sizeof eps);
    memset(ntfs, 0, sizeof ntfs);
    rng = seed * 2654435761u | 1;
    model_ticks = 0;
    sched_init();
    for (int e = 0; e < EPS; e++) {
        eps[e].obj.type = KOBJ_ENDPOINT;
        endpoint_init(&eps[e]);
    }
    for (int i = 0; i < NTFS; i++) {
        ntfs[i].obj.type = KOBJ_NOTIFICATION;
        list_init(&ntfs[i].waiters);
    }
    for (int t = 0; t < TASKS; t++) {
        tasks[t].obj.type = KOBJ_TASK;
        tasks[t].id = (uint32_t)t + 1;
        tasks[t].vs.pd_phys = 0x1000u * ((uint32_t)t + 1);
        handle_table_init(&tasks[t].handles, &tasks[t].obj);
        for (int e = 0; e < EPS; e++)
            add_handles(t, &eps[e].obj, e == EPS - 1 ? RIGHT_SEND | RIGHT_GRANT : RIGHTS_ALL,
                        e, EPS + e, 0x100u * (uint32_t)t + 0x10u * (uint32_t)e + 1);
        for (int i = 0; i < NTFS; i++)
            add_handles(t, &ntfs[i].obj, RIGHTS_ALL, 2 * EPS + i, 2 * EPS + NTFS + i,
                        1u << (8 + 4 * t + i));
    }
    for (int i = 0; i < THREADS; i++) {
        struct thread *t = &th[i];
        t->obj.type = KOBJ_THREAD;
        t->task = &tasks[i / 2];
        t->id = (uint16_t)i;
        t->priority = (uint8_t)(1 + draw() % 3);
        t->mcp = t->priority;
        t->slice = SLICE_TICKS;
        t->timeout = TIMEOUT_FOREVER;
        list_init(&t->task_node);
        list_init(&t->queue_node);
        list_init(&t->timer_node);
        t->tf = &tfs[i];
        t->utcb = &utcbs[i];
        memset(t->tf, 0, sizeof *t->tf);
        memset(t->utcb, 0, sizeof *t->utcb);
        t->tf->eax = draw();
        t->tf->ebx = draw();
        t->tf->ecx = draw();
        sched_make_ready(t);
    }
    /* Faults: each thread but the last has an exception handler, an
     * endpoint some thread serves; notices go to endpoint 1. */
    model_fault_reset();
    supervisor = (struct handle){ .obj = &eps[1].obj, .rights = RIGHTS_ALL };
    for (int i = 0; i < THREADS - 1; i++)
        th[i].handler[HANDLER_EXCEPTION] = (struct handle){ .obj = &eps[i % 2].obj,
                                                            .rights = RIGHTS_ALL,
                                                            .badge = 0xFA0u + (uint32_t)i };
    ntfs[1].bound = &th[0];
    ntfs[1].bound_badge = 0xB0B;
    th[0].bound = &ntfs[1];
    sched_exit_work = 1;
    sched_exit_slow();
}

/* Nothing may stay on the kernel's own timer list between runs. */
static void end_world(void)
{
    for (int i = 0; i < THREADS; i++)
        timer_stop(&th[i]);
}

enum op { OP_SEND, OP_CALL, OP_RECV, OP_REPLY, OP_REPLY_RECV, OP_SIGNAL, OP_WAIT, OP_FAULT, OP_IRQ,
          OP_TICK, OPS };
static const char *const op_name[OPS] = { "send", "call", "recv", "reply", "reply_recv",
                                          "signal", "wait", "fault", "interrupt", "tick" };
/* How often each is drawn, out of 16: even threads mostly call their
 * servers, odd ones mostly serve (reply_recv), as a system's threads do;
 * every operation stays possible for every thread. */
static const enum op op_table[2][16] = {
    { OP_SEND, OP_FAULT, OP_CALL, OP_CALL, OP_CALL, OP_CALL, OP_CALL, OP_CALL,
      OP_CALL, OP_RECV, OP_REPLY, OP_REPLY_RECV, OP_SIGNAL, OP_SIGNAL, OP_SIGNAL, OP_WAIT },
    { OP_FAULT, OP_CALL, OP_RECV, OP_RECV, OP_REPLY, OP_REPLY_RECV, OP_REPLY_RECV, OP_REPLY_RECV,
      OP_REPLY_RECV, OP_REPLY_RECV, OP_REPLY_RECV, OP_REPLY_RECV, OP_SIGNAL, OP_WAIT, OP_WAIT, OP_WAIT },
};

static unsigned timers_expired;            /* by the ticks of the fast runs */

static unsigned timers_running(void)
{
    unsigned n = 0;
    for (const struct list *l = sched_timers()->next; l != sched_timers(); l = l->next)
        n++;
    return n;
}

struct step {
    uint8_t op;
    int16_t thread;
};

/* One step: a clock tick, the current thread's system call or exception,
 * or, if nobody runs, a tick or an interrupt.  As many numbers are drawn
 * whatever happens, so both runs see the same ones as long as they agree. */
static enum op do_step(int16_t *by)
{
    uint32_t a[16];
    for (unsigned i = 0; i < 16; i++)
        a[i] = draw();
    *by = who(current);
    if (a[15] % 16 == 0 || (current == sched_idle() && a[15] % 2)) {
        model_ticks++;                                   /* the clock interrupt */
        unsigned before = timers_running();
        sched_tick();
        if (!fastpath_off)
            timers_expired += before - timers_running();
        sched_exit();
        return OP_TICK;
    }
    if (current == sched_idle()) {
        model_irq_signal(&ntfs[a[0] % NTFS], a[1] % 4 ? 1u << (a[2] % 8) : a[2] & 0xFF);
        sched_exit();
        return OP_IRQ;
    }
    enum op op = op_table[*by & 1][a[0] % 16];
    struct trap_frame *tf = current->tf;
    relay_handle *mine = hnum[current->task - tasks];
    unsigned pick;
    if (a[1] % 16 == 0)
        pick = a[2] % HANDLES;                           /* perhaps the wrong kind */
    else if (op == OP_SIGNAL || op == OP_WAIT)
        pick = 2 * EPS + a[2] % (2 * NTFS);
    else if ((op == OP_RECV || op == OP_REPLY_RECV) && a[2] % 4)
        pick = (unsigned)(*by >> 1) & 1;                 /* a server's own endpoint */
    else
        pick = a[2] % 8 ? a[2] % 2 + (a[2] & 8 ? EPS : 0) : a[2] % (2 * EPS);
    /* Rarely, any number -- in a slot the table can have: the kernel reads
     * any slot without a bounds check (handle.h), which holds for its
     * 32-byte handles but not for a 64-bit host's bigger ones. */
    relay_handle handle = a[1] % 64 == 1 ? (a[3] & ~(HANDLE_SLOTS - 1)) | a[3] % HANDLE_TABLE_SLOTS
                                         : mine[pick];
    uint32_t length = a[4] % 4 ? a[5] % (MSG_REG_WORDS + 1) : a[5] % 13;
    uint32_t info = msginfo(a[6] & 0xFF, length, a[7] % 16 == 0 ? MSGINFO_HANDLE : 0);
    if (a[7] % 8 == 1)
        info |= a[8] & MSGINFO_RESERVED;                 /* the kernel must clear them */
    if (op == OP_SIGNAL)
        info = a[6] % 4 ? 1u << (a[8] % 8) : a[6] & 0xFF;   /* the bits */
    uint32_t timeout = a[9] % 8 == 0 ? TIMEOUT_POLL : a[9] % 8 == 1 ? 1 + a[9] / 8 % 4 : TIMEOUT_FOREVER;
    /* Answering a fault: mostly one of the verbs (FAULT_MAP aside: the
     * model maps nothing), sometimes a RESUME's registers that pass. */
    if ((op == OP_REPLY || op == OP_REPLY_RECV) && current->caller && current->caller->faulting
        && a[12] % 8) {
        static const uint32_t verbs[8] = { FAULT_RETRY, FAULT_RETRY, FAULT_RETRY, FAULT_RESUME,
                                           FAULT_RESUME, FAULT_RESUME, FAULT_KILL_THREAD, 0x77 };
        uint32_t verb = verbs[a[13] % 8];
        info = msginfo(verb, verb == FAULT_RESUME && a[14] % 4 ? FAULT_REGS_WORDS : length, 0);
    }

    tf->eax = a[10];
    tf->ebx = handle;
    tf->ecx = info;
    tf->edx = a[11];
    tf->esi = a[11] * 3;
    tf->edi = a[11] * 5;
    tf->ebp = a[11] * 7;
    for (unsigned i = MSG_REG_WORDS; i < 12; i++)
        current->utcb->mr[i] = a[i] ^ 0x5A5A5A5A;
    current->utcb->send_handle = mine[a[3] % HANDLES];
    if (a[14] % 4)
        for (unsigned i = 10; i < FAULT_REGS_WORDS; i++)   /* ds, es, fs, gs: null selectors */
            current->utcb->mr[i] = a[i] % 4;

    switch (op) {
    case OP_SEND:       sys_send(tf, timeout); break;
    case OP_CALL:       sys_call(tf, timeout); break;
    case OP_RECV:       sys_recv(tf, timeout); break;
    case OP_REPLY:      sys_reply(tf, timeout); break;
    case OP_REPLY_RECV: sys_reply_recv(tf, timeout); break;
    case OP_SIGNAL:     sys_signal(tf, timeout); break;
    case OP_WAIT:       sys_wait(tf, timeout); break;
    case OP_FAULT: {                                     /* #DE, #UD, #GP or #PF in ring 3 */
        static const uint32_t vectors[4] = { 0, 6, 13, 14 };
        tf->vector = vectors[a[12] % 4];
        tf->error_code = tf->vector == 13 ? a[13] & 0xFFF8 : tf->vector == 14 ? a[13] & 7 : 0;
        tf->cr2 = tf->vector == 14 ? a[14] : 0;
        tf->eip = a[15];
        fault_raise(tf);
        break;
    }
    default:            cr_assert_fail("no such operation");
    }
    sched_exit();
    return op;
}

/* Run sequence seed with the fast paths on or off: its views and steps. */
static unsigned run(uint32_t seed, int fast, struct view *views, struct step *steps)
{
    fastpath_off = !fast;
    build_world(seed);
    unsigned n = 0, idle = 0;
    while (n < STEPS && idle < IDLE_STEPS) {
        steps[n].op = (uint8_t)do_step(&steps[n].thread);
        take_view(&views[n]);
        idle = current == sched_idle() ? idle + 1 : 0;
        n++;
    }
    end_world();
    return n;
}

static void print_thread(const char *how, const struct thread_view *v)
{
    fprintf(stderr, "  %s: state %u wait %u on %d caller %d server %d "
            "eax %08x ebx %08x ecx %08x edx %08x esi %08x edi %08x ebp %08x recv_handle %08x\n",
            how, v->state, v->wait, v->on, v->caller, v->server, v->eax, v->ebx, v->ecx, v->edx,
            v->esi, v->edi, v->ebp, v->recv_handle);
}

/* Where two views differ, for the failure message. */
static void explain(const struct view *f, const struct view *s)
{
    if (f->current != s->current)
        fprintf(stderr, "  running: thread %d with the fast paths, %d without\n", f->current, s->current);
    if (memcmp(f->ready, s->ready, sizeof f->ready))
        fprintf(stderr, "  the ready queues differ\n");
    if (memcmp(f->senders, s->senders, sizeof f->senders) || memcmp(f->receivers, s->receivers, sizeof f->receivers))
        fprintf(stderr, "  an endpoint's queues differ\n");
    if (memcmp(f->waiters, s->waiters, sizeof f->waiters) || memcmp(f->bits, s->bits, sizeof f->bits))
        fprintf(stderr, "  a notification differs\n");
    for (int i = 0; i < THREADS; i++)
        if (memcmp(&f->t[i], &s->t[i], sizeof f->t[i])) {
            fprintf(stderr, "  thread %d:\n", i);
            print_thread("fast", &f->t[i]);
            print_thread("slow", &s->t[i]);
        }
}

TestSuite(ipc_model);

Test(ipc_model, fast_and_slow_paths_agree_on_random_sequences)
{
    static struct view fast[STEPS], slow[STEPS];
    static struct step fast_steps[STEPS], slow_steps[STEPS];
    uint32_t taken[KERNEL_FASTPATHS] = { 0 }, ops[OPS] = { 0 }, total = 0;

    for (uint32_t seed = 1; seed <= SEQUENCES; seed++) {
        memset(fastpath_taken, 0, sizeof fastpath_taken);
        memset(fastpath_declined, 0, sizeof fastpath_declined);
        unsigned nf = run(seed, 1, fast, fast_steps);
        for (int p = 0; p < KERNEL_FASTPATHS; p++)
            taken[p] += fastpath_taken[p];

        memset(fastpath_taken, 0, sizeof fastpath_taken);
        unsigned ns = run(seed, 0, slow, slow_steps);
        for (int p = 0; p < KERNEL_FASTPATHS; p++)
            cr_assert_eq(fastpath_taken[p], 0, "fast path %d taken while they are off", p);

        unsigned n = nf < ns ? nf : ns;
        for (unsigned i = 0; i < n; i++) {
            cr_assert_eq(fast_steps[i].op, slow_steps[i].op);
            ops[fast_steps[i].op]++;
            if (memcmp(&fast[i], &slow[i], sizeof fast[i])) {
                fprintf(stderr, "ipc model: sequence %u, step %u (%s by thread %d):\n", seed, i,
                        op_name[fast_steps[i].op], fast_steps[i].thread);
                explain(&fast[i], &slow[i]);
                cr_assert_fail("sequence %u step %u: the fast and the slow path disagree", seed, i);
            }
        }
        cr_assert_eq(nf, ns, "sequence %u: %u steps with the fast paths, %u without", seed, nf, ns);
        total += n;
    }

    fprintf(stderr, "ipc model: %u steps; fast paths taken: call %u, reply_recv %u, fault %u, "
            "fault reply %u, signal %u; %u timeouts ran out\n", total, taken[KERNEL_FASTPATH_CALL],
            taken[KERNEL_FASTPATH_REPLY_RECV], taken[KERNEL_FASTPATH_FAULT],
            taken[KERNEL_FASTPATH_FAULT_REPLY], taken[KERNEL_FASTPATH_SIGNAL], timers_expired);
    /* The sequences must have made the fast paths do the work, and often. */
    cr_assert_gt(taken[KERNEL_FASTPATH_CALL], 1000, "call fast path taken %u times", taken[KERNEL_FASTPATH_CALL]);
    cr_assert_gt(taken[KERNEL_FASTPATH_REPLY_RECV], 1000, "reply_recv fast path taken %u times",
                 taken[KERNEL_FASTPATH_REPLY_RECV]);
    cr_assert_gt(taken[KERNEL_FASTPATH_FAULT], 100, "fault fast path taken %u times", taken[KERNEL_FASTPATH_FAULT]);
    cr_assert_gt(taken[KERNEL_FASTPATH_FAULT_REPLY], 100, "fault reply fast path taken %u times",
                 taken[KERNEL_FASTPATH_FAULT_REPLY]);
    cr_assert_gt(taken[KERNEL_FASTPATH_SIGNAL], 100, "signal fast path taken %u times", taken[KERNEL_FASTPATH_SIGNAL]);
    cr_assert_gt(timers_expired, 100, "only %u timeouts ran out", timers_expired);
    for (int op = 0; op < OPS; op++)
        cr_assert_gt(ops[op], 100, "%s drawn only %u times in %u steps", op_name[op], ops[op], total);
}
