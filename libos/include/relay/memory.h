/*
 * The task's own physical memory: a frame allocator over the frames the
 * startup page lists, and the scratch window to fill them.
 *
 * frame_*: the program's pool (relay/frame_pool.h), set up by libos_start
 * from startup memory[]; the same errors as frame_pool_*.
 *
 * Scratch window: a task reaches a frame's contents only by mapping it, so
 * scratch_map maps one of its own frames at SCRATCH_BASE + slot * PAGE_SIZE
 * in its own task (writable), and scratch_unmap takes it away again.
 * Slots are for the caller to share out; libos' loaders use
 * SCRATCH_SLOT_LOADER and leave it unmapped between calls.
 * Not thread-safe.
 */
#ifndef LIBOS_MEMORY_H
#define LIBOS_MEMORY_H

#include <stdint.h>
#include <relay/startup.h>

void memory_init(const struct startup_info *si);

int frame_alloc(uint32_t *pa);
int frame_alloc_range(uint32_t count, uint32_t *pa);
uint32_t frame_alloc_run(uint32_t max, uint32_t *pa);
int frame_free(uint32_t pa);
int frame_free_range(uint32_t pa, uint32_t count);
uint32_t frame_free_count(void);

/* Map own frame pa at scratch slot: ERR_RANGE for a slot past SCRATCH_SLOTS,
   else the kernel's map error (ERR_NOT_OWNER, ERR_MAPPED, ...). */
int scratch_map(uint32_t slot, uint32_t pa, void **va);
int scratch_unmap(uint32_t slot);

/* Zero own frame pa, then copy n bytes of src to it at offset (through the
   loader's slot): ERR_RANGE if offset + n passes the page. */
int frame_fill(uint32_t pa, uint32_t offset, const void *src, uint32_t n);

#endif
