/* Pagers: attaching one, frame helpers and a FIFO of resident pages (relay/pager.h).
   pager_start is in fault_serve.c, with the loop it runs. */
#include <relay/pager.h>
#include <relay/error.h>

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
#include <relay/sys.h>

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
