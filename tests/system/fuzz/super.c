/*
 * The supervisor's side of a worker's life: start it, watch it, end it if
 * it is stuck, take back what it had (run.c drives the run).
 *
 * It waits on one endpoint for everything: the exit notification of the
 * worker is bound to its thread, and the endpoint is the exception handler
 * of the worker's threads (and, through the worker, of every thread the
 * worker makes), so a fault is ended at once and without a notice on the
 * console: a fault of the worker's own (its handler's badge says so) ends
 * the worker, any other only the faulting thread.  The wait times out every
 * tick; then the watchdog looks at the shared page: a worker whose main
 * thread is suspended or dead, or that began no call for STALL_TICKS, is
 * ended by a thread the supervisor starts in it, whose fault it answers
 * with FAULT_KILL_TASK.
 */
#include "fuzz.h"
#include "super.h"

#define STALL_TICKS       10u   /* a worker that began no call for this long is stuck */
#define KILL_RETRY_EVERY  10u   /* wakes (about a tick each) between attempts to end one */
#define KILL_ATTEMPTS     20u   /* then the run gives up */
#define KILLED_STATUS     0xF022u   /* the task status of a worker the supervisor ended */
#define FUZZ_BADGE_WORKER 1u        /* on the handler of the worker's fuzzing and partner threads */

static struct fuzz_shared *sh;

int super_setup(struct super *s, struct fuzz_run *run)
{
    const struct startup_info *si = startup_info();
    *s = (struct super){ .run = run };
    sh = fuzz_shared();
    int err = thread_set_priority(si->self_thread, SUPER_PRIORITY, si->max_priority);
    if (!err)
        err = endpoint_create(si->factory, &s->ep);
    if (!err)
        err = handle_mint(s->ep, FUZZ_BADGE_WORKER, RIGHT_SEND, &s->ep_worker);
    if (!err)
        err = handle_copy(s->ep, RIGHT_SEND, &s->ep_send);
    if (!err)
        err = notification_create(si->factory, &s->exits);
    if (!err)
        err = notify_bind(si->self_thread, s->exits);
    if (!err)
        err = frame_alloc(&s->shared_pa);
    if (!err)
        err = frame_fill(s->shared_pa, 0, NULL, 0);   /* zeroed (and the scratch table made) */
    if (!err)
        err = page_map(si->self_task, FUZZ_SHARED_VA, s->shared_pa, MAP_WRITABLE);
    if (err)
        return err;
    for (uint32_t i = 0; i < FUZZ_RING; i++)
        sh->ring[i].index = FUZZ_PENDING;       /* no call yet */
    sh->seed = run->seed;
    sh->trace_from = run->trace_from;
    s->start = s->base = fuzz_kinfo();
    return ERR_NONE;
}

int super_start(struct super *s, uint32_t first)
{
    const struct startup_info *si = startup_info();
    sh->first = first;
    sh->end = s->run->calls - first < FUZZ_WORKER_SPAN ? s->run->calls : first + FUZZ_WORKER_SPAN;
    sh->started = first;
    sh->failure = FUZZ_OK;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "fuzz role=worker", .factory = si->factory,
        .exit_notification = s->exits, .exit_bits = 1, .kernel_pages = FUZZ_WORKER_KERNEL_PAGES,
        .parent = s->ep_send, .memory_pages = FUZZ_WORKER_FRAMES,
        .priority = PARTNER_PRIORITY, .max_priority = PARTNER_PRIORITY,
    };
    /* The worker is less urgent: it runs only once this is done. */
    int err = spawn(&a, &s->child);
    if (!err)
        err = page_map(s->child.task, FUZZ_SHARED_VA, s->shared_pa, MAP_WRITABLE);
    if (!err)
        err = sys_thread_set_handler(s->child.thread, HANDLER_EXCEPTION, s->ep_worker).error;
    if (err)
        return err;
    s->first = first;
    s->seen = first;
    s->still = s->kill_tries = 0;
    s->ended = 0;
    s->run->workers++;
    return ERR_NONE;
}

/* The UTCB of the thread that ends a worker: pages no worker uses but may
 * have taken by chance, under page tables it already has. */
static const uint32_t killer_utcbs[] = {
    STACK_TOP - STACK_SIZE - PAGE_SIZE, STACK_TOP - STACK_SIZE - 2 * PAGE_SIZE,
    STACK_TOP - STACK_SIZE - 3 * PAGE_SIZE, UTCB_BASE + 0x100 * PAGE_SIZE,
};

/* A thread in the worker that faults at once; its handler (this task)
 * answers with FAULT_KILL_TASK, which ends every thread of the worker,
 * suspended ones included. */
static int start_killer(struct super *s)
{
    int err = ERR_MAPPED;
    for (uint32_t i = 0; i < sizeof killer_utcbs / sizeof killer_utcbs[0] && err == ERR_MAPPED; i++)
        err = thread_create(s->child.task, USER_TOP, 0, killer_utcbs[i], SUPER_PRIORITY - 1,
                            &s->killer);
    if (!err)
        err = sys_thread_set_handler(s->killer, HANDLER_EXCEPTION, s->ep_worker).error;
    if (!err)
        err = thread_start(s->killer);
    return err;
}

/* End a stuck worker: a killer thread, or failing that its main thread. */
static void end_worker(struct super *s)
{
    if (s->kill_tries++ % KILL_RETRY_EVERY)
        return;
    if (s->kill_tries > KILL_RETRY_EVERY * KILL_ATTEMPTS) {
        s->ended = -1;                     /* give up on it: the run ends */
        return;
    }
    if (s->killer == HANDLE_NULL && start_killer(s) == ERR_NONE)
        return;
    thread_kill(s->child.thread);          /* ends it, if that was its last thread */
}

/* Look at the worker: stuck if its main thread is suspended or dead, or if
 * no call began for STALL_TICKS ticks. */
static void watchdog(struct super *s, int ticked)
{
    struct relay_regs regs;
    if (sh->started != s->seen) {
        s->seen = sh->started;
        s->still = 0;
        return;
    }
    s->still += ticked;
    int err = thread_read_regs(s->child.thread, &regs);   /* ERR_STATE: it runs or waits */
    if (err == ERR_NONE || err == ERR_DELETED || s->still >= STALL_TICKS || s->kill_tries)
        end_worker(s);
}

/* End what faulted: the worker, if it was one of its own threads (or the
 * killer); else the thread alone (one the worker made, here or elsewhere). */
static void end_fault(const struct msg *m)
{
    struct msg r = { .label = FAULT_KILL_THREAD };
    if (m->badge == FUZZ_BADGE_WORKER)
        r = (struct msg){ .label = FAULT_KILL_TASK, .length = 1, .w = { KILLED_STATUS } };
    ipc_reply(&r);
}

/* One message: the worker's end, a fault to end, or a worker's own message. */
static void take(struct super *s, const struct msg *m)
{
    uint32_t state, status;
    if (m->flags & MSGINFO_NOTIFY) {
        if (task_status(s->child.task, &state, &status) == ERR_NONE && state != TASK_ALIVE)
            s->ended = 1;
    } else if (msg_from_kernel(m, LABEL_FAULT)) {
        end_fault(m);
    } else if (m->flags & MSGINFO_HANDLE) {
        handle_delete(m->handle);          /* a worker's call may carry one: not ours to keep */
    }
}

void super_watch(struct super *s)
{
    while (!s->ended) {
        struct msg m;
        int err = ipc_recv(s->ep, &m, 1);
        if (err == ERR_NONE)
            take(s, &m);
        if (!s->ended)
            watchdog(s, err == ERR_TIMEOUT);
    }
}

void super_pause(struct super *s, uint32_t ticks)
{
    struct msg m;
    for (uint32_t i = 0; i < ticks; i++)
        if (ipc_recv(s->ep, &m, 1) == ERR_NONE)
            take(s, &m);
}

/* Frames given to the worker that are ours again go back to the pool; the
 * count of those that are not.  frame_give to oneself changes nothing but
 * says whether one owns the frames. */
static uint32_t take_back_frames(const struct child *c)
{
    relay_handle self = startup_info()->self_task;
    uint32_t lost = 0;
    for (uint32_t i = 0; i < c->span_count; i++)
        for (uint32_t pa = c->spans[i].start; pa < c->spans[i].end; pa += PAGE_SIZE) {
            if (sys_frame_give(self, pa, 1).error == ERR_NONE)
                frame_free(pa);
            else
                lost++;
        }
    return lost;
}

static enum worker_end how_it_ended(const struct super *s)
{
    uint32_t state = TASK_ALIVE, status = 0;
    task_status(s->child.task, &state, &status);
    if (s->kill_tries)
        return END_STUCK;
    if (state == TASK_EXITED)
        return sh->started == sh->end && status == 0 ? END_SPAN : END_EXIT;
    return status == TASK_STATUS_KILLED ? END_LAST_THREAD : END_FAULT;
}

/* After the worker has ended: its handles and frames. */
uint32_t super_reap(struct super *s)
{
    s->run->ends[how_it_ended(s)]++;
    if (s->killer != HANDLE_NULL)
        handle_delete(s->killer);
    s->killer = HANDLE_NULL;
    handle_delete(s->child.thread);
    handle_delete(s->child.task);
    frame_free_range(s->child.frames, s->child.pages);
    /* Its factory goes: what it made ends, and is taken apart after it;
       frames given to the worker, to what it made or to its factories
       come back through them. */
    handle_delete(s->child.factory);
    struct kernel_info k;
    kernel_info_settled(&k);
    uint32_t lost = take_back_frames(&s->child);
    struct child budget = { .span_count = 1,
                            .spans = { { s->child.kframes, s->child.kframes + s->child.kpages * PAGE_SIZE } } };
    lost += take_back_frames(&budget);
    s->child = (struct child){ 0 };
    return lost;
}
