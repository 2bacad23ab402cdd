/*
 * A pool of physical frames: which of the frames a task owns are free.
 *
 * Pure bookkeeping (no system calls), so host tests can run it.  The pool
 * covers the spans it is given (the startup page's memory[]), at most
 * FRAME_POOL_MAX frames; frames past that are left out, and so are spans
 * that are empty, or overlap an earlier span.  Span ends are rounded
 * inwards to whole pages.  A frame is known by its physical address.
 *
 * One bit a frame, set when the frame is in use.  A run of frames is
 * physically contiguous and lies within one span.
 */
#ifndef LIBOS_FRAME_POOL_H
#define LIBOS_FRAME_POOL_H

#include <stdint.h>
#include <relay/startup.h>

#ifdef HOST_TEST   /* host tests link this beside the kernel's own frame_pool: keep apart */
#define frame_pool_init        libos_frame_pool_init
#define frame_pool_alloc       libos_frame_pool_alloc
#define frame_pool_alloc_range libos_frame_pool_alloc_range
#define frame_pool_alloc_run   libos_frame_pool_alloc_run
#define frame_pool_free        libos_frame_pool_free
#define frame_pool_free_range  libos_frame_pool_free_range
#define frame_pool             libos_frame_pool
#endif

#define FRAME_POOL_MAX 131072u    /* 512 MiB of 4 KiB frames */

struct frame_pool {
    uint32_t span_count;
    struct phys_span spans[STARTUP_RANGES_MAX];   /* page-aligned, end exclusive */
    uint32_t first[STARTUP_RANGES_MAX];           /* bit number of each span's first frame */
    uint32_t total, free;         /* frames in the pool, and how many are free */
    uint32_t hint;                /* no free frame below this bit */
    uint32_t used[FRAME_POOL_MAX / 32];           /* a set bit: the frame is in use */
};

/* Every frame of the spans, free. */
void frame_pool_init(struct frame_pool *p, const struct phys_span *spans, uint32_t count);

/* One free frame, now in use: ERR_NO_MEMORY if none is left. */
int frame_pool_alloc(struct frame_pool *p, uint32_t *pa);
/* count contiguous free frames, now in use (first fit): ERR_INVALID for 0, ERR_NO_MEMORY. */
int frame_pool_alloc_range(struct frame_pool *p, uint32_t count, uint32_t *pa);
/* The first run of free frames, at most max long, now in use: its length (0 if none). */
uint32_t frame_pool_alloc_run(struct frame_pool *p, uint32_t max, uint32_t *pa);
/* A frame in use becomes free: ERR_INVALID if pa is not page-aligned or already
   free, ERR_NOT_OWNER if it is not in the pool. */
int frame_pool_free(struct frame_pool *p, uint32_t pa);
/* frame_pool_free for each of count frames from pa; the first error stops it. */
int frame_pool_free_range(struct frame_pool *p, uint32_t pa, uint32_t count);

#endif
