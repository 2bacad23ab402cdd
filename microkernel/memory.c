/* Frame ownership and mapping: see memory.h. */
#include "memory.h"
#include "boot.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86/memlayout.h"
#include "relay/ipc.h"

#define NO_OWNER 0
static uint8_t owner[DIRECT_MAX / PAGE_SIZE];    /* task id (1..TASKS_MAX), or NO_OWNER */
static uint8_t lender[DIRECT_MAX / PAGE_SIZE];   /* who gave it to its owner, or NO_OWNER */
_Static_assert(TASKS_MAX < 256, "task ids fit the owner table");

static int frame_tracked(uint32_t pa) { return pa < boot_info.direct_top; }

/*
 * The reverse map: for each frame, the list of (task, page) where it is
 * mapped, from a bounded pool.  Mappings made through memory_map and
 * memory_map_initial are listed; a UTCB (a kernel frame) is not.
 */
#define RMAP_MAX 16384
struct rmap {
    uint8_t task;            /* task id; 0: a free entry */
    uint8_t writable;
    uint16_t next;           /* next entry of the same frame, 0 at the end */
    uint32_t va;
};
static struct rmap rmap[RMAP_MAX + 1];              /* entry 0 is never used */
static uint16_t rmap_head[DIRECT_MAX / PAGE_SIZE];  /* first entry of each frame, or 0 */
static uint16_t rmap_free;                          /* a free-list through .next */
static unsigned rmap_used;

static uint16_t rmap_take(void)
{
    if (!rmap_free) {                                /* first use: build the free list */
        if (rmap_used)
            return 0;
        for (uint16_t i = 1; i < RMAP_MAX; i++)
            rmap[i].next = i + 1;
        rmap_free = 1;
    }
    uint16_t i = rmap_free;
    rmap_free = rmap[i].next;
    rmap_used++;
    return i;
}

static enum relay_error rmap_add(uint32_t pa, const struct task *t, uint32_t va, int writable)
{
    if (!frame_tracked(pa))
        return ERR_NONE;
    uint16_t i = rmap_take();
    if (!i)
        return ERR_NO_MEMORY;
    rmap[i] = (struct rmap){ (uint8_t)t->id, (uint8_t)writable, rmap_head[pa / PAGE_SIZE], va };
    rmap_head[pa / PAGE_SIZE] = i;
    return ERR_NONE;
}

/* Unlink the entry *link points at and give it back to the pool. */
static void rmap_drop(uint16_t *link)
{
    uint16_t i = *link;
    *link = rmap[i].next;
    rmap[i] = (struct rmap){ 0, 0, rmap_free, 0 };
    rmap_free = i;
    rmap_used--;
}

static void rmap_remove(uint32_t pa, const struct task *t, uint32_t va)
{
    if (!frame_tracked(pa))
        return;
    for (uint16_t *link = &rmap_head[pa / PAGE_SIZE]; *link; link = &rmap[*link].next)
        if (rmap[*link].task == t->id && rmap[*link].va == va) {
            rmap_drop(link);
            return;
        }
}

/* How task t has frame pa mapped: 0 not at all, 1 read-only, 2 writable. */
static int mapped_by(uint32_t pa, const struct task *t)
{
    int best = 0;
    if (!frame_tracked(pa))
        return 0;
    for (uint16_t i = rmap_head[pa / PAGE_SIZE]; i; i = rmap[i].next)
        if (rmap[i].task == t->id && 1 + rmap[i].writable > best)
            best = 1 + rmap[i].writable;
    return best;
}

static enum relay_error map_and_record(struct task *target, uint32_t va, uint32_t pa, int writable)
{
    enum relay_error err = vspace_map(&target->vs, va, pa, writable ? PTE_WRITABLE : 0);
    if (err != ERR_NONE)
        return err;
    if ((err = rmap_add(pa, target, va, writable)) != ERR_NONE) {
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
    for (uint32_t pa = start; pa < end && frame_tracked(pa); pa += PAGE_SIZE) {
        owner[pa / PAGE_SIZE] = task ? (uint8_t)task->id : NO_OWNER;
        lender[pa / PAGE_SIZE] = NO_OWNER;
    }
}

int memory_owns(const struct task *task, uint32_t pa)
{
    return frame_tracked(pa) && owner[pa / PAGE_SIZE] == task->id;
}

enum relay_error memory_map(struct task *caller, struct task *target, uint32_t va, uint32_t pa,
                            uint32_t flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || va == 0 || !user_range_ok(va, PAGE_SIZE)
        || flags & ~MAP_WRITABLE)
        return ERR_RANGE;
    int writable = (flags & MAP_WRITABLE) != 0;
    /* The owner may map a frame as it likes; a task it was shared with may
     * pass it on with no more rights than its own mapping has. */
    if (!memory_owns(caller, pa) && mapped_by(pa, caller) < 1 + writable)
        return ERR_NOT_OWNER;
    return map_and_record(target, va, pa, writable);
}

enum relay_error memory_unmap(struct task *target, uint32_t va)
{
    uint32_t pa;
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    enum relay_error err = vspace_unmap(&target->vs, va, &pa);
    if (err == ERR_NONE)
        rmap_remove(pa, target, va);
    return err;
}

/* Unmap frame i from every task it is mapped in. */
static void unmap_everywhere(uint32_t i)
{
    uint16_t *head = &rmap_head[i];
    while (*head) {                        /* every entry names a live task */
        uint32_t dropped;
        vspace_unmap(&task_of_id(rmap[*head].task)->vs, rmap[*head].va, &dropped);
        rmap_drop(head);
    }
}

enum relay_error memory_revoke(struct task *caller, uint32_t pa, uint32_t *count)
{
    if (pa % PAGE_SIZE)
        return ERR_RANGE;
    if (!memory_owns(caller, pa))
        return ERR_NOT_OWNER;
    *count = 0;
    for (uint16_t i = rmap_head[pa / PAGE_SIZE]; i; i = rmap[i].next)
        (*count)++;
    unmap_everywhere(pa / PAGE_SIZE);
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
    if (pa % PAGE_SIZE || count > DIRECT_MAX / PAGE_SIZE)
        return ERR_RANGE;
    for (uint32_t i = 0; i < count; i++)
        if (!memory_owns(caller, pa + i * PAGE_SIZE))
            return ERR_NOT_OWNER;
    for (uint32_t i = pa / PAGE_SIZE; i < pa / PAGE_SIZE + count; i++) {
        owner[i] = (uint8_t)target->id;
        lender[i] = (uint8_t)caller->id;
    }
    return ERR_NONE;
}

/* Drop the reverse-map entries of every page the task has mapped. */
static void forget_mappings(struct task *task)
{
    const struct vspace *vs = &task->vs;
    if (!vs->pd)
        return;
    for (uint32_t pdi = 0; pdi < pd_index(USER_END); pdi++) {
        if (!(vs->pd[pdi] & PTE_PRESENT))
            continue;
        const pte_t *pt = phys_to_virt(pte_addr(vs->pd[pdi]));
        for (uint32_t pti = 0; pti < PT_ENTRIES; pti++)
            if (pt[pti] & PTE_PRESENT)
                rmap_remove(pte_addr(pt[pti]), task, va_from_indices(pdi, pti, 0));
    }
}

/*
 * Each frame the task owned is unmapped from every task it was shared with
 * (a share must not outlive its owner) and goes back to the task that gave
 * it, or to the root task.  Frames it lent to others will go to the root
 * task in turn, so a reused task id never inherits them.
 */
void memory_task_ended(struct task *task)
{
    uint8_t id = (uint8_t)task->id;
    forget_mappings(task);
    uint8_t root = root_task && root_task != task ? (uint8_t)root_task->id : NO_OWNER;
    for (uint32_t i = 0; i < boot_info.direct_top / PAGE_SIZE; i++) {
        if (owner[i] == id) {
            unmap_everywhere(i);
            owner[i] = lender[i] != NO_OWNER ? lender[i] : root;
            lender[i] = NO_OWNER;
        } else if (lender[i] == id) {
            lender[i] = root;
        }
    }
}
