/*
 * How libos uses the user address space: the regions of ipc/relay/startup.h,
 * and the two libos adds (thread stacks, and the scratch window's slots).
 *
 *   0xC0000000 +---------------------------+ USER_TOP
 *              | startup page (read-only)  |  STARTUP_VADDR
 *              | guard page                |
 *              | main stack, 64 KiB        |  STACK_TOP - STACK_SIZE .. STACK_TOP
 *              | ...                       |
 *   0xBF000000 | UTCBs: main thread first, |  UTCB_BASE; libos gives each new
 *              | then one page per thread  |  thread the next unused page
 *              | ...                       |
 *   0xB0000000 | thread stacks: THREADS_MAX|  THREAD_STACKS_BASE, a slot of
 *              | slots of 16 KiB, each a   |  THREAD_STACK_SIZE per thread; the
 *              | guard page + 12 KiB stack |  lowest page of a slot stays unmapped
 *              | ...                       |
 *   0xA0000000 | scratch window            |  SCRATCH_BASE, SCRATCH_SLOTS pages:
 *              |                           |  the task's own frames, mapped briefly
 *   0x80000000 | images, read-only         |  IMAGE_BASE
 *   0x00400000 | the program (ELF)         |  PROGRAM_BASE
 *              +---------------------------+
 */
#ifndef LIBOS_LAYOUT_H
#define LIBOS_LAYOUT_H

#include <relay/startup.h>

#define PAGE_SIZE          4096u
#define PAGE_DOWN(a)       ((uint32_t)(a) & ~(PAGE_SIZE - 1))
#define PAGE_UP(a)         PAGE_DOWN((uint32_t)(a) + PAGE_SIZE - 1)

#define THREAD_STACKS_BASE 0xB0000000u
#define THREAD_STACK_SIZE  0x00004000u   /* a power of two: slot = (esp - base) / size */
#define THREAD_GUARD_PAGES 1u
#define THREADS_MAX        64u           /* threads libos can start besides the main one */

#define SCRATCH_SLOTS      16u           /* pages of the scratch window */
#define SCRATCH_SLOT_LOADER 0u           /* the one libos' loaders use */

_Static_assert(THREAD_STACKS_BASE + THREADS_MAX * THREAD_STACK_SIZE <= UTCB_BASE,
               "thread stacks end below the UTCBs");
_Static_assert(SCRATCH_BASE + SCRATCH_SLOTS * PAGE_SIZE <= THREAD_STACKS_BASE,
               "the scratch window ends below the thread stacks");
_Static_assert(IMAGE_BASE < SCRATCH_BASE && PROGRAM_BASE < IMAGE_BASE, "regions in order");

#endif
