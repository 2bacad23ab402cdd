/* Pagers: the fault loop, pager threads, frame helpers and a FIFO of resident pages (relay/pager.h). */
#include <relay/pager.h>
#include <relay/error.h>
#include <relay/ipc.h>

int pager_reply(const struct fault *f, const struct pager_answer *a, struct msg *reply)
{
    *reply = (struct msg){ 0 };
    switch (a->verdict) {
    case PAGER_MAP:
        if (a->flags & ~MAP_WRITABLE)
            break;                                /* not a flag the kernel knows: fail */
        reply->label = FAULT_MAP;
        reply->length = 2;
        reply->w[0] = a->frame;
        reply->w[1] = a->flags;
        return 1;
    case PAGER_RETRY:
        reply->label = FAULT_RETRY;
        return 1;
    case PAGER_KILL_THREAD:
        reply->label = FAULT_KILL_THREAD;
        return 1;
    case PAGER_KILL_TASK:
        reply->label = FAULT_KILL_TASK;
        reply->length = 1;
        reply->w[0] = a->status;
        return 1;
    case PAGER_FORWARD:
        return 0;                                 /* the loop makes the call */
    }
    (void)f;
    reply->label = FAULT_KILL_TASK;               /* an answer we cannot carry out */
    reply->length = 1;
    reply->w[0] = PAGER_STATUS_FAILED;
    return 1;
}

void pager_fifo_init(struct pager_fifo *q, struct pager_page *slots, uint32_t n)
{
    *q = (struct pager_fifo){ slots, n, 0, 0 };
}

int pager_fifo_full(const struct pager_fifo *q)
{
    return q->count == q->n;
}

int pager_fifo_evict(struct pager_fifo *q, struct pager_page *out)
{
    if (q->count == 0)
        return 0;
    *out = q->slots[q->head];
    q->head = (q->head + 1) % q->n;
    q->count--;
    return 1;
}

int pager_fifo_add(struct pager_fifo *q, uint32_t va, uint32_t pa)
{
    if (pager_fifo_full(q))
        return ERR_NO_MEMORY;
    q->slots[(q->head + q->count) % q->n] = (struct pager_page){ va, pa };
    q->count++;
    return ERR_NONE;
}

#ifndef HOST_TEST   /* the rest makes system calls: in QEMU only */
#include <relay/layout.h>
#include <relay/memory.h>
#include <relay/object.h>
#include <relay/start.h>
#include <relay/sys.h>
#include <relay/thread.h>

/* The errors that mean the endpoint itself is gone or unusable. */
static int fatal(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

static void kill_reply(struct msg *m, uint32_t status)
{
    *m = (struct msg){ .label = FAULT_KILL_TASK, .length = 1, .w = { status } };
}

/* Pass the fault in m to the pager at ep as LABEL_FAULT_FORWARDED; its answer becomes ours (in m). */
static void forward(relay_handle ep, struct msg *m)
{
    struct msg call = *m;
    call.badge = 0;
    call.flags = 0;
    call.label = LABEL_FAULT_FORWARDED;
    if (ipc_call(ep, &call, TIMEOUT_FOREVER) != ERR_NONE || call.flags & MSGINFO_HANDLE) {
        kill_reply(m, PAGER_STATUS_FAILED);
        return;
    }
    call.badge = 0;
    *m = call;
}

/* Turn the fault in m into its reply, in place; 0 if m is not a fault (no reply). */
static int answer(struct msg *m, pager_fn fn, void *arg, struct pager_stats *st)
{
    struct fault f;
    int forwarded = !(m->flags & MSGINFO_NOTIFY) && m->label == LABEL_FAULT_FORWARDED
                    && m->length >= FAULT_WORDS;
    if ((!forwarded && !msg_from_kernel(m, LABEL_FAULT))
        || fault_decode((const struct fault_record *)m->w, &f) != ERR_NONE)
        return 0;
    f.badge = m->badge;
    f.forwarded = forwarded;
    st->faults++;
    if (f.vector != 14) {                         /* not ours: as if there were no handler */
        kill_reply(m, f.vector);
        st->kills++;
        return 1;
    }
    struct pager_answer a = { .verdict = PAGER_KILL_TASK, .status = PAGER_STATUS_FAILED };
    if (fn(&f, &a, arg) != ERR_NONE)
        a = (struct pager_answer){ .verdict = PAGER_KILL_TASK, .status = PAGER_STATUS_FAILED };
    if (a.verdict == PAGER_FORWARD) {
        st->forwards++;
        forward(a.forward, m);
        return 1;
    }
    pager_reply(&f, &a, m);
    st->kills += m->label == FAULT_KILL_TASK || m->label == FAULT_KILL_THREAD;
    return 1;
}

int pager_serve_counted(relay_handle ep, pager_fn fn, void *arg, struct pager_stats *stats)
{
    struct pager_stats unused;
    struct pager_stats *st = stats ? stats : &unused;
    struct msg m;
    int err = ipc_recv(ep, &m, TIMEOUT_FOREVER);
    for (;;) {
        if (fatal(err))
            return err;
        if (err == ERR_NONE && answer(&m, fn, arg, st)) {
            /* reply, then receive: the reply's own result counts refusals */
            uint32_t verb = m.label;
            int refused = ipc_reply(&m);
            if (refused != ERR_NONE) {
                st->refused++;
                st->last_refusal = refused;
            } else if (verb == FAULT_MAP) {
                st->maps++;
            }
        }
        err = ipc_recv(ep, &m, TIMEOUT_FOREVER);
    }
}

int pager_serve(relay_handle ep, pager_fn fn, void *arg)
{
    return pager_serve_counted(ep, fn, arg, 0);
}

struct pager {
    pager_fn fn;
    void *arg;
    relay_handle ep;              /* HANDLE_NULL: the slot is free */
    struct pager_stats stats;
};

static struct pager pagers[PAGERS_MAX];

static void pager_main(void *arg)
{
    struct pager *p = arg;
    pager_serve_counted(p->ep, p->fn, p->arg, &p->stats);
}

int pager_start(pager_fn fn, void *arg, uint32_t priority, relay_handle *ep_out)
{
    struct pager *p = 0;
    for (uint32_t i = 0; i < PAGERS_MAX && !p; i++)
        if (pagers[i].ep == HANDLE_NULL)
            p = &pagers[i];
    if (!p)
        return ERR_NO_MEMORY;
    relay_handle ep;
    int err = endpoint_create(startup_info()->factory, &ep);
    if (err)
        return err;
    *p = (struct pager){ fn, arg, ep, { 0 } };
    struct thread_spec spec = { pager_main, p, priority, HANDLE_NULL, 0 };
    struct thread *t;
    if ((err = thread_spawn(&spec, &t)) != ERR_NONE) {
        p->ep = HANDLE_NULL;
        handle_delete(ep);
        return err;
    }
    *ep_out = ep;
    return ERR_NONE;
}

const struct pager_stats *pager_stats(relay_handle ep)
{
    for (uint32_t i = 0; i < PAGERS_MAX; i++)
        if (ep != HANDLE_NULL && pagers[i].ep == ep)
            return &pagers[i].stats;
    return 0;
}

int pager_attach(relay_handle thread, relay_handle ep)
{
    return sys_thread_set_handler(thread, HANDLER_PAGER, ep).error;
}

/*
 * Each thread gets its own scratch slot, so pagers in several threads of a
 * task do not collide: PAGER_SCRATCH_SLOT for the main thread, the next ones
 * for libos' thread slots (wrapping after SCRATCH_SLOTS - 1).
 */
static uint32_t my_slot(void)
{
    uint32_t esp;
    asm volatile("movl %%esp, %0" : "=r"(esp));
    if (esp < THREAD_STACKS_BASE || esp >= THREAD_STACKS_BASE + THREADS_MAX * THREAD_STACK_SIZE)
        return PAGER_SCRATCH_SLOT;
    uint32_t t = (esp - THREAD_STACKS_BASE) / THREAD_STACK_SIZE;
    return PAGER_SCRATCH_SLOT + (t + 1) % (SCRATCH_SLOTS - PAGER_SCRATCH_SLOT);
}

/* Map own frame pa at this thread's slot, run fn on it, unmap. */
static int through_scratch(uint32_t pa, void (*fn)(uint32_t *page, void *ctx), void *ctx)
{
    uint32_t slot = my_slot();
    void *va;
    int err = scratch_map(slot, pa, &va);
    if (err)
        return err;
    fn(va, ctx);
    return scratch_unmap(slot);
}

static void zero(uint32_t *page, void *ctx)
{
    (void)ctx;
    uint32_t n = PAGE_SIZE / 4;
    asm volatile("cld\n\trep stosl" : "+D"(page), "+c"(n) : "a"(0) : "memory");
}

int pager_zero_frame(uint32_t *pa)
{
    int err = frame_alloc(pa);
    if (!err && (err = through_scratch(*pa, zero, 0)) != ERR_NONE)
        frame_free(*pa);
    return err;
}

struct fill {
    uint32_t va;
    uint32_t (*fn)(uint32_t va, uint32_t i, void *arg);
    void *arg;
};

static void fill(uint32_t *page, void *ctx)
{
    struct fill *f = ctx;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        page[i] = f->fn(f->va, i, f->arg);
}

int pager_fill_frame(uint32_t *pa, uint32_t va, uint32_t (*fn)(uint32_t va, uint32_t i, void *arg),
                     void *arg)
{
    struct fill f = { va, fn, arg };
    int err = frame_alloc(pa);
    if (!err && (err = through_scratch(*pa, fill, &f)) != ERR_NONE)
        frame_free(*pa);
    return err;
}

static void copy_out(uint32_t *page, void *dst) { __builtin_memcpy(dst, page, PAGE_SIZE); }
static void copy_in(uint32_t *page, void *src) { __builtin_memcpy(page, src, PAGE_SIZE); }

int pager_copy_out(uint32_t pa, void *dst)
{
    return through_scratch(pa, copy_out, dst);
}

int pager_copy_in(uint32_t pa, const void *src)
{
    return through_scratch(pa, copy_in, (void *)src);
}

#endif
