/*
 * The one loop that answers faults (fault_serve), and the threads libos
 * starts to run it: fault_handler_start (relay/faults.h) and pager_start
 * (relay/pager.h).  The reply an answer becomes is fault_reply's (fault.c).
 */
#include <relay/faults.h>
#include <relay/pager.h>
#include <relay/heap.h>
#include <relay/error.h>
#include <relay/insn.h>
#include <relay/object.h>
#include <relay/start.h>
#include <relay/sys.h>
#include <relay/thread.h>
#include <relay/fork.h>

/* A thread fault_handler_start or pager_start started. */
struct server {
    fault_fn fn;
    void *arg;
    relay_handle ep;              /* HANDLE_NULL: the slot is free */
    struct thread *thread;        /* the one serving ep */
    struct fault_stats stats;
};

static struct server servers[FAULT_THREADS_MAX];
static uint32_t own_task;         /* this task's id (task_id); 0 if unknown */

/* Where a received message comes from. */
enum origin { NOT_A_FAULT, FROM_KERNEL, FROM_HANDLER };

static enum origin origin(const struct msg *m)
{
    if (msg_from_kernel(m, LABEL_FAULT))
        return FROM_KERNEL;
    if (!(m->flags & MSGINFO_NOTIFY) && m->label == LABEL_FAULT_FORWARDED && m->length >= FAULT_WORDS)
        return FROM_HANDLER;
    return NOT_A_FAULT;
}

/* The errors that mean the endpoint itself is gone or unusable. */
static bool fatal(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

/*
 * The length of the instruction at eip of this task's code, if it lies in
 * the program image: libos/user.ld lays out text, then data and bss, on
 * consecutive pages from PROGRAM_BASE, and the loader maps every one of
 * them, so every byte from PROGRAM_BASE up to this file's own .bss
 * (servers[]) can be read.  Code anywhere else might not be mapped, and
 * reading it would kill the handler.
 */
static uint32_t code_length(uint32_t eip)
{
    uint32_t end = (uint32_t)(servers + FAULT_THREADS_MAX);
    if (eip < PROGRAM_BASE || eip >= end)
        return 0;
    return insn_length((const uint8_t *)eip, end - eip);
}

/* Pass the fault in m to the handler at ep as LABEL_FAULT_FORWARDED; its answer becomes ours (in m). */
static void forward(relay_handle ep, struct msg *m)
{
    struct msg call = *m;
    call.badge = 0;
    call.flags = 0;
    call.label = LABEL_FAULT_FORWARDED;
    if (ipc_call(ep, &call, TIMEOUT_FOREVER) != ERR_NONE || call.flags & MSGINFO_HANDLE) {
        *m = (struct msg){ .label = FAULT_KILL_TASK, .length = 1, .w = { FAULT_STATUS_FAILED } };
        return;
    }
    call.badge = 0;
    *m = call;
}

/* Turn the fault in m into its reply, in place; false if there is none to make. */
static bool answer(struct msg *m, enum origin from, fault_fn fn, void *arg, struct fault_stats *st)
{
    struct fault f;
    if (fault_decode((const struct fault_record *)m->w, &f) != ERR_NONE)
        return false;
    f.badge = m->badge;
    f.forwarded = from == FROM_HANDLER;
    if (own_task != 0 && f.task == own_task)      /* our code: we can read it */
        f.insn_length = code_length(f.regs.eip);
    st->faults++;
    struct fault_answer a = { .verdict = ANSWER_KILL_TASK, .status = f.vector };
    if (fn(&f, &a, arg) != ERR_NONE)
        a = (struct fault_answer){ .verdict = ANSWER_KILL_TASK, .status = FAULT_STATUS_FAILED };
    if (!fault_reply(&f, &a, m)) {
        st->forwards++;
        forward(a.forward, m);
    }
    return true;
}

/* What the kernel did with a reply carrying verb: err is the reply's result. */
static void count(struct fault_stats *st, uint32_t verb, int err)
{
    if (err != ERR_NONE) {
        st->refused++;
        st->last_refusal = err;
        return;
    }
    st->maps += verb == FAULT_MAP;
    st->kills += verb == FAULT_KILL_THREAD || verb == FAULT_KILL_TASK;
}

int fault_serve(relay_handle ep, fault_fn fn, void *arg, struct fault_stats *stats)
{
    struct fault_stats unused = { 0 };
    struct fault_stats *st = stats ? stats : &unused;
    struct msg m;
    for (;;) {
        int err = ipc_recv(ep, &m, TIMEOUT_FOREVER);
        if (fatal(err))
            return err;
        enum origin from = err == ERR_NONE ? origin(&m) : NOT_A_FAULT;
        if (from == NOT_A_FAULT || !answer(&m, from, fn, arg, st))
            continue;
        /* Reply, then receive: the reply's own result says what the kernel
           did with it, counted at once (reply_recv would say it too, but
           only when the next message comes). */
        uint32_t verb = m.label;
        err = ipc_reply(&m);
        if (from == FROM_KERNEL)
            count(st, verb, err);
    }
}

static void server_main(void *arg)
{
    struct server *s = arg;
    fault_serve(s->ep, s->fn, s->arg, &s->stats);
    s->ep = HANDLE_NULL;          /* the endpoint went: the slot is free (the thread's is not) */
}

/* A new endpoint and a thread at priority serving it, in the slot *out. */
static int start(fault_fn fn, void *arg, uint32_t priority, struct server **out)
{
    if (!fn)
        return ERR_INVALID;
    if (own_task == 0) {                  /* to know which faults are in our own code */
        task_id(startup_info()->self_task, &own_task);
        int err = program_page_in();      /* none of it left for a handler to fault on */
        if (err)
            return err;
    }
    struct server *s = servers;
    while (s < servers + FAULT_THREADS_MAX && s->ep != HANDLE_NULL)
        s++;
    if (s == servers + FAULT_THREADS_MAX)
        return ERR_NO_MEMORY;
    relay_handle ep;
    int err = endpoint_create(startup_info()->factory, &ep);
    if (err)
        return err;
    *s = (struct server){ fn, arg, ep, 0, { 0 } };
    struct thread_spec spec = { server_main, s, priority, HANDLE_NULL, 0 };
    if ((err = thread_spawn(&spec, &s->thread)) != ERR_NONE) {
        s->ep = HANDLE_NULL;
        handle_delete(ep);
        return err;
    }
    *out = s;
    return ERR_NONE;
}

int pager_start(fault_fn fn, void *arg, uint32_t priority, relay_handle *ep_out)
{
    struct server *s;
    int err = start(fn, arg, priority, &s);
    if (!err)
        *ep_out = s->ep;
    return err;
}

int fault_handler_start(fault_fn fn, void *arg, relay_handle *ep_out)
{
    struct server *s;
    int err = start(fn, arg, thread_priority_max(), &s);
    if (err)
        return err;
    relay_handle ep = s->ep;
    if ((err = fault_set_handler(thread_self()->handle, ep)) != ERR_NONE) {
        thread_release(s->thread);
        handle_delete(ep);
        s->ep = HANDLE_NULL;
        return err;
    }
    if (ep_out)
        *ep_out = ep;
    return ERR_NONE;
}

void fault_serve_fork_child(void)
{
    for (struct server *s = servers; s < servers + FAULT_THREADS_MAX; s++)
        if (s->ep != HANDLE_NULL)
            s->ep = HANDLE_NULL;
    if (own_task != 0)
        own_task = 0;
}

const struct fault_stats *fault_stats(relay_handle ep)
{
    for (uint32_t i = 0; i < FAULT_THREADS_MAX; i++)
        if (ep != HANDLE_NULL && servers[i].ep == ep)
            return &servers[i].stats;
    return 0;
}

int fault_set_handler(relay_handle thread, relay_handle ep)
{
    return (int)sys_thread_set_handler(thread, HANDLER_EXCEPTION, ep).error;
}
