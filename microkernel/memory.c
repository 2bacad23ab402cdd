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
    if (!memory_owns(caller, pa))
        return ERR_NOT_OWNER;
    return vspace_map(&target->vs, va, pa, flags & MAP_WRITABLE ? PTE_WRITABLE : 0);
}

enum relay_error memory_unmap(struct task *target, uint32_t va)
{
    uint32_t pa;
    if (va % PAGE_SIZE || !user_range_ok(va, PAGE_SIZE))
        return ERR_RANGE;
    return vspace_unmap(&target->vs, va, &pa);
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

/*
 * Each frame the task owned goes back to the task that gave it, or to the
 * root task.  Frames it lent to others will go to the root task in turn, so
 * a reused task id never inherits them.
 */
void memory_task_ended(struct task *task)
{
    uint8_t id = (uint8_t)task->id;
    uint8_t root = root_task && root_task != task ? (uint8_t)root_task->id : NO_OWNER;
    for (uint32_t i = 0; i < boot_info.direct_top / PAGE_SIZE; i++) {
        if (owner[i] == id) {
            owner[i] = lender[i] != NO_OWNER ? lender[i] : root;
            lender[i] = NO_OWNER;
        } else if (lender[i] == id) {
            lender[i] = root;
        }
    }
}
