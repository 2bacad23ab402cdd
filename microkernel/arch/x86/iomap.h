/*
 * The I/O permission bitmap, per address space (Intel SDM vol. 1, 19.5.2).
 *
 * The TSS lies at IO_WINDOW with its I/O map base at the next page: the
 * bitmap's 8 KiB are the window's pages 1 and 2, and page 3 begins with the
 * all-ones byte the CPU reads past the last port.  The window has a page
 * table of its own.  Every address space whose task holds no port shares
 * the kernel's, where the bitmap pages are one page of all ones: every port
 * closed, so in/out is #GP.  A task that holds ports has a table of its own
 * (made, with its two bitmap pages, in its factory) whose bitmap opens
 * them.  The CR3 load that switches address spaces therefore switches
 * bitmaps as well: a switch costs nothing more for ports, whether or not
 * either task has any.
 */
#ifndef RELAY_IOMAP_H
#define RELAY_IOMAP_H

#include <stdint.h>
#include "vspace.h"

#define IO_PORTS 0x10000u

/* Map the TSS and the closed bitmap at IO_WINDOW and move the task register
 * there: after paging_init, before any task runs. */
void iomap_init(void);
/* Give vs a bitmap of its own, every port closed.  ERR_NO_MEMORY. */
enum relay_error iomap_create(struct vspace *vs);
/* Open or close ports [first, first + count) (vs has a bitmap of its own). */
void iomap_set(struct vspace *vs, uint32_t first, uint32_t count, int open);
/* Back to the shared closed bitmap; vs's pages go back to its factory. */
void iomap_destroy(struct vspace *vs);

#endif
