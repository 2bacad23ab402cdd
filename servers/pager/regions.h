/*
 * The default pager's bookkeeping, pure (host-tested in
 * tests/host/test_pager_regions.c): each client's regions, what a fault in
 * them calls for, and who holds each frame.
 *
 * A region reserves [lo, hi) of a client's address space; a fault may be
 * answered in [start, end) of it:
 *
 *   kind          reserved [lo, hi)                touchable [start, end)
 *   REGION_ANON   the pages asked for              the same
 *   REGION_HEAP   PAGER_HEAP_BASE, PAGER_HEAP_MAX  PAGER_HEAP_BASE .. the break, page-rounded up
 *   REGION_STACK  guard page + limit .. top        limit .. top (grows down as it faults)
 *   REGION_IMAGE  an ELF segment's pages           the same
 *
 * A stack's lowest reserved page is its guard: never mapped, a fault there
 * is PLAN_GUARD.  An IMAGE region is one PT_LOAD segment of a module
 * image the pager has mapped: file_lo..file_hi are the addresses whose bytes
 * come from the file (at address + bias in it), the rest of the region is
 * zero.  A read-only page wholly inside the file part is the image's own
 * frame, shared (PLAN_SHARE); any other page is a private copy of its file
 * bytes, zero elsewhere (PLAN_FILL), writable iff the segment is.  Frame holders: one bit per client for each frame the pager
 * hands out; a frame with more than one holder is shared copy-on-write.
 */
#ifndef PAGER_REGIONS_H
#define PAGER_REGIONS_H

#include <stdint.h>

#define REGION_PAGE        4096u
#define REGIONS_MAX        16u          /* regions a client may have, its heap included */
#define PAGER_CLIENTS_MAX  32u          /* one holder bit each */
#define HOLDER_FRAMES      32768u       /* frames below 128 MiB the pager can track */
#define PAGER_IMAGE_LOW    0x00400000u  /* image regions may lie this low (PROGRAM_BASE) */

enum region_kind { REGION_NONE, REGION_ANON, REGION_HEAP, REGION_STACK, REGION_IMAGE };

struct region {
    uint32_t kind;                /* enum region_kind; REGION_NONE: a free slot */
    uint32_t lo, hi;              /* reserved, guard page included */
    uint32_t start, end;          /* where faults are answered */
    uint32_t grown;               /* a stack's lowest page faulted in so far (else 0) */
    uint32_t image;               /* IMAGE: which of the pager's images */
    uint32_t file_lo, file_hi;    /* IMAGE: the addresses backed by file bytes */
    uint32_t bias;                /* IMAGE: file offset = address + bias (mod 2^32) */
    uint32_t writable;            /* IMAGE: the segment has PF_W */
};

struct space {
    struct region region[REGIONS_MAX];   /* region[0] is the heap */
    uint32_t brk;                 /* the heap's break (byte address) */
};

/* What a fault calls for. */
enum fault_plan {
    PLAN_ZERO,                    /* not present in a region: map a zeroed frame */
    PLAN_COW,                     /* a write to a present page of a region: copy on write */
    PLAN_SEGV,                    /* outside every region, or a read of a present page */
    PLAN_GUARD,                   /* a stack's guard page: an overflow */
    PLAN_SHARE,                   /* a read-only image page of file bytes only: the image's frame */
    PLAN_FILL,                    /* another image page: a private copy of its file bytes, zero tail */
};

/* #PF error code bits (SDM vol. 3A 4.7). */
#define PF_PRESENT 0x1u
#define PF_WRITE   0x2u

void space_init(struct space *s);
/* A region of kind ANON or STACK; ERR_INVALID (unaligned, empty, wrapping),
   ERR_RANGE (outside PAGER_USER_LOW..HIGH -- ..PAGER_STACK_HIGH for a stack --
   or overlapping), ERR_NO_MEMORY (full). */
int space_add_anon(struct space *s, uint32_t start, uint32_t pages);
int space_add_stack(struct space *s, uint32_t top, uint32_t pages);
/* One ELF segment of image (vaddr, memsz, file bytes at offset, filesz, writable) as an
   IMAGE region; offset and vaddr must agree modulo the page.  It may lie from
   PAGER_IMAGE_LOW (the program's own addresses) up to PAGER_USER_HIGH. */
int space_add_image(struct space *s, uint32_t image, uint32_t vaddr, uint32_t memsz,
                    uint32_t offset, uint32_t filesz, uint32_t writable);
/* Pages of anonymous memory where there is room, from PAGER_ANON_BASE up; *out the address. */
int space_map_anon(struct space *s, uint32_t pages, uint32_t addr, uint32_t *out);
/* Remove the ANON region that is exactly [start, start + pages); *gone is what it was. */
int space_remove(struct space *s, uint32_t start, uint32_t pages, struct region *gone);
/* Move the break by inc bytes: *old the break before; pages [*drop_lo, *drop_hi)
   (empty if none) are no longer the heap's.  ERR_RANGE past either end. */
int space_sbrk(struct space *s, int32_t inc, uint32_t *old, uint32_t *drop_lo, uint32_t *drop_hi);
/* The region whose touchable range holds addr, or 0. */
struct region *space_find(struct space *s, uint32_t addr);
/* What a #PF at addr with error code err calls for; PLAN_ZERO in a stack records the growth. */
enum fault_plan space_plan(struct space *s, uint32_t addr, uint32_t err);

/* Frame holders: one mask per frame; a frame past HOLDER_FRAMES cannot be tracked. */
struct frame_holders {
    uint32_t mask[HOLDER_FRAMES];
};
int holders_trackable(uint32_t pa);
void holders_add(struct frame_holders *h, uint32_t pa, uint32_t client);
/* Drop client's hold; returns the holders left (0: the frame is free again). */
uint32_t holders_drop(struct frame_holders *h, uint32_t pa, uint32_t client);
uint32_t holders_count(const struct frame_holders *h, uint32_t pa);
int holders_has(const struct frame_holders *h, uint32_t pa, uint32_t client);

#endif
