/* The kernel invariant checker and the longest-path meter: see check.h. */
#ifdef RELAY_CHECK
#include <stdarg.h>
#include "check.h"
#include "boot.h"
#include "endpoint.h"
#include "factory.h"
#include "fastpath.h"
#include "fault.h"
#include "frametable.h"
#include "kprintf.h"
#include "frames.h"
#include "ioport.h"
#include "irq.h"
#include "arch/x86/iomap.h"
#include "notification.h"
#include "reaper.h"
#include "root.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/vspace.h"
#include "relay/fault.h"
#include "relay/startup.h"

#define REPORTED_MAX 16            /* violations printed in one check */

static struct kernel_check found;

__attribute__((format(printf, 1, 2))) static void violation(const char *fmt, ...)
{
    if (found.violations++ < REPORTED_MAX) {
        va_list ap;
        va_start(ap, fmt);
        kprintf("check: ");
        kvprintf(fmt, ap);
        kprintf("\n");
        va_end(ap);
    }
}

static int task_live(const struct task *t) { return t->obj.type == KOBJ_TASK; }

static int on_list(const struct list *l, const struct list *node)
{
    for (const struct list *n = l->next; n != l; n = n->next)
        if (n == node)
            return 1;
    return 0;
}

static int on_made(const struct kobject *o) { return on_list(&o->factory->made, &o->made_node); }

/* Every object of a type there is. */
#define FOR_EACH(var, kind, ty)                                                        \
    for (struct list *n_ = kobjects_all.next; n_ != &kobjects_all; n_ = n_->next)  \
        if (list_entry(n_, struct kobject, all_node)->type == (kind)                  \
            && ((var) = (ty *)list_entry(n_, struct kobject, all_node)))

/* Whether a frame-table holder names a live task or factory. */
static int holder_live(ft_holder h)
{
    const struct kobject *o = (const struct kobject *)h;
    if (h == (ft_holder)&root_factory)
        return 1;
    if (h < KERNBASE || h >= DIRECT_END || h % 16)
        return 0;
    return o->type == KOBJ_TASK || o->type == KOBJ_FACTORY;
}

/* ---------------------------------------------------------------- references */

/* A handle in table (NULL: one the kernel keeps). */
static void count_handle(const struct handle *h, const struct handle_table *table)
{
    if (!h->obj)
        return;
    found.checked++;
    if (h->obj->type == KOBJ_NONE) {
        violation("a handle names a freed object");
        return;
    }
    if (!h->obj->factory)
        return;                            /* the root factory or the supervisor: never freed */
    h->obj->want_refs++;
    if (h->rights & RIGHT_RECV)
        h->obj->want_recv++;
    int own = table && h->obj->home && h->obj->home == table->owner;
    h->obj->want_own += own;
    if (h->own != own)
        violation("a handle to an object of kind %u is%s marked as in its home task's table",
                  h->obj->type, h->own ? "" : " not");
    if (!h->parent) {                      /* an original: on its object's list */
        const struct handle *o = h->obj->handles;
        while (o && o != h)
            o = o->next;
        if (!o)
            violation("an original handle to an object of kind %u is not on its list", h->obj->type);
    } else if (h->parent->obj != h->obj) {
        violation("a handle derives from a handle to another object");
    }
}

static void count_table(const struct task *t)
{
    const struct handle_table *tb = &t->handles;
    const struct handle *f;
    uint32_t free = 0, slots_free = 0;
    for (uint32_t s = 0; s < tb->slots; s++) {
        const struct handle *h = handle_slot(tb, s);
        if (s % HANDLES_PER_PAGE == 0) {
            if (h->obj || h->parent != (const struct handle *)tb)
                violation("task %u: handle page %u's header is wrong", t->id, s / HANDLES_PER_PAGE);
            continue;
        }
        if (h->obj && HANDLE_SLOT(h->number) != s)
            violation("task %u: slot %u holds number %08x", t->id, s, h->number);
        count_handle(h, tb);
        slots_free += !h->obj && HANDLE_GEN(h->number) != HANDLE_GEN_MAX;
    }
    for (f = tb->free; f && free <= tb->slots; f = f->next, free++)
        if (f->obj)
            violation("task %u: a slot on the free list is in use", t->id);
    if (free != slots_free)
        violation("task %u: %u slots are free, %u on the free list", t->id, slots_free, free);
}

/* IRQ lines keep a handle to their notification, bound through a handle
 * to the line; a task's grants count its handles to each port range, and
 * the task has a bitmap of its own exactly while it holds any. */
static void check_devices(void)
{
    for (unsigned i = 0; i < IRQ_LINES; i++) {
        struct irq_line *l = &irq_lines[i];
        count_handle(&l->notify, 0);
        if (l->notify.obj && !l->via)      /* (the reverse: its notification was reclaimed) */
            violation("IRQ %u: bound to a notification through no handle", i);
        if (l->via && l->via->obj != &l->obj)
            violation("IRQ %u is bound through a handle that does not name it", i);
    }
    struct task *t;
    FOR_EACH(t, KOBJ_TASK, struct task) {
        uint32_t grants = 0;
        for (const struct io_grant *g = t->io_grants; g && grants <= IO_PORTS; g = g->next, grants++) {
            uint32_t n = 0;
            for (uint32_t s = 1; s < t->handles.slots; s++)
                n += s % HANDLES_PER_PAGE && handle_slot(&t->handles, s)->obj == &g->port->obj;
            if (n != g->handles)
                violation("task %u: %u handles to ports %x.., its grant counts %u", t->id, n,
                          g->port->first, g->handles);
        }
        if (!t->io_grants != !t->vs.io_pt)
            violation("task %u: %s ports but %s I/O bitmap of its own", t->id,
                      t->io_grants ? "holds" : "holds no", t->vs.io_pt ? "has an" : "has no");
    }
}

static void check_references(void)
{
    struct task *t;
    struct thread *th;
    for (struct list *n = kobjects_all.next; n != &kobjects_all; n = n->next) {
        struct kobject *o = list_entry(n, struct kobject, all_node);
        o->want_refs = o->want_recv = o->want_own = 0;
    }
    FOR_EACH(t, KOBJ_TASK, struct task) {
        if (t->state == TASK_ALIVE && t->creator
            && (!task_live(t->creator)
                || (t->creator->state != TASK_ALIVE && t->creator->teardown != TEARDOWN_CREATED)))
            violation("task %u lives on, but task %u that created it has been taken apart", t->id,
                      t->creator->id);
        count_table(t);
        if (t->teardown != TEARDOWN_DONE)
            t->obj.want_refs++;            /* its own, until the reaper is done with it */
        count_handle(&t->exit_notify, 0);
    }
    FOR_EACH(th, KOBJ_THREAD, struct thread) {
        count_handle(&th->handler[HANDLER_EXCEPTION], 0);
        count_handle(&th->handler[HANDLER_PAGER], 0);
        if (th->state != THREAD_DEAD || th->doom == DOOM_FINISH)
            th->obj.want_refs++;           /* its own, until it is finished */
        if (th->obj.factory != th->task->obj.factory)
            violation("thread %u is not made in its task's factory", th->id);
    }
    count_handle(&supervisor, 0);
    check_devices();
    for (struct list *n = kobjects_all.next; n != &kobjects_all; n = n->next) {
        struct kobject *o = list_entry(n, struct kobject, all_node);
        found.checked++;
        if (o->refs != o->want_refs || o->receivers != o->want_recv)
            violation("an object of kind %u: refs %u receivers %u, but %u handles hold it, %u may receive",
                      o->type, o->refs, o->receivers, o->want_refs, o->want_recv);
        if (o->own_refs != o->want_own)
            violation("an object of kind %u: own_refs %u, but its home task holds %u handles to it",
                      o->type, o->own_refs, o->want_own);
        if (o->refs == 0 && !o->reaping
            && !(o->type == KOBJ_FACTORY && ((struct factory *)o)->teardown == FACTORY_WAIT_MADE))
            violation("an object of kind %u has no reference and is not being reaped", o->type);
        if (!o->factory || !o->factory->obj.type || !on_made(o))
            violation("an object of kind %u is not on its factory's list", o->type);
    }
}

/* ---------------------------------------------------------------- queues */

static void check_run_queue(void)
{
    unsigned queued = 0;
    for (unsigned p = 0; p < PRIORITIES; p++) {
        const struct list *l = &ready_queue.level[p];
        if (!list_empty(l) != !!(ready_queue.nonempty & 1u << p))
            violation("run queue level %u: its bit says %u", p, (ready_queue.nonempty >> p) & 1);
        for (const struct list *n = l->next; n != l; n = n->next, queued++) {
            const struct thread *t = list_entry(n, struct thread, queue_node);
            found.checked++;
            if (t->state != THREAD_READY || t->priority != p)
                violation("thread %u on run queue level %u: state %u priority %u", t->id, p,
                          t->state, t->priority);
        }
    }
    unsigned ready = 0;
    struct thread *t;
    FOR_EACH(t, KOBJ_THREAD, struct thread) {
        if (t->state == THREAD_READY)
            ready++;
        if (t->state == THREAD_RUNNING && t != current)
            violation("thread %u is RUNNING but not current", t->id);
    }
    if (ready != queued)
        violation("%u threads are READY but %u are on the run queue", ready, queued);
}

/* A blocked thread is where it says it waits. */
static void check_waiting(const struct thread *t)
{
    const struct endpoint *ep = t->waiting_on;
    const struct notification *n = t->waiting_on;
    switch (t->wait) {
    case WAIT_SEND:
    case WAIT_CALL:
        if (!ep || !on_list(&ep->senders, &t->queue_node))
            violation("thread %u waits to send but is on no sender queue", t->id);
        break;
    case WAIT_RECV:
        if (!ep || !on_list(&ep->receivers, &t->queue_node))
            violation("thread %u waits to receive but is on no receiver queue", t->id);
        break;
    case WAIT_NOTIFY:
        if (!n || !on_list(&n->waiters, &t->queue_node))
            violation("thread %u waits on a notification but is not queued there", t->id);
        break;
    case WAIT_REPLY:
        if (!t->server || t->server->caller != t)
            violation("thread %u waits for a reply nobody owes it", t->id);
        break;
    case WAIT_DOOMED:
        if (!t->obj.reaping || t->doom == DOOM_NONE)
            violation("thread %u is doomed but not queued for the reaper", t->id);
        break;
    default:
        violation("thread %u is blocked waiting for nothing", t->id);
    }
}

static void check_queue_of(const struct list *q, enum ipc_wait a, enum ipc_wait b, const void *on)
{
    for (const struct list *n = q->next; n != q; n = n->next) {
        const struct thread *t = list_entry(n, struct thread, queue_node);
        found.checked++;
        if (t->state != THREAD_BLOCKED || (t->wait != a && t->wait != b) || t->waiting_on != on)
            violation("thread %u is queued on an object it does not wait on (state %u wait %u)",
                      t->id, t->state, t->wait);
    }
}

static void check_threads(void)
{
    struct thread *t;
    struct endpoint *ep;
    struct notification *no;
    FOR_EACH(t, KOBJ_THREAD, struct thread) {
        found.checked++;
        if (t->state == THREAD_BLOCKED)
            check_waiting(t);
        if (t->caller && t->caller->server != t)
            violation("thread %u owes a reply to a thread that does not wait for it", t->id);
        if (t->state == THREAD_DEAD && (t->caller || t->server || list_linked(&t->timer_node)))
            violation("dead thread %u still has partners or a timer", t->id);
        if (t->state != THREAD_DEAD && t->task && !task_live(t->task))
            violation("thread %u of a freed task lives", t->id);
        if (t->bound && t->bound->bound != t)
            violation("thread %u is bound to a notification bound elsewhere", t->id);
    }
    FOR_EACH(ep, KOBJ_ENDPOINT, struct endpoint) {
        check_queue_of(&ep->senders, WAIT_SEND, WAIT_CALL, ep);
        check_queue_of(&ep->receivers, WAIT_RECV, WAIT_RECV, ep);
        if (!list_empty(&ep->senders) && !list_empty(&ep->receivers))
            violation("an endpoint has senders and receivers waiting at once");
    }
    FOR_EACH(no, KOBJ_NOTIFICATION, struct notification)
        check_queue_of(&no->waiters, WAIT_NOTIFY, WAIT_NOTIFY, no);
    const struct list *timers = sched_timers();
    const struct thread *prev = 0;
    for (const struct list *n = timers->next; n != timers; n = n->next) {
        t = list_entry(n, struct thread, timer_node);
        found.checked++;
        if (t->state != THREAD_BLOCKED)
            violation("thread %u has a timer but is not blocked", t->id);
        if (prev && (int32_t)(t->wake_tick - prev->wake_tick) < 0)
            violation("the timer list is out of order at thread %u", t->id);
        prev = t;
    }
}

static void check_reaper(void)
{
    unsigned n = 0;
    for (const struct kobject *o = reaper_first(); o; o = o->reap_next, n++)
        if (!o->reaping || n > reaper_queued)
            break;
    if (n != reaper_queued)
        violation("the reaper's list has %u objects, reaper_queued says %u", n, reaper_queued);
}

/* ---------------------------------------------------------------- frames and page tables */

#define FRAMES_TRACKED (DIRECT_MAX / PAGE_SIZE)
static uint8_t kernel_use[FRAMES_TRACKED];   /* frames the kernel knows it uses, per frame */

/* A frame the kernel allocated for itself at boot. */
static void kernel_frame(uint32_t pa, const char *what)
{
    uint32_t f = pa / PAGE_SIZE;
    found.checked++;
    if (f >= FRAMES_TRACKED || !frame_allocated(&kernel_frames, pa)) {
        violation("%s %08x is not a frame the kernel allocated", what, pa);
        return;
    }
    if (kernel_use[f]++)
        violation("%s %08x is used for two things", what, pa);
}

/* A page of a factory's that an object uses. */
static void paid_frame(const struct factory *f, uint32_t pa, const char *what)
{
    const struct frame_table *ft = memory_frame_table();
    found.checked++;
    if (ft_owner(ft, pa / PAGE_SIZE) != (ft_holder)f)
        violation("%s %08x is not a frame of the factory that paid for it", what, pa);
}

/* Whether user page va of task t may map pa, a frame no task owns: a UTCB of its own, or its startup page. */
static int kernel_frame_for_user(const struct task *t, uint32_t va, uint32_t pa)
{
    struct thread *th;
    if (pa == root_startup_frame() && t == root_task && va == STARTUP_VADDR)
        return 1;
    FOR_EACH(th, KOBJ_THREAD, struct thread)
        if (th->task == t && th->utcb && th->utcb_va == va && virt_to_phys(th->utcb) == pa)
            return 1;
    return 0;
}

/* One present user page; 1 if the reverse map should list it (not a kernel frame). */
static int check_user_page(const struct task *t, uint32_t va, pte_t pte)
{
    const struct frame_table *ft = memory_frame_table();
    uint32_t pa = pte_addr(pte), f = pa / PAGE_SIZE;
    ft_holder owner = ft_owner(ft, f);
    found.checked++;
    if (!(pte & PTE_USER))
        violation("task %u page %08x is present but not user", t->id, va);
    if (owner == FT_NO_TASK || ((const struct kobject *)owner)->type == KOBJ_FACTORY) {
        if (!kernel_frame_for_user(t, va, pa))
            violation("task %u maps kernel frame %08x at %08x", t->id, pa, va);
        return 0;
    }
    if (t->state == TASK_ALIVE
        && (ft_mapping_at(ft, f, (ft_holder)t, va) != 1 + !!(pte & PTE_WRITABLE) || vspace_tag(&t->vs, va) == 0))
        violation("task %u page %08x (frame %08x) and the reverse map disagree", t->id, va, pa);
    return 1;
}

static uint32_t check_task_space(const struct task *t)
{
    const struct vspace *vs = &t->vs;
    uint32_t user_pages = 0;
    if (!vs->pd)
        return 0;
    paid_frame(t->obj.factory, vs->pd_phys, "a page directory");
    const pte_t cpu_bits = 0x60;           /* accessed, dirty: the CPU's to set */
    for (uint32_t i = pd_index(KERNBASE); i < PT_ENTRIES; i++)
        if ((vs->pd[i] | cpu_bits) != (kernel_pd[i] | cpu_bits)
            && !(i == pd_index(IO_WINDOW) && vs->io_pt && pte_addr(vs->pd[i]) == virt_to_phys(vs->io_pt)))
            violation("task %u: kernel directory entry %u differs from the kernel's", t->id, i);
    if (vs->io_pt) {
        paid_frame(t->obj.factory, virt_to_phys(vs->io_pt), "an I/O window's table");
        paid_frame(t->obj.factory, virt_to_phys(vs->io_bits[0]), "an I/O bitmap");
        paid_frame(t->obj.factory, virt_to_phys(vs->io_bits[1]), "an I/O bitmap");
    }
    for (uint32_t pdi = 0; pdi < pd_index(KERNBASE); pdi++) {
        if (!(vs->pd[pdi] & PTE_PRESENT))
            continue;
        if (!(vs->pd[pdi] & PTE_USER))
            violation("task %u: user directory entry %u lacks the user bit", t->id, pdi);
        paid_frame(t->obj.factory, pte_addr(vs->pd[pdi]), "a user page table");
        const pte_t *pt = phys_to_virt(pte_addr(vs->pd[pdi]));
        for (uint32_t pti = 0; pti < PT_ENTRIES; pti++)
            if (pt[pti] & PTE_PRESENT)
                user_pages += check_user_page(t, va_from_indices(pdi, pti, 0), pt[pti]);
    }
    return user_pages;
}

/* A factory's count of frames and free pages agrees with the frame table and its list. */
static void check_factory(const struct factory *f)
{
    const struct frame_table *ft = memory_frame_table();
    uint32_t frames = 0, free = 0;
    if (f->obj.dead && f->teardown == FACTORY_FRAMES)
        return;                            /* going back: counted no more */
    for (uint32_t i = 0; i < boot_info.direct_top / PAGE_SIZE; i++)   /* factories hold RAM only */
        frames += ft_owner(ft, i) == (ft_holder)f;
    for (void *p = f->free_pages; p && free <= f->frames; p = *(void **)p, free++)
        if (ft_owner(ft, virt_to_phys(p) / PAGE_SIZE) != (ft_holder)f)
            violation("factory %u has a free page %08x that is not its own", f->id, virt_to_phys(p));
    if (frames != f->frames || free != f->free)
        violation("factory %u: counts %u frames %u free, holds %u with %u on its list",
                  f->id, f->frames, f->free, frames, free);
}

/* Each sharer node of frame f counts its task's mappings of f, and all of
 * them are counted: O(mappings x sharers). */
static void check_sharers(const struct frame_table *ft, uint32_t f, uint32_t pa)
{
    uint32_t total = 0, counted = 0;
    for (const struct ft_rmap *e = ft_mappings(ft, f); e; e = e->next)
        total++;
    for (const struct ft_sharer *s = ft_sharers(ft, f); s; s = s->next) {
        uint32_t maps = 0, writable = 0;
        for (const struct ft_rmap *e = ft_mappings(ft, f); e; e = e->next)
            if (e->task == s->task) {
                maps++;
                writable += (uint32_t)ft_rmap_writable(e);
            }
        counted += s->maps;
        if (!maps || s->maps != maps || s->writable != writable)
            violation("frame %08x: a sharer node counts %u mappings (%u writable), its task has %u (%u)",
                      pa, s->maps, s->writable, maps, writable);
    }
    if (counted != total)
        violation("frame %08x: sharer nodes count %u mappings, it has %u", pa, counted, total);
}

/* A holder's frames lie in the span it keeps (frames.c: what taking them back scans). */
static void check_held_span(ft_holder h, uint32_t f)
{
    const struct kobject *o = (const struct kobject *)h;
    if (o->held == 0 || f < o->held_lo || f >= o->held_hi)
        violation("frame %08x is held by a holder whose span [%x, %x) (%u frames) leaves it out",
                  f * PAGE_SIZE, o->held_lo, o->held_hi, o->held);
}

static void check_memory(void)
{
    const struct frame_table *ft = memory_frame_table();
    struct thread *th;
    struct task *t;
    struct factory *fa;
    for (uint32_t f = 0; f < FRAMES_TRACKED; f++)
        kernel_use[f] = 0;
    /* The kernel's own: its directory and the tables of its half, the startup page. */
    kernel_frame(virt_to_phys(kernel_pd), "the kernel's directory");
    for (uint32_t i = pd_index(KERNBASE); i < PT_ENTRIES; i++)
        if ((kernel_pd[i] & (PTE_PRESENT | PTE_LARGE)) == PTE_PRESENT && i != pd_index(IO_WINDOW))
            kernel_frame(pte_addr(kernel_pd[i]), "a kernel page table");   /* (the window's is in the image) */
    for (uint32_t va = KSTACKS; va < KSTACKS_END; va += PAGE_SIZE) {
        pte_t *pte = paging_kernel_pte(va);
        const struct thread *owner = 0;
        if (!pte || !(*pte & PTE_PRESENT))
            continue;
        FOR_EACH(th, KOBJ_THREAD, struct thread)
            if (th->id == (va - KSTACKS) / KSTACK_SLOT)
                owner = th;
        if (!owner && thread_dead_on_cpu && thread_dead_on_cpu->id == (va - KSTACKS) / KSTACK_SLOT)
            owner = thread_dead_on_cpu;
        if (!owner)
            violation("kernel stack slot %u is mapped, but no thread has it", (va - KSTACKS) / KSTACK_SLOT);
        else
            paid_frame(owner->obj.factory, pte_addr(*pte), "a kernel stack");
    }
    if (root_startup_frame())
        kernel_frame(root_startup_frame(), "the root's startup page");
    FOR_EACH(th, KOBJ_THREAD, struct thread)
        if (th->utcb)
            paid_frame(th->obj.factory, virt_to_phys(th->utcb), "a UTCB");
    uint32_t mapped = 0;
    FOR_EACH(t, KOBJ_TASK, struct task) {
        uint32_t n = check_task_space(t);
        if (t->state == TASK_ALIVE)
            mapped += n;
    }
    check_factory(&root_factory);
    FOR_EACH(fa, KOBJ_FACTORY, struct factory)
        check_factory(fa);
    /* Every allocated frame is one of those; no frame is both the kernel's and a task's. */
    uint32_t dying_maps = 0, listed = 0;
    uint32_t ram_frames = boot_info.direct_top / PAGE_SIZE;
    for (uint32_t f = 0; f < ft->frames; f++) {
        uint32_t pa = f * PAGE_SIZE;
        ft_holder owner = ft_owner(ft, f);
        found.checked++;
        if (f >= ram_frames && f % FT_CHUNK_FRAMES == 0 && !ft_chunk_made(ft, f)) {
            if (owner != FT_NO_TASK && owner != (ft_holder)root_task)
                violation("device frames %08x.. are not the root task's", pa);
            f += FT_CHUNK_FRAMES - 1;      /* a chunk of device memory, all the root's */
            continue;
        }
        int alloc = f < ram_frames && frame_allocated(&kernel_frames, pa);
        if (alloc && !kernel_use[f] && owner != (ft_holder)&root_factory)
            violation("kernel frame %08x is allocated but nothing uses it (a leak)", pa);
        if (owner != FT_NO_TASK && owner != (ft_holder)&root_factory && f < ram_frames
            && memory_is_ram(pa) && (alloc || !frame_in_use(&kernel_frames, pa)))
            violation("frame %08x is a holder's and the kernel's too", pa);
        if (owner != FT_NO_TASK && !holder_live(owner))
            violation("frame %08x is owned by a holder that does not exist", pa);
        else if (owner != FT_NO_TASK)
            check_held_span(owner, f);
        ft_holder before = owner;
        for (uint32_t i = 0; i < FT_LENDERS; i++) {
            ft_holder l = ft_lender(ft, f, i);
            if (l == FT_NO_TASK)
                continue;
            if (!holder_live(l))
                violation("frame %08x was lent through a holder that does not exist", pa);
            else
                check_held_span(l, f);
            if (l == before)
                violation("frame %08x lists a holder as its own lender", pa);
            if (l == (ft_holder)root_task)
                violation("frame %08x lists the root task as a lender", pa);
            if (i && ft_lender(ft, f, i - 1) == FT_NO_TASK)
                violation("frame %08x has a gap in its lenders", pa);
            before = l;
        }
        for (const struct ft_rmap *e = ft_mappings(ft, f); e; e = e->next, listed++) {
            const struct task *m = (const struct task *)e->task;
            if (!holder_live(e->task) || m->obj.type != KOBJ_TASK)
                violation("frame %08x: a mapping by a task that does not exist", pa);
            else if (m->state != TASK_ALIVE)
                dying_maps++;
            else if (pte_addr(vspace_lookup(&m->vs, ft_rmap_va(e))) != pa
                     || !(vspace_lookup(&m->vs, ft_rmap_va(e)) & PTE_PRESENT)
                     || vspace_tag(&m->vs, ft_rmap_va(e)) != e)
                violation("frame %08x: the reverse map says task %u maps it at %08x, its page table does not",
                          pa, m->id, ft_rmap_va(e));
            if (e->next && e->next->prev != e)
                violation("frame %08x: its mappings' links disagree", pa);
        }
        if (ft_mappings(ft, f) || ft_sharers(ft, f))
            check_sharers(ft, f, pa);
    }
    if (listed != ft->mappings || listed != mapped + dying_maps)
        violation("the reverse map lists %u mappings (counted %u), the live tasks' page tables %u",
                  listed - dying_maps, ft->mappings, mapped);
}

/* ---------------------------------------------------------------- the longest path */

uint64_t check_entry_tsc;              /* set by the entry path (vectors.asm) */
uint32_t check_entry_vector, check_entry_eax, check_entries;
static uint32_t longest, longest_vector, longest_eax;

void check_exit(void)
{
    if (!check_entry_tsc)
        return;                            /* no entry began this span (the first run of all) */
    uint32_t span = (uint32_t)(rdtsc() - check_entry_tsc);
    check_entry_tsc = 0;
    if (span > longest) {
        longest = span;
        longest_vector = check_entry_vector;
        longest_eax = check_entry_eax;
    }
}

void check_longest(struct kernel_check *out)
{
    out->longest_path = longest;
    out->longest_vector = longest_vector;
    out->longest_eax = longest_eax;
    out->entries = check_entries;
}

void check_longest_reset(void)
{
    longest = longest_vector = longest_eax = check_entries = 0;
}

void check_all(struct kernel_check *out)
{
    found = (struct kernel_check){ 0 };
    if ((read_eflags() & ~0x08D5u) != EFLAGS_KERNEL)   /* all but the arithmetic flags */
        violation("the kernel runs with EFLAGS %08x", read_eflags());
    check_references();
    check_run_queue();
    check_threads();
    check_reaper();
    check_memory();
    *out = found;
}

uint32_t fastpath_taken[KERNEL_FASTPATHS], fastpath_declined[KERNEL_FASTPATHS];
int fastpath_off;

void check_fastpaths(struct kernel_check *out)
{
    for (int i = 0; i < KERNEL_FASTPATHS; i++) {
        out->fastpath_taken[i] = fastpath_taken[i];
        out->fastpath_declined[i] = fastpath_declined[i];
    }
    out->fastpath_off = (uint32_t)fastpath_off;
}

void check_boot(void)
{
    fastpath_off = boot_flag("nofastpath");
    if (fastpath_off)
        kprintf("relay: nofastpath: every fast path is off, the general path does all\n");
}
#endif
