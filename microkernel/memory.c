/* Frame ownership and mapping: see memory.h. */
#include "memory.h"
#include "frametable.h"
#include "boot.h"
#include "frame.h"
#include "panic.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86/memlayout.h"
#include "relay/ipc.h"

/*
 * The frame table (frametable.c) over every frame of RAM the direct map
 * holds: owners, lenders (LOANS_MAX entries for lenders past a frame's
 * first), and a reverse map of RMAP_MAX mappings.  Mappings made through
 * memory_map and memory_map_initial are listed; a UTCB (a kernel frame) is
 * not.  The per-frame arrays are sized by the RAM there is and carved from
 * its top (not .bss, which boot zeroes whole: ft_init sets what is used).
 */
#define RMAP_MAX 16384
#define LOANS_MAX 16384
static struct ft_rmap rmap[RMAP_MAX + 1];
static struct ft_loan loan[LOANS_MAX + 1];
static struct frame_table ft;
_Static_assert(TASKS_MAX < 256, "task ids fit the frame table");

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

void memory_init(void)
{
    uint32_t frames = boot_info.direct_top / PAGE_SIZE;
    uint32_t bytes = frames * (2 * sizeof(uint8_t) + 2 * sizeof(uint16_t));
    uint8_t *at = carve((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
    uint16_t *loans = (uint16_t *)at, *head = loans + frames;
    uint8_t *owner = (uint8_t *)(head + frames), *lender = owner + frames;
    const struct ft_storage s = { owner, lender, loans, head, rmap, RMAP_MAX, loan, LOANS_MAX };
    ft_init(&ft, frames, &s);
}

static uint32_t frame(uint32_t pa) { return pa / PAGE_SIZE; }

const struct frame_table *memory_frame_table(void) { return &ft; }

static enum relay_error map_and_record(struct task *target, uint32_t va, uint32_t pa, int writable)
{
    enum relay_error err = vspace_map(&target->vs, va, pa, writable ? PTE_WRITABLE : 0);
    if (err != ERR_NONE)
        return err;
    if ((err = ft_map_add(&ft, frame(pa), (uint8_t)target->id, va, writable)) != ERR_NONE) {
        uint32_t dropped;
        vspace_unmap(&target->vs, va, &dropped);
    }
    return err;
}

enum relay_error memory_map_initial(struct task *target, uint32_t va, uint32_t pa, int writable)
{
    return map_and_record(target, va, pa, writable);
}

void memory_set_owner(uint32_t start, uint32_t end, struct task *task)
{
    ft_set_owner(&ft, frame(start), frame(end) - frame(start), task ? (uint8_t)task->id : FT_NO_TASK);
}

int memory_owns(const struct task *task, uint32_t pa)
{
    return ft_owner(&ft, frame(pa)) == task->id;
}

/* Whether caller may map frame pa with these rights: it owns it, or has it
 * mapped itself with at least them (a share passed on never gains rights). */
static int may_map(struct task *caller, uint32_t pa, int writable)
{
    return memory_owns(caller, pa) || ft_mapped_by(&ft, frame(pa), (uint8_t)caller->id) >= 1 + writable;
}

enum relay_error memory_map(struct task *caller, struct task *target, uint32_t va, uint32_t pa,
                            uint32_t flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || va == 0 || !user_range_ok(va, PAGE_SIZE)
        || flags & ~MAP_WRITABLE)
        return ERR_RANGE;
    int writable = (flags & MAP_WRITABLE) != 0;
    if (!may_map(caller, pa, writable))
        return ERR_NOT_OWNER;
    return map_and_record(target, va, pa, writable);
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
    ft_map_set_writable(&ft, frame(pte_addr(pte)), (uint8_t)target->id, va, writable);
    return ERR_NONE;
}

enum relay_error memory_unmap(struct task *target, uint32_t va)
{
    uint32_t pa;
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    enum relay_error err = vspace_unmap(&target->vs, va, &pa);
    if (err == ERR_NONE)
        ft_map_remove(&ft, frame(pa), (uint8_t)target->id, va);
    return err;
}

/* Undo one mapping the frame table lists (every entry names a live task). */
static void unmap_in(uint8_t task, uint32_t va, void *arg)
{
    uint32_t dropped;
    (void)arg;
    vspace_unmap(&task_of_id(task)->vs, va, &dropped);
}

enum relay_error memory_revoke(struct task *caller, uint32_t pa, uint32_t *budget, uint32_t *count,
                               int *done)
{
    if (pa % PAGE_SIZE)
        return ERR_RANGE;
    if (!memory_owns(caller, pa))
        return ERR_NOT_OWNER;
    uint8_t task;
    uint32_t va;
    *count = 0;
    while (*budget && ft_map_pop(&ft, frame(pa), &task, &va)) {
        unmap_in(task, va, 0);
        (*count)++;
        (*budget)--;
    }
    *done = ft_mapping_count(&ft, frame(pa)) == 0;
    return ERR_NONE;
}

enum relay_error memory_query(struct task *target, uint32_t va, uint32_t *pa, uint32_t *flags)
{
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    pte_t pte = vspace_lookup(&target->vs, va);
    if (!(pte & PTE_PRESENT))
        return ERR_NOT_MAPPED;
    *pa = pte_addr(pte);
    *flags = pte & PTE_WRITABLE ? MAP_WRITABLE : 0;
    return ERR_NONE;
}

enum relay_error memory_give(struct task *caller, struct task *target, uint32_t pa, uint32_t count)
{
    if (pa % PAGE_SIZE)
        return ERR_RANGE;
    return ft_give(&ft, (uint8_t)caller->id, (uint8_t)target->id, frame(pa), count);
}

#define PTES_PER_UNIT   8u         /* page-table entries looked at for a unit of budget */
#define ENTRIES_PER_UNIT 2u        /* reverse-map entries looked at (counted, then removed) for a unit */
#define FRAMES_PER_UNIT 8u         /* frame-table entries scanned for a unit */

/* Charge work units to the budget (it may go to 0, never below). */
static void charge(uint32_t *budget, uint32_t units)
{
    *budget = units < *budget ? *budget - units : 0;
}

/*
 * Drop the reverse-map entries of the task's mappings of frames it does not
 * own, page by page from *at (a page number).  Its own frames' entries go
 * in memory_return_frames, a pop each, so that a task which mapped its own
 * frame many times costs no more to end than it cost to map.
 */
int memory_forget_mappings(struct task *task, uint32_t *at, uint32_t *budget)
{
    const struct vspace *vs = &task->vs;
    const uint32_t end = USER_END / PAGE_SIZE;
    while (*at < end && *budget) {
        uint32_t pdi = *at / PT_ENTRIES, pti = *at % PT_ENTRIES;
        if (!(vs->pd[pdi] & PTE_PRESENT)) {
            *at = (pdi + 1) * PT_ENTRIES;
            charge(budget, 1);
            continue;
        }
        const pte_t *pt = phys_to_virt(pte_addr(vs->pd[pdi]));
        uint32_t f = frame(pte_addr(pt[pti])), walk = 0;
        if ((pt[pti] & PTE_PRESENT) && ft_owner(&ft, f) != task->id) {
            walk = ft_mapping_count(&ft, f);     /* what the removal below may walk */
            ft_map_remove(&ft, f, (uint8_t)task->id, va_from_indices(pdi, pti, 0));
        }
        (*at)++;
        charge(budget, 1 + walk / ENTRIES_PER_UNIT + (pti % PTES_PER_UNIT == 0));
    }
    return *at >= end;
}

/*
 * Each frame the task owned is unmapped from every task it was shared with
 * (a share must not outlive its owner) and goes back to the task that gave
 * it, or to the root task.  Frames it lent to others will go to the root
 * task in turn, so a reused task id never inherits them.
 */
int memory_return_frames(struct task *task, uint32_t *at, uint32_t *budget)
{
    uint8_t root = root_task && root_task != task ? (uint8_t)root_task->id : FT_NO_TASK;
    uint8_t t;
    uint32_t va;
    while (*at < ft.frames && *budget) {
        uint32_t next = ft_next_of(&ft, (uint8_t)task->id, *at, *at + *budget * FRAMES_PER_UNIT);
        charge(budget, (next - *at) / FRAMES_PER_UNIT);
        *at = next;
        if (*at == ft.frames || !*budget)
            break;
        if (ft_owner(&ft, *at) == task->id && ft_map_pop(&ft, *at, &t, &va)) {
            unmap_in(t, va, 0);            /* one mapping at a time: the frame stays its own till the last */
            charge(budget, 1);
            continue;
        }
        ft_task_ended(&ft, (uint8_t)task->id, root, *at, 1, unmap_in, 0);
        (*at)++;
        charge(budget, 1);
    }
    return *at >= ft.frames;
}
