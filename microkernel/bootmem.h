/*
 * Boot memory: the kernel's own frame allocator, used only while it boots
 * (its page tables, the frame table, the root's startup page; then the
 * root factory's frames and the root task's are taken out of it, and the
 * kernel allocates nothing more).  Two bitmaps over the frames of the
 * direct map, one bit a frame each: "in use" (allocated, reserved, or not
 * RAM) and "allocated" (handed out by frame_alloc, so frame_free may take it
 * back).  It starts with every frame in use; usable RAM is added, then the
 * kernel image, the modules, the Multiboot data and the first MiB are
 * reserved, so it can never hand those out, and a stray free of one is
 * refused.  Pure: tests/host/test_bootmem.c checks it.
 */
#ifndef RELAY_BOOTMEM_H
#define RELAY_BOOTMEM_H

#include <stdint.h>
#include "relay/error.h"

#define FRAME_SIZE 4096u

struct frame_pool {
    uint32_t *bitmap;     /* caller's storage: FRAME_BITMAP_WORDS(nframes) words */
    uint32_t nframes;     /* frames [0, nframes) are tracked */
    uint32_t free;        /* frames free now */
    uint32_t hint;        /* no free frame below this index */
};

#define FRAME_WORDS(nframes)        (((nframes) + 31) / 32)   /* one bitmap */
#define FRAME_BITMAP_WORDS(nframes) (2 * FRAME_WORDS(nframes))  /* in use, then allocated */

void frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t nframes);
/* Make the whole frames inside [start, end) free; frames past nframes are ignored. */
void frame_pool_add(struct frame_pool *pool, uint64_t start, uint64_t end);
/* Mark every frame touching [start, end) in use for good. */
void frame_pool_reserve(struct frame_pool *pool, uint64_t start, uint64_t end);

/* Take a free frame: ERR_NONE and its address in *frame, or ERR_NO_MEMORY. */
enum relay_error frame_alloc(struct frame_pool *pool, uint32_t *frame);
/* Give a frame back: ERR_INVALID if it is misaligned, untracked or already free. */
enum relay_error frame_free(struct frame_pool *pool, uint32_t frame);
/* Whether the frame holding address pa is in use (untracked frames are). */
int frame_in_use(const struct frame_pool *pool, uint32_t pa);
/* Whether it was handed out by frame_alloc and not freed since. */
int frame_allocated(const struct frame_pool *pool, uint32_t pa);

#endif
