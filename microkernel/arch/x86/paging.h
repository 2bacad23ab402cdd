/*
 * i386 two-level paging with 4 KiB pages (no PAE).
 *
 *   31          22 21          12 11           0
 *  +--------------+--------------+--------------+
 *  |  PD index    |  PT index    | page offset  |
 *  +--------------+--------------+--------------+
 *
 * The index math is pure and tested on the host (tests/host/test_paging.c).
 */
#ifndef RELAY_PAGING_H
#define RELAY_PAGING_H

#include <stdint.h>
#include "memlayout.h"

typedef uint32_t pte_t;    /* a page-table or page-directory entry */

#define PTE_PRESENT   0x001u
#define PTE_WRITABLE  0x002u
#define PTE_USER      0x004u
#define PTE_PWT       0x008u   /* write-through */
#define PTE_PCD       0x010u   /* cache disabled: device memory */
#define PTE_CACHE     (PTE_PWT | PTE_PCD)   /* a user mapping's caching: MAP_UNCACHED */
#define PTE_LARGE     0x080u   /* in a PDE: a 4 MiB page (the direct map's, past the kernel image) */
#define PTE_GLOBAL    0x100u
#define PTE_ADDR_MASK 0xFFFFF000u

#define PT_ENTRIES    1024u
#define PD_SHIFT      22
#define LARGE_PAGE    (1u << PD_SHIFT)

static inline uint32_t pd_index(uint32_t va)    { return va >> PD_SHIFT; }
static inline uint32_t pt_index(uint32_t va)    { return (va >> PAGE_SHIFT) & (PT_ENTRIES - 1); }
static inline uint32_t page_offset(uint32_t va) { return va & (PAGE_SIZE - 1); }
static inline uint32_t page_base(uint32_t va)   { return va & ~(PAGE_SIZE - 1); }
static inline uint32_t page_round_up(uint32_t a) { return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }
static inline uint32_t va_from_indices(uint32_t pdi, uint32_t pti, uint32_t offset)
{
    return (pdi << PD_SHIFT) | (pti << PAGE_SHIFT) | offset;
}
static inline pte_t pte_make(uint32_t pa, uint32_t flags) { return (pa & PTE_ADDR_MASK) | flags; }
static inline uint32_t pte_addr(pte_t e) { return e & PTE_ADDR_MASK; }

#ifndef HOST_TEST
void paging_init(void);                 /* build the final kernel tables and load them */
pte_t *paging_kernel_pte(uint32_t va);  /* the kernel PTE mapping va, or 0 */
int paging_kernel_readable(uint32_t va, uint32_t len);   /* mapped kernel memory? */
extern pte_t *kernel_pd;                /* the kernel page directory (virtual) */
#endif

#endif
