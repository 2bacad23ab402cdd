/*
 * What the generic hostile cases share (gate.c, pointers.c, selectors.c,
 * frames.c, handles.c, revoke.c, exhaustion.c): a target to aim thread and
 * task calls at, a leak baseline, and the addresses they use.
 */
#ifndef HOSTILE_GENERIC_H
#define HOSTILE_GENERIC_H

#include "hostile.h"

/* The scratch-window slots pointers.c uses, 8..11 (memory.c uses 3). */
#define SLOT_POINTERS  8u

#define KERNEL_IMAGE_PA 0x00100000u   /* the kernel's own image (ARCHITECTURE.md section 2) */
#define VGA_PA          0x000B8000u
#define IOAPIC_PA       0xFEC00000u
#define TOP_PAGE        0xFFFFF000u   /* the last page, virtual or physical */
#define UNMAPPED_VA     0x0BAD0000u   /* nothing is ever mapped here */

static inline int error_valid(uint32_t e) { return e < RELAY_ERROR_COUNT; }

/*
 * An empty task holding one thread that never starts: the target of the
 * calls on tasks and threads (the registers of an unstarted thread can be
 * read and written, and nothing runs in the task).
 */
struct target {
    relay_handle task, thread;
};

static inline int target_make(struct target *t)
{
    const struct startup_info *si = startup_info();
    int err = task_create(si->factory, HANDLE_NULL, 0, &t->task);
    if (err)
        return err;
    err = thread_create(t->task, 0x1000, 0x2000, UTCB_BASE, 1, &t->thread);
    if (err)
        handle_delete(t->task);
    return err;
}

/* Kill the thread (its task ends with it) and let go of both handles. */
static inline void target_drop(struct target *t)
{
    thread_kill(t->thread);
    handle_delete(t->thread);
    handle_delete(t->task);
}

/*
 * kernel_info for a leak check around spawning roles: first this task's
 * page table for the scratch window is made (the loader maps through it;
 * the first use makes the table, which stays, and is no leak).
 */
static inline struct kernel_info kinfo_base(void)
{
    uint32_t pa;
    void *va;
    if (frame_alloc(&pa) == ERR_NONE) {
        if (scratch_map(SCRATCH_SLOT_LOADER, pa, &va) == ERR_NONE)
            scratch_unmap(SCRATCH_SLOT_LOADER);
        frame_free(pa);
    }
    return kinfo();
}

/* Grow this task's handle table to hold n more handles than it does now
 * (a table grown once stays grown, paid for by the task's factory: no leak). */
static inline void handle_table_grow(uint32_t n)
{
    relay_handle self = startup_info()->self_task, copies[256];
    uint32_t made = 0;
    if (n > 256)
        n = 256;
    while (made < n && handle_copy(self, RIGHT_CONTROL, &copies[made]) == ERR_NONE)
        made++;
    while (made)
        handle_delete(copies[--made]);
}

/* The physical frame mapped at va in this task, or 0. */
static inline uint32_t frame_at(uint32_t va)
{
    struct sys_result r = sys_map_query(startup_info()->self_task, PAGE_DOWN(va));
    return r.error ? 0 : r.r[0];
}

#endif
