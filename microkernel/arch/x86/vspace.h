/*
 * Address spaces: a page directory per task whose kernel half is shared
 * with every other (the kernel's page tables are made at boot and never
 * change place), and user page tables made on demand.  Beside each page
 * table is a page of tags, one word per entry, where the kernel keeps what
 * it knows of that mapping (its reverse-map entry, frames.c).  A tag is
 * written when its entry is mapped and read only while it is: the tag
 * pages, and the directory of them, are not zeroed when made.  The
 * directory, the tables and the tags are made in the task's factory
 * (kmem.h): it pays for them.
 */
#ifndef RELAY_VSPACE_H
#define RELAY_VSPACE_H

#include <stdint.h>
#include "cpu.h"
#include "paging.h"
#include "relay/error.h"

struct factory;

struct vspace {
    pte_t *pd;              /* kernel view of the page directory */
    uint32_t pd_phys;
    uint32_t tables;        /* user page tables allocated */
    uint32_t pages;         /* user pages mapped (task_info) */
    struct factory *factory;   /* pays for the directory and the tables */
    void ***tags;           /* per directory entry: the page of tags beside its table */
    pte_t *io_pt;           /* the I/O window's table, if the task holds ports (iomap.h) */
    uint8_t *io_bits[2];    /* its I/O permission bitmap: a clear bit opens a port */
};

/* ERR_NO_MEMORY: f has no pages for the directory and its tags. */
enum relay_error vspace_init(struct vspace *vs, struct factory *f);
/* Map pa at user address va with tag: ERR_MAPPED, ERR_NO_MEMORY (no pages
 * for a table and its tags). */
enum relay_error vspace_map(struct vspace *vs, uint32_t va, uint32_t pa, pte_t flags, void *tag);
/* Unmap va, returning the frame in *pa and its tag in *tag (if not NULL):
 * ERR_NOT_MAPPED if nothing is there. */
enum relay_error vspace_unmap(struct vspace *vs, uint32_t va, uint32_t *pa, void **tag);
/* The tag of the mapping at va (NULL if none). */
void *vspace_tag(const struct vspace *vs, uint32_t va);
/* Set the writable bit of the mapping at va (present): the TLB follows. */
void vspace_set_writable(struct vspace *vs, uint32_t va, int writable);
/* The user PTE at va, or 0. */
pte_t vspace_lookup(const struct vspace *vs, uint32_t va);
/* Whether every page of [va, va + len) is mapped user-accessible (and
 * writable, if write): what ring 3 itself could touch. */
int vspace_user_accessible(const struct vspace *vs, uint32_t va, uint32_t len, int write);
/* Free every user page table and the directory (the frames mapped stay their
 * owners'); the directory entries it looked at, for the caller's budget. */
uint32_t vspace_destroy(struct vspace *vs);
static inline void vspace_activate(const struct vspace *vs)
{
    if (read_cr3() != vs->pd_phys)
        write_cr3(vs->pd_phys);
}

/* Kernel stacks for threads: slot i's stack page at KSTACKS + i*KSTACK_SLOT
 * + PAGE_SIZE, the page under it unmapped.  kstack_map maps frame pa there
 * and gives the stack's top; kstack_unmap returns the frame. */
uint32_t kstack_map(unsigned slot, uint32_t pa);
uint32_t kstack_unmap(unsigned slot);

#endif
