/*
 * Memory from the default pager (servers/pager, ipc/relay/pager_proto.h):
 * a heap that grows with sbrk, anonymous demand-zero regions, growing
 * stacks, and copy-on-write duplication into another task, each an RPC to
 * the pager.  Pages are mapped when first touched (the pager takes this
 * thread's page faults); a touch outside every region kills the task with
 * PAGER_STATUS_SEGV (139), and one the pager has no frame for with
 * PAGER_STATUS_OOM (137).
 *
 * A program the process server started paged (docs/PROCESS.md) has a
 * startup handle "pager": its badged endpoint at the default pager,
 * already registered, and already its main thread's HANDLER_PAGER.
 * libos_start adopts it (heap_init), so such a program calls none of
 * heap_attach and goes straight to sbrk; heap_attach would be ERR_STATE.
 *
 * heap_attach(ep) registers the task with the pager whose (unbadged)
 * endpoint ep is: it sends the task's own handle (RIGHT_CONTROL, so the
 * pager can map into it), keeps the badged endpoint the pager answers with,
 * and makes it the calling thread's pager (HANDLER_PAGER; threads it
 * creates afterwards inherit it).  Every other call needs it first
 * (ERR_STATE).  Errors are relay codes: the IPC's, or the pager's (see
 * pager_proto.h).  Not thread-safe.
 */
#ifndef LIBOS_HEAP_H
#define LIBOS_HEAP_H

#include <stdint.h>
#include <relay/ipc.h>
#include <relay/pager_proto.h>

/* For libos_start: the startup handle "pager", if there is one, is the pager. */
void heap_init(void);

int heap_attach(relay_handle pager_ep);
/* Leave: the pager unmaps every page it gave and forgets the task; HANDLER_PAGER is cleared. */
int heap_detach(void);
/* The badged endpoint (for another thread's HANDLER_PAGER), or HANDLE_NULL. */
relay_handle heap_pager(void);

/* Move the break by inc bytes; *old_break gets where it was. */
int heap_sbrk(intptr_t inc, void **old_break);
/* The same, the C way: the old break, or (void *)-1 on failure. */
void *sbrk(intptr_t inc);

/* pages of demand-zero memory where the pager likes (NULL on failure) ... */
void *anon_map(uint32_t pages);
/* ... or at a page-aligned address (ERR_RANGE if it overlaps a region). */
int anon_map_at(void *addr, uint32_t pages);
/* Remove a whole region anon_map made: ERR_NOT_MAPPED otherwise. */
int anon_unmap(void *addr, uint32_t pages);

/* A stack below top of at most pages pages, growing on faults; a guard page below. */
int stack_region(uint32_t top, uint32_t pages);

/*
 * Demand paging of a program: every PT_LOAD segment of the pager's image
 * number image (one its parent gave it) becomes a region of this task at
 * the segment's address + delta (page-aligned).  Text and read-only data
 * are the image's own frames, shared read-only with every task paging the
 * same image; writable data and bss are private pages filled on first touch
 * (file bytes, zero past them).  A write to a read-only segment kills the
 * task with PAGER_STATUS_SEGV.  *entry (if not NULL) gets entry + delta.
 */
int image_map(uint32_t image, uint32_t delta, uint32_t *entry);

/*
 * Copy-on-write: the pager shares every page of this task's regions with
 * the task child_task (RIGHT_CONTROL), read-only in both, and gives the
 * child the same regions; the first write on either side copies the page.
 * child_thread (RIGHT_CONTROL, or HANDLE_NULL) gets the child's badged
 * endpoint as its pager; *child_ep (if not NULL) gets that endpoint here.
 */
int pager_duplicate(relay_handle child_task, relay_handle child_thread, relay_handle *child_ep);

/*
 * A program the default pager pages (started by name through proc: it has
 * the startup handle "pager") gets each page of its image on first touch.
 * The kernel ends a thread that faults while it handles a fault, so a
 * fault handler must not need the pager for its own code or data: this
 * touches every page of the program's segments (images[0]) now.  libos'
 * pager_start and fault_handler_start (and so signal()) call it before
 * their first handler thread runs.  ERR_NONE (nothing to do when not
 * paged), or elf_check's error for the image.
 */
int program_page_in(void);

/* The pager's counters (pager_proto.h). */
int defpager_stats(relay_handle ep, struct defpager_stats *out);

#endif
