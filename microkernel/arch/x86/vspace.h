/*
 * Address spaces: a page directory per task whose kernel half is shared
 * with every other (the kernel's page tables are made at boot and never
 * change place), and user page tables made on demand, bounded per task.
 */
#ifndef RELAY_VSPACE_H
#define RELAY_VSPACE_H

#include <stdint.h>
#include "cpu.h"
#include "paging.h"
#include "relay/error.h"

#define VSPACE_TABLES_MAX 128   /* user page tables a task may have: 512 MiB of mappings */

struct vspace {
    pte_t *pd;              /* kernel view of the page directory */
    uint32_t pd_phys;
    uint32_t tables;        /* user page tables allocated */
};

enum relay_error vspace_init(struct vspace *vs);
/* Map pa at user address va: ERR_MAPPED, ERR_QUOTA (page tables), ERR_NO_MEMORY. */
enum relay_error vspace_map(struct vspace *vs, uint32_t va, uint32_t pa, pte_t flags);
/* Unmap va, returning the frame in *pa: ERR_NOT_MAPPED if nothing is there. */
enum relay_error vspace_unmap(struct vspace *vs, uint32_t va, uint32_t *pa);
/* Set the writable bit of the mapping at va (present): the TLB follows. */
void vspace_set_writable(struct vspace *vs, uint32_t va, int writable);
/* The user PTE at va, or 0. */
pte_t vspace_lookup(const struct vspace *vs, uint32_t va);
/* Whether every page of [va, va + len) is mapped user-accessible (and
 * writable, if write): what ring 3 itself could touch. */
int vspace_user_accessible(const struct vspace *vs, uint32_t va, uint32_t len, int write);
/* Free every user page table and the directory (the frames mapped stay their owners'). */
void vspace_destroy(struct vspace *vs);
static inline void vspace_activate(const struct vspace *vs)
{
    if (read_cr3() != vs->pd_phys)
        write_cr3(vs->pd_phys);
}

/* Kernel stacks for threads: slot i's stack page at KSTACKS + i*KSTACK_SLOT + PAGE_SIZE. */
enum relay_error kstack_map(unsigned slot, uint32_t *top);
void kstack_unmap(unsigned slot);

#endif
