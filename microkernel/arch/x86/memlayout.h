/*
 * The kernel's view of memory.  Included by C and (through the generated
 * asm_offsets.inc) by nasm.
 *
 *   virtual                                     physical
 *   0xFFFFFFFF +-----------------------------+
 *              | the I/O window: the TSS and  | IO_WINDOW = 0xFFC00000
 *              | its I/O permission bitmap,   |
 *              | per address space (iomap.h)  |
 *              +-----------------------------+
 *              | unmapped (reserved for       |
 *              | later kernel windows)        |
 *              +-----------------------------+ KSTACKS_END
 *              | thread kernel stacks: a      |
 *              | guard page and a stack page  |
 *              | per thread slot (KSTACK_SLOTS)|
 *   KSTACKS    +-----------------------------+ = DIRECT_END
 *              |                              |
 *              | direct map of RAM, up to the |
 *              | top of usable RAM            |
 *              |   kernel .bss: boot page     |
 *              |   directory, stacks with an  |
 *              |   unmapped guard page under  |
 *              |   each                       |
 *              |   kernel .data       RW      |
 *              |   kernel .rodata     RO      |
 *              |   kernel .text       RO      |  KERNEL_PHYS
 *   0xC0100000 |   .boot (entry code)         | <- 0x00100000
 *              |   first MiB: BIOS, VGA  RW   |
 *   KERNBASE   +-----------------------------+ 0xC0000000 -> 0x00000000
 *              | user space: each task's own  |
 *              | (ipc/relay/startup.h)        |
 *              | page 0 never mapped          |
 *   0x00000000 +-----------------------------+
 *
 * Every physical address p of RAM (below boot_info.direct_top, at most
 * DIRECT_MAX) is at virtual KERNBASE + p.
 * During boot only, the first 4 MiB are also identity-mapped.
 */
#ifndef RELAY_MEMLAYOUT_H
#define RELAY_MEMLAYOUT_H

#define KERNBASE     0xC0000000u   /* start of the kernel's part of every space */
#define KERNEL_PHYS  0x00100000u   /* where the loader puts the kernel image */
#define DIRECT_MAX   0x30000000u   /* 768 MiB: the most RAM the direct map covers */
#define DIRECT_END   (KERNBASE + DIRECT_MAX)

#define PAGE_SIZE    4096u
#define PAGE_SHIFT   12
#define KSTACK_SIZE  (4 * PAGE_SIZE)   /* the boot (idle) stack, guard page not counted */
#define KSTACKS      DIRECT_END       /* thread kernel stacks: one page table's worth */
#define KSTACK_SLOT  (2 * PAGE_SIZE)  /* per thread: guard page, then the stack page */
#define KSTACK_SLOTS 20480u          /* threads there can be at once: 160 MiB of addresses */
#define KSTACKS_END  (KSTACKS + KSTACK_SLOTS * KSTACK_SLOT)
#define IO_WINDOW    0xFFC00000u      /* the last directory entry: the TSS and its I/O bitmap */

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t paddr_t;   /* a physical address (no PAE: 32 bits) */

static inline void *phys_to_virt(paddr_t pa) { return (void *)(uintptr_t)(pa + KERNBASE); }
static inline paddr_t virt_to_phys(const void *va) { return (paddr_t)((uintptr_t)va - KERNBASE); }
#endif

#endif
