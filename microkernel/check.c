/* The kernel invariant checker and the longest-path meter: see check.h. */
#ifdef RELAY_CHECK
#include <stdarg.h>
#include "check.h"
#include "boot.h"
#include "endpoint.h"
#include "fault.h"
#include "frametable.h"
#include "kprintf.h"
#include "memory.h"
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

/* ---------------------------------------------------------------- references */

/* The kernel objects a handle can name, with the references counted for each. */
static struct kobject *counted_obj(unsigned kind, unsigned i)
{
    switch (kind) {
    case 0: return &task_of_id(i + 1)->obj;
    case 1: return &thread_at(i)->obj;
    case 2: return &endpoint_at(i)->obj;
    default: return &notification_at(i)->obj;
    }
}
static const unsigned pool_size[4] = { TASKS_MAX, THREADS_MAX, ENDPOINTS_MAX, NOTIFICATIONS_MAX };

static uint16_t want_refs[4][ENDPOINTS_MAX], want_recv[4][ENDPOINTS_MAX], want_own[4][ENDPOINTS_MAX];

/* Which pool entry obj is, or -1 for the factory and the supervisor. */
static int locate(const struct kobject *obj, unsigned *kind, unsigned *i)
{
    static const size_t size[4] = { sizeof(struct task), sizeof(struct thread),
                                    sizeof(struct endpoint), sizeof(struct notification) };
    for (*kind = 0; *kind < 4; (*kind)++) {
        const char *base = (const char *)counted_obj(*kind, 0), *p = (const char *)obj;
        if (p >= base && p < base + pool_size[*kind] * size[*kind]) {
            *i = (unsigned)((size_t)(p - base) / size[*kind]);
            return 0;
        }
    }
    return -1;
}

/* A handle in table (NULL: one the kernel keeps). */
static void count_handle(const struct handle *h, const struct handle_table *table)
{
    unsigned kind, i;
    if (!h->obj)
        return;
    found.checked++;
    if (h->obj->type == KOBJ_NONE) {
        violation("a handle names a free pool slot");
        return;
    }
    if (locate(h->obj, &kind, &i))
        return;                            /* the factory or the supervisor: never freed */
    want_refs[kind][i]++;
    if (h->rights & RIGHT_RECV)
        want_recv[kind][i]++;
    int own = table && h->obj->home && h->obj->home == table->owner;
    want_own[kind][i] += own;
    if (h->own != own)
        violation("a handle to object %u of kind %u is%s marked as in its home task's table", i,
                  h->obj->type, h->own ? "" : " not");
}

static void check_references(void)
{
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < pool_size[k]; i++)
            want_refs[k][i] = want_recv[k][i] = want_own[k][i] = 0;
    for (unsigned id = 1; id <= TASKS_MAX; id++) {
        struct task *t = task_of_id(id);
        if (!task_live(t))
            continue;
        if (t->state == TASK_ALIVE && t->creator
            && (!task_live(t->creator)
                || (t->creator->state != TASK_ALIVE && t->creator->teardown != TEARDOWN_CREATED)))
            violation("task %u lives on, but task %u that created it has been taken apart", id,
                      t->creator->id);
        for (uint32_t s = 1; s < HANDLE_SLOTS; s++)
            count_handle(&t->handles.slot[s], &t->handles);
        if (t->teardown != TEARDOWN_DONE)
            want_refs[0][id - 1]++;        /* its own, until the reaper is done with it */
        if (t->exit_notify) {
            unsigned kind, i;
            if (!locate(&t->exit_notify->obj, &kind, &i))
                want_refs[kind][i]++;
        }
    }
    for (unsigned i = 0; i < THREADS_MAX; i++) {
        struct thread *t = thread_at(i);
        if (t->obj.type != KOBJ_THREAD)
            continue;
        count_handle(&t->handler[HANDLER_EXCEPTION], 0);
        count_handle(&t->handler[HANDLER_PAGER], 0);
        if (t->state != THREAD_DEAD || t->doom == DOOM_FINISH)
            want_refs[1][i]++;             /* its own, until it is finished */
    }
    count_handle(&supervisor, 0);
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < pool_size[k]; i++) {
            struct kobject *o = counted_obj(k, i);
            if (o->type == KOBJ_NONE)
                continue;
            found.checked++;
            if (o->refs != want_refs[k][i] || o->receivers != want_recv[k][i])
                violation("object %u of kind %u: refs %u receivers %u, but %u handles hold it, %u may receive",
                          i, o->type, o->refs, o->receivers, want_refs[k][i], want_recv[k][i]);
            if (o->own_refs != want_own[k][i])
                violation("object %u of kind %u: own_refs %u, but its home task holds %u handles to it",
                          i, o->type, o->own_refs, want_own[k][i]);
            if (o->refs == 0 && !o->reaping)
                violation("object %u of kind %u has no reference and is not being reaped", i, o->type);
        }
}

/* ---------------------------------------------------------------- queues */

static int on_list(const struct list *l, const struct list *node)
{
    for (const struct list *n = l->next; n != l; n = n->next)
        if (n == node)
            return 1;
    return 0;
}

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
    for (unsigned i = 0; i < THREADS_MAX; i++) {
        const struct thread *t = thread_at(i);
        if (t->obj.type == KOBJ_THREAD && t->state == THREAD_READY)
            ready++;
        if (t->obj.type == KOBJ_THREAD && t->state == THREAD_RUNNING && t != current)
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
    for (unsigned i = 0; i < THREADS_MAX; i++) {
        const struct thread *t = thread_at(i);
        if (t->obj.type != KOBJ_THREAD)
            continue;
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
    for (unsigned i = 0; i < ENDPOINTS_MAX; i++) {
        const struct endpoint *ep = endpoint_at(i);
        if (ep->obj.type != KOBJ_ENDPOINT)
            continue;
        check_queue_of(&ep->senders, WAIT_SEND, WAIT_CALL, ep);
        check_queue_of(&ep->receivers, WAIT_RECV, WAIT_RECV, ep);
        if (!list_empty(&ep->senders) && !list_empty(&ep->receivers))
            violation("endpoint %u has senders and receivers waiting at once", i);
    }
    for (unsigned i = 0; i < NOTIFICATIONS_MAX; i++) {
        const struct notification *n = notification_at(i);
        if (n->obj.type == KOBJ_NOTIFICATION)
            check_queue_of(&n->waiters, WAIT_NOTIFY, WAIT_NOTIFY, n);
    }
    const struct list *timers = sched_timers();
    const struct thread *prev = 0;
    for (const struct list *n = timers->next; n != timers; n = n->next) {
        const struct thread *t = list_entry(n, struct thread, timer_node);
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

/* Whether user page va of task t may map kernel frame pa: a UTCB of its own, or its startup page. */
static int kernel_frame_for_user(const struct task *t, uint32_t va, uint32_t pa)
{
    if (pa == root_startup_frame() && t == root_task && va == STARTUP_VADDR)
        return 1;
    for (unsigned i = 0; i < THREADS_MAX; i++) {
        const struct thread *th = thread_at(i);
        if (th->obj.type == KOBJ_THREAD && th->task == t && th->utcb && th->utcb_va == va
            && virt_to_phys(th->utcb) == pa)
            return 1;
    }
    return 0;
}

/* One present user page; 1 if the reverse map should list it (not a kernel frame). */
static int check_user_page(const struct task *t, uint32_t va, pte_t pte)
{
    const struct frame_table *ft = memory_frame_table();
    uint32_t pa = pte_addr(pte), f = pa / PAGE_SIZE;
    found.checked++;
    if (!(pte & PTE_USER))
        violation("task %u page %08x is present but not user", t->id, va);
    if (f < FRAMES_TRACKED && frame_allocated(&kernel_frames, pa)) {
        if (!kernel_frame_for_user(t, va, pa))
            violation("task %u maps kernel frame %08x at %08x", t->id, pa, va);
        return 0;
    }
    if (ft_owner(ft, f) == FT_NO_TASK)
        violation("task %u maps frame %08x, which no task owns, at %08x", t->id, pa, va);
    if (t->state == TASK_ALIVE && ft_mapping_at(ft, f, (uint8_t)t->id, va) != 1 + !!(pte & PTE_WRITABLE))
        violation("task %u page %08x (frame %08x) and the reverse map disagree", t->id, va, pa);
    return 1;
}

static uint32_t check_task_space(const struct task *t)
{
    const struct vspace *vs = &t->vs;
    uint32_t user_pages = 0;
    if (!vs->pd)
        return 0;
    kernel_frame(vs->pd_phys, "a page directory");
    const pte_t cpu_bits = 0x60;           /* accessed, dirty: the CPU's to set */
    for (uint32_t i = pd_index(KERNBASE); i < PT_ENTRIES; i++)
        if ((vs->pd[i] | cpu_bits) != (kernel_pd[i] | cpu_bits))
            violation("task %u: kernel directory entry %u differs from the kernel's", t->id, i);
    for (uint32_t pdi = 0; pdi < pd_index(KERNBASE); pdi++) {
        if (!(vs->pd[pdi] & PTE_PRESENT))
            continue;
        if (!(vs->pd[pdi] & PTE_USER))
            violation("task %u: user directory entry %u lacks the user bit", t->id, pdi);
        kernel_frame(pte_addr(vs->pd[pdi]), "a user page table");
        const pte_t *pt = phys_to_virt(pte_addr(vs->pd[pdi]));
        for (uint32_t pti = 0; pti < PT_ENTRIES; pti++)
            if (pt[pti] & PTE_PRESENT)
                user_pages += check_user_page(t, va_from_indices(pdi, pti, 0), pt[pti]);
    }
    return user_pages;
}

static void check_memory(void)
{
    const struct frame_table *ft = memory_frame_table();
    for (uint32_t f = 0; f < FRAMES_TRACKED; f++)
        kernel_use[f] = 0;
    /* The kernel's own: its directory and the tables of its half, thread stacks. */
    kernel_frame(virt_to_phys(kernel_pd), "the kernel's directory");
    for (uint32_t i = pd_index(KERNBASE); i < PT_ENTRIES; i++)
        if (kernel_pd[i] & PTE_PRESENT)
            kernel_frame(pte_addr(kernel_pd[i]), "a kernel page table");
    for (uint32_t va = KSTACKS; va < KSTACKS_END; va += PAGE_SIZE) {
        pte_t *pte = paging_kernel_pte(va);
        if (pte && (*pte & PTE_PRESENT))
            kernel_frame(pte_addr(*pte), "a kernel stack");
    }
    if (root_startup_frame())
        kernel_frame(root_startup_frame(), "the root's startup page");
    for (unsigned i = 0; i < THREADS_MAX; i++) {
        const struct thread *t = thread_at(i);
        if (t->obj.type == KOBJ_THREAD && t->utcb)
            kernel_frame(virt_to_phys(t->utcb), "a UTCB");
    }
    uint32_t mapped = 0;
    for (unsigned id = 1; id <= TASKS_MAX; id++) {
        const struct task *t = task_of_id(id);
        if (task_live(t)) {
            uint32_t n = check_task_space(t);
            if (t->state == TASK_ALIVE)
                mapped += n;
        }
    }
    /* Every allocated frame is one of those; no frame is both the kernel's and a task's. */
    uint32_t dying_maps = 0, free = 0, loans = 0;
    for (uint32_t f = 0; f < kernel_frames.nframes; f++)
        free += !frame_in_use(&kernel_frames, f * PAGE_SIZE);
    if (free != kernel_frames.free)
        violation("%u frames are free, the pool counts %u", free, kernel_frames.free);
    for (uint32_t f = 0; f < ft->frames; f++) {
        uint32_t pa = f * PAGE_SIZE;
        int alloc = frame_allocated(&kernel_frames, pa);
        uint8_t owner = ft_owner(ft, f);
        found.checked++;
        if (alloc && !kernel_use[f])
            violation("kernel frame %08x is allocated but nothing uses it (a leak)", pa);
        if (owner != FT_NO_TASK && (alloc || !frame_in_use(&kernel_frames, pa)))
            violation("frame %08x is task %u's and the kernel's too", pa, owner);
        if (owner != FT_NO_TASK && !task_live(task_of_id(owner)))
            violation("frame %08x is owned by task %u, which does not exist", pa, owner);
        if (ft->lender[f] != FT_NO_TASK && !task_live(task_of_id(ft->lender[f])))
            violation("frame %08x was lent by task %u, which does not exist", pa, ft->lender[f]);
        if (ft->lender[f] != FT_NO_TASK && ft->lender[f] == owner)
            violation("frame %08x is lent to task %u by itself", pa, owner);
        if (ft->loans[f] && ft->lender[f] == FT_NO_TASK)
            violation("frame %08x has older lenders but no lender", pa);
        uint8_t before = ft->lender[f];
        for (uint16_t e = ft->loans[f]; e; e = ft->loan[e].next, loans++) {
            if (!task_live(task_of_id(ft->loan[e].task)))
                violation("frame %08x was lent on through task %u, which does not exist", pa,
                          ft->loan[e].task);
            if (ft->loan[e].task == before)
                violation("frame %08x lists task %u as its own lender", pa, before);
            before = ft->loan[e].task;
        }
        for (uint16_t e = ft->head[f]; e; e = ft->rmap[e].next) {
            const struct task *m = task_of_id(ft->rmap[e].task);
            if (!task_live(m))
                violation("frame %08x: a mapping by task %u, which does not exist", pa, ft->rmap[e].task);
            else if (m->state != TASK_ALIVE)
                dying_maps++;
            else if (pte_addr(vspace_lookup(&m->vs, ft->rmap[e].va)) != pa
                     || !(vspace_lookup(&m->vs, ft->rmap[e].va) & PTE_PRESENT))
                violation("frame %08x: the reverse map says task %u maps it at %08x, its page table does not",
                          pa, m->id, ft->rmap[e].va);
        }
    }
    if (ft->used != mapped + dying_maps)
        violation("the reverse map lists %u mappings, the live tasks' page tables %u",
                  ft->used - dying_maps, mapped);
    if (loans != ft->loans_used)
        violation("%u loan entries are in frames' lists, the pool counts %u", loans, ft->loans_used);
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
#endif
