/* Frame ownership and mapping: see frames.h. */
#include "frames.h"
#include "frametable.h"
#include "boot.h"
#include "bootmem.h"
#include "kmem.h"
#include "kstring.h"
#include "panic.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86/cpu.h"
#include "arch/x86/memlayout.h"
#include "relay/ipc.h"

/*
 * The frame table (frametable.c) over every frame below 4 GiB: the RAM the
 * direct map holds, and past it device memory, which the root task owns.
 * Its chunks come from a run of frames set aside at boot, enough for every
 * chunk of RAM and DEVICE_CHUNKS more for device memory, zeroed only when a
 * chunk is first made (an operation on device frames that would need more
 * fails with ERR_NO_MEMORY first: device_room); mappings made
 * through memory_map and memory_map_initial are listed in reverse-map
 * entries made in the mapping task's factory; a UTCB (a kernel frame) is not.
 */
#define ALL_FRAMES    (1u << 20)       /* 4 GiB of physical addresses */
#define DEVICE_CHUNKS 64u              /* device windows: 32 MiB mapped or given in pieces */
static struct ft_frame *chunk_of[FT_CHUNKS(ALL_FRAMES)];
static ft_holder uniform_of[FT_CHUNKS(ALL_FRAMES)];
static struct frame_table ft;
static uint8_t *chunk_pages;           /* the run set aside, handed out in order */
static uint32_t ram_chunks;            /* chunks [0, ram_chunks) cover the RAM */
static uint32_t device_chunks_left;

/* The highest run of `pages` free frames below direct_top, taken from the
 * kernel's pool for good; its kernel address. */
static void *carve(uint32_t pages)
{
    uint32_t run = 0;
    for (uint32_t pa = boot_info.direct_top; pa >= PAGE_SIZE;) {
        pa -= PAGE_SIZE;
        run = frame_in_use(&kernel_frames, pa) ? 0 : run + 1;
        if (run == pages) {
            frame_pool_reserve(&kernel_frames, pa, pa + pages * PAGE_SIZE);
            return phys_to_virt(pa);
        }
    }
    panic("no %u free frames in a row for the frame table", pages);
}

static void *chunk_page(uint32_t c)
{
    if (c >= ram_chunks)
        device_chunks_left--;              /* device_room made sure there is one */
    void *page = chunk_pages;
    chunk_pages += FT_CHUNK_BYTES;
    memset(page, 0, FT_CHUNK_BYTES);
    return page;
}

/* Each holder counts its places in the table, and the span of frames they
 * lie in, so that taking back what it held looks only there and stops as
 * soon as there is nothing left. */
static void count_held(ft_holder h, int32_t delta, uint32_t frame)
{
    struct kobject *o = (struct kobject *)h;
    if (delta > 0) {
        uint32_t end = frame + (uint32_t)delta;
        if (o->held == 0 || frame < o->held_lo)
            o->held_lo = frame;
        if (o->held == 0 || end > o->held_hi)
            o->held_hi = end;
    }
    o->held += (uint32_t)delta;
}

/* A sharer node is paid for, like the mapping's entry, by the mapping task. */
static struct ft_sharer *new_sharer(ft_holder task)
{
    return kmem_alloc(((struct task *)task)->obj.factory, sizeof(struct ft_sharer));
}

static void free_sharer(struct ft_sharer *s)
{
    kmem_free(s);
}

void memory_init(void)
{
    _Static_assert(FT_CHUNK_BYTES == PAGE_SIZE, "a chunk is a page");
    ram_chunks = FT_CHUNKS(boot_info.direct_top / PAGE_SIZE);
    device_chunks_left = DEVICE_CHUNKS;
    chunk_pages = carve(ram_chunks + DEVICE_CHUNKS);
    ft_init(&ft, ALL_FRAMES, chunk_of, uniform_of, chunk_page);
    ft.held = count_held;
    ft.new_sharer = new_sharer;
    ft.free_sharer = free_sharer;
}

static uint32_t frame(uint32_t pa) { return pa / PAGE_SIZE; }

const struct frame_table *memory_frame_table(void) { return &ft; }

static ft_holder holder(const struct task *t) { return (ft_holder)t; }

/* ERR_NO_MEMORY if working on frames [f, f + count) could make more device
 * chunks than are left. */
static enum relay_error device_room(uint32_t f, uint32_t count)
{
    uint32_t need = 0;
    if (f + count <= ram_chunks * FT_CHUNK_FRAMES)
        return ERR_NONE;
    for (uint32_t c = f / FT_CHUNK_FRAMES; c <= (f + count - 1) / FT_CHUNK_FRAMES; c++)
        need += c >= ram_chunks && !ft_chunk_made(&ft, c * FT_CHUNK_FRAMES);
    return need > device_chunks_left ? ERR_NO_MEMORY : ERR_NONE;
}

/* Whether all of [pa, pa + count pages) is usable RAM (the ranges are
 * sorted and disjoint: it must lie in one). */
static int all_ram(uint32_t pa, uint32_t count)
{
    uint64_t end = (uint64_t)pa + (uint64_t)count * PAGE_SIZE;
    for (unsigned i = 0; i < boot_info.ram.count; i++)
        if (pa >= boot_info.ram.range[i].start && end <= boot_info.ram.range[i].end)
            return 1;
    return 0;
}

int memory_is_ram(uint32_t pa)
{
    return all_ram(pa, 1);
}

/* The page is mapped and its reverse-map entry made in the task's factory,
 * its tag in the address space, or neither.  (Only frames of RAM, which the
 * table tracks, can be mapped: nobody owns another.) */
static enum relay_error map_and_record(struct task *target, uint32_t va, uint32_t pa, pte_t flags)
{
    struct ft_rmap *e = kmem_alloc(target->obj.factory, sizeof *e);
    if (!e)
        return ERR_NO_MEMORY;
    enum relay_error err = vspace_map(&target->vs, va, pa, flags, e);
    if (err == ERR_NONE
        && ft_map_add(&ft, frame(pa), holder(target), va, (flags & PTE_WRITABLE) != 0, e) < 0) {
        uint32_t dropped;                  /* no memory for its sharer node */
        vspace_unmap(&target->vs, va, &dropped, 0);
        err = ERR_NO_MEMORY;
    }
    if (err != ERR_NONE)
        kmem_free(e);
    return err;
}

static void forget(uint32_t f, struct ft_rmap *e);

enum relay_error memory_map_initial(struct task *target, uint32_t va, uint32_t pa, int writable)
{
    return map_and_record(target, va, pa, writable ? PTE_WRITABLE : 0);
}

void memory_set_owner(uint32_t start, uint32_t end, struct task *task)
{
    ft_set_owner(&ft, frame(start), frame(end) - frame(start), holder(task));
}

int memory_owns(const struct task *task, uint32_t pa)
{
    return ft_owner(&ft, frame(pa)) == holder(task);
}

/* Whether caller may map frame pa with these rights: it owns it, or has it
 * mapped itself with at least them (a share passed on never gains rights). */
static int may_map(struct task *caller, uint32_t pa, int writable)
{
    return memory_owns(caller, pa) || ft_mapped_by(&ft, frame(pa), holder(caller)) >= 1 + writable;
}

enum relay_error memory_map(struct task *caller, struct task *target, uint32_t va, uint32_t pa,
                            uint32_t flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || va == 0 || !user_range_ok(va, PAGE_SIZE)
        || flags & ~(MAP_WRITABLE | MAP_UNCACHED))
        return ERR_RANGE;
    int writable = (flags & MAP_WRITABLE) != 0;
    if (!may_map(caller, pa, writable))
        return ERR_NOT_OWNER;
    if (device_room(frame(pa), 1) != ERR_NONE)
        return ERR_NO_MEMORY;
    return map_and_record(target, va, pa,
                          (writable ? PTE_WRITABLE : 0) | (flags & MAP_UNCACHED ? PTE_CACHE : 0));
}

enum relay_error memory_protect(struct task *caller, struct task *target, uint32_t va, uint32_t flags)
{
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE) || flags & ~MAP_WRITABLE)
        return ERR_RANGE;
    pte_t pte = vspace_lookup(&target->vs, va);
    if (!(pte & PTE_PRESENT))
        return ERR_NOT_MAPPED;
    int writable = (flags & MAP_WRITABLE) != 0;
    if (writable && !(pte & PTE_WRITABLE) && !may_map(caller, pte_addr(pte), 1))
        return ERR_NOT_OWNER;
    vspace_set_writable(&target->vs, va, writable);
    struct ft_rmap *e = vspace_tag(&target->vs, va);
    if (e)                                 /* (a UTCB or the startup page has none) */
        ft_map_set_writable(&ft, frame(pte_addr(pte)), e, writable);
    return ERR_NONE;
}

enum relay_error memory_unmap(struct task *target, uint32_t va)
{
    uint32_t pa;
    void *e;
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    enum relay_error err = vspace_unmap(&target->vs, va, &pa, &e);
    if (err == ERR_NONE && e)
        forget(frame(pa), e);
    return err;
}

/* Drop a mapping's reverse-map entry. */
static void forget(uint32_t f, struct ft_rmap *e)
{
    ft_map_unlink(&ft, f, e);
    kmem_free(e);
}

/* Undo one mapping the frame table listed (every entry names a live task)
 * and give its entry back. */
static void unmap_in(struct ft_rmap *e, void *arg)
{
    uint32_t dropped;
    (void)arg;
    vspace_unmap(&((struct task *)e->task)->vs, ft_rmap_va(e), &dropped, 0);
    kmem_free(e);
}

enum relay_error memory_revoke(struct task *caller, uint32_t pa, uint32_t *budget, uint32_t *count,
                               int *done)
{
    if (pa % PAGE_SIZE)
        return ERR_RANGE;
    if (!memory_owns(caller, pa))
        return ERR_NOT_OWNER;
    struct ft_rmap *e;
    *count = 0;
    while (*budget && (e = ft_map_pop(&ft, frame(pa)))) {
        unmap_in(e, 0);
        (*count)++;
        (*budget)--;
    }
    *done = ft_mappings(&ft, frame(pa)) == 0;
    return ERR_NONE;
}

uint32_t memory_map_item(struct task *sender, const struct utcb *from, struct task *receiver,
                         const struct utcb *to)
{
    uint32_t src = from->send_map_va, dst = to->recv_map_va, n = from->send_map_pages;
    n = n < to->recv_map_pages ? n : to->recv_map_pages;
    n = n < MSG_MAP_PAGES_MAX ? n : MSG_MAP_PAGES_MAX;
    if (src % PAGE_SIZE || dst % PAGE_SIZE || dst == 0 || !user_range_ok(src, n * PAGE_SIZE)
        || !user_range_ok(dst, n * PAGE_SIZE))
        return 0;
    uint32_t i;
    for (i = 0; i < n; i++) {
        pte_t pte = vspace_lookup(&sender->vs, src + i * PAGE_SIZE);
        uint32_t pa = pte_addr(pte);
        int writable = from->send_map_flags & MAP_WRITABLE && may_map(sender, pa, 1);
        if (!(pte & PTE_PRESENT) || !may_map(sender, pa, 0))
            break;                         /* (a UTCB or the startup page: nobody's to pass on) */
        uint32_t va = dst + i * PAGE_SIZE;
        if (device_room(frame(pa), 1) != ERR_NONE)
            break;
        if (vspace_lookup(&receiver->vs, va) & PTE_PRESENT)
            memory_unmap(receiver, va);
        if (map_and_record(receiver, va, pa, writable ? PTE_WRITABLE | (pte & PTE_CACHE) : pte & PTE_CACHE)
            != ERR_NONE)
            break;
    }
    return i;
}

enum relay_error memory_query(struct task *target, uint32_t va, uint32_t *pa, uint32_t *flags)
{
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    pte_t pte = vspace_lookup(&target->vs, va);
    if (!(pte & PTE_PRESENT))
        return ERR_NOT_MAPPED;
    *pa = pte_addr(pte);
    *flags = (pte & PTE_WRITABLE ? MAP_WRITABLE : 0) | (pte & PTE_PCD ? MAP_UNCACHED : 0);
    return ERR_NONE;
}

enum relay_error memory_give(struct task *caller, struct task *target, uint32_t pa, uint32_t count)
{
    if (pa % PAGE_SIZE || count > ALL_FRAMES - frame(pa))
        return ERR_RANGE;
    if (count && device_room(frame(pa), count) != ERR_NONE)
        return ERR_NO_MEMORY;
    return ft_give(&ft, holder(caller), holder(target), frame(pa), count, holder(root_task));
}

enum relay_error memory_give_factory(struct task *caller, struct factory *f, uint32_t pa, uint32_t count)
{
    if (pa % PAGE_SIZE)
        return ERR_RANGE;
    if (f->obj.dead)
        return ERR_DELETED;
    for (uint32_t i = 0; !all_ram(pa, count) && i < count; i++)
        if (memory_owns(caller, pa + i * PAGE_SIZE) && !memory_is_ram(pa + i * PAGE_SIZE))
            return ERR_RANGE;              /* device memory is no place for objects */
    for (uint32_t i = 0; i < count; i++)
        if (ft_mappings(&ft, frame(pa) + i))
            return memory_owns(caller, pa + i * PAGE_SIZE) ? ERR_MAPPED : ERR_NOT_OWNER;
    enum relay_error err = ft_give(&ft, holder(caller), (ft_holder)f, frame(pa), count, holder(root_task));
    if (err == ERR_NONE)
        for (uint32_t i = 0; i < count; i++)
            kmem_add_page(f, phys_to_virt(pa + i * PAGE_SIZE));
    return err;
}

void memory_fund_factory(struct factory *f, uint32_t pa)
{
    ft_set_owner(&ft, frame(pa), 1, (ft_holder)f);
    kmem_add_page(f, phys_to_virt(pa));
}

#define FRAMES_PER_UNIT 2u         /* frame-table entries scanned for a unit */
#define LEAVE_UNITS     4u         /* a holder leaving a frame's sequence */
#define POP_UNITS       3u         /* a mapping undone from the frame's list */
#define PDES_PER_UNIT   8u         /* empty directory entries passed over for a unit */
#define PTES_PER_UNIT   16u        /* empty page-table entries passed over for a unit */

/* Charge work units to the budget (it may go to 0, never below). */
static void charge(uint32_t *budget, uint32_t units)
{
    *budget = units < *budget ? *budget - units : 0;
}

/*
 * Drop the reverse-map entries of the task's mappings of frames it does not
 * own, page by page from *at (a page number).  Its own frames' entries go
 * in memory_return_frames, a pop each, so that a task which mapped its own
 * frame many times costs no more to end than it cost to map.  Directory
 * entries with no table (0: a table, once made, stays until the task is
 * destroyed) and empty page-table entries are passed over a `repe scasd`
 * step each.
 */
int memory_forget_mappings(struct task *task, uint32_t *at, uint32_t *seen, uint32_t *budget)
{
    struct vspace *vs = &task->vs;
    const uint32_t end = USER_END / PAGE_SIZE, pd_end = end / PT_ENTRIES;
    while (*at < end && *budget) {
        uint32_t pdi = *at / PT_ENTRIES, pti = *at % PT_ENTRIES;
        if (!(vs->pd[pdi] & PTE_PRESENT)) {
            if (*seen == vs->tables) {
                *at = end;                 /* no page table past here */
                break;
            }
            uint32_t most = pd_end - pdi < *budget * PDES_PER_UNIT ? pd_end - pdi
                                                                   : *budget * PDES_PER_UNIT;
            uint32_t n = first_nonzero_word(&vs->pd[pdi], most);
            n += n == 0;                   /* (not present, yet not 0: passed over alone) */
            charge(budget, (n + PDES_PER_UNIT - 1) / PDES_PER_UNIT);
            *at = (pdi + n) * PT_ENTRIES;
            continue;
        }
        *seen += pti == 0;
        const pte_t *pt = phys_to_virt(pte_addr(vs->pd[pdi]));
        uint32_t stop = PT_ENTRIES - pti < *budget * PTES_PER_UNIT ? PT_ENTRIES
                                                                    : pti + *budget * PTES_PER_UNIT;
        uint32_t n = pti + first_nonzero_word(&pt[pti], stop - pti);   /* empty entries passed over */
        charge(budget, (n - pti + PTES_PER_UNIT - 1) / PTES_PER_UNIT);
        *at += n - pti;
        if (n == stop)
            continue;                      /* the table's end, or the budget's */
        pti = n;
        uint32_t f = frame(pte_addr(pt[pti]));
        struct ft_rmap *e = vs->tags[pdi][pti];
        if ((pt[pti] & PTE_PRESENT) && e && ft_owner(&ft, f) != holder(task)) {
            forget(f, e);                  /* found by its tag: no list walked */
            vs->tags[pdi][pti] = 0;
        }
        (*at)++;
        charge(budget, 1);
    }
    return *at >= end;
}

void memory_return_page(ft_holder holder, uint32_t pa)
{
    ft_holder root = root_task ? (ft_holder)root_task : FT_NO_TASK;
    ft_task_ended(&ft, holder, root, frame(pa), 1, unmap_in, 0);
}

/*
 * Each frame the holder owned is unmapped from every task it was shared
 * with (a share must not outlive its owner) and goes back to the holder
 * that gave it, or to the root task.  Frames it lent to others will go
 * past it in turn, so nothing remembers a holder that is gone.
 */
int memory_return_frames(ft_holder task, uint32_t *at, uint32_t *budget)
{
    ft_holder root = root_task && holder(root_task) != task ? holder(root_task) : FT_NO_TASK;
    struct ft_rmap *e;
    const struct kobject *o = (const struct kobject *)task;
    while (*at < ft.frames && *budget) {
        if (o->held == 0 || *at >= o->held_hi) {
            *at = ft.frames;               /* nothing left anywhere */
            break;
        }
        if (*at < o->held_lo)
            *at = o->held_lo;              /* none below */
        uint32_t next = ft_next_of(&ft, task, *at, *at + *budget * FRAMES_PER_UNIT);
        charge(budget, (next - *at) / FRAMES_PER_UNIT);
        *at = next;
        if (*at == ft.frames || !*budget)
            break;
        if (ft_owner(&ft, *at) == task && (e = ft_map_pop(&ft, *at))) {
            unmap_in(e, 0);                /* one mapping at a time: the frame stays its own till the last */
            charge(budget, POP_UNITS);
            if (ft_mappings(&ft, *at) || !*budget)
                continue;                  /* (its last gone: it leaves now, below) */
        }
        uint32_t run = ft_owner_leaves(&ft, task, root, *at, *budget / LEAVE_UNITS + 1);
        if (run) {                         /* frames it owned, with no mapping: a run at once */
            *at += run;
            charge(budget, run * LEAVE_UNITS);
            continue;
        }
        ft_task_ended(&ft, task, root, *at, 1, unmap_in, 0);
        (*at)++;
        charge(budget, LEAVE_UNITS);
    }
    return *at >= ft.frames;
}
