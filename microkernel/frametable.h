/*
 * The frame table: for each physical frame of RAM, which holder owns it --
 * a task, or a factory holding it for kernel objects -- the holders it was
 * lent through (the one that gave it to its owner, the one that gave it to
 * that one, and so on, up to FT_LENDERS of them), and where it is mapped
 * (the reverse map).  Pure bookkeeping: frames.c puts it to work on real
 * address spaces; tests/host/test_frametable.c checks it.
 *
 * Holders are named by an opaque word (the kernel: the task's or factory's
 * address); FT_NO_TASK (0) is nobody, which for a frame means the kernel's.
 * A reverse-map entry is memory the caller provides and gets back (the
 * kernel makes it in the mapping task's factory, so a task's mappings are
 * paid for by it, and keeps a pointer to it beside the page-table entry, so
 * that unmapping finds it at once).  The table's own storage is per chunk of frames, made
 * only when a frame in it first differs from the rest of its chunk: until
 * then a chunk is one owner for all its frames, and costs nothing to set.
 */
#ifndef RELAY_FRAMETABLE_H
#define RELAY_FRAMETABLE_H

#include <stdint.h>
#include "relay/error.h"

typedef uintptr_t ft_holder;
#define FT_NO_TASK 0
#define FT_LENDERS 5         /* givers a frame remembers, newest first (32 bytes a frame) */

struct ft_rmap {
    ft_holder task;          /* the task that has it mapped */
    uint32_t page;           /* the page it is mapped at, | 1 if writable */
    struct ft_rmap *next, *prev;   /* the frame's mappings (prev NULL: the first) */
};

static inline uint32_t ft_rmap_va(const struct ft_rmap *e) { return e->page & ~1u; }
static inline int ft_rmap_writable(const struct ft_rmap *e) { return (int)(e->page & 1); }


/* How one task maps one frame: a node per task that has it mapped, so that
 * whether a task may pass a frame on is found without walking every
 * mapping of it.  Made and given back through the table's callbacks. */
struct ft_sharer {
    ft_holder task;
    uint32_t maps, writable;        /* its mappings of the frame, and how many are writable */
    struct ft_sharer *next;
};

struct ft_frame {
    ft_holder owner;
    ft_holder lender[FT_LENDERS];   /* who gave it to the owner, who gave it to that one...; 0 past the end */
    struct ft_rmap *head;           /* its mappings */
    struct ft_sharer *sharers;      /* the tasks that have it mapped */
};

#define FT_CHUNK_BYTES  4096u
#define FT_CHUNK_FRAMES (FT_CHUNK_BYTES / sizeof(struct ft_frame))

/*
 * No holder follows itself in a frame's sequence owner, lender[0], ...;
 * the root task is never recorded as a lender, since a frame nobody else
 * takes back goes to the root anyway.  When a holder ends, it leaves every
 * frame's sequence: each frame goes back along it, and no ended holder
 * stays anywhere.
 */
struct frame_table {
    uint32_t frames;             /* frames tracked: [0, frames) */
    uint32_t chunks;
    struct ft_frame **chunk;     /* per chunk: its frames, or NULL: all are uniform[c]'s */
    ft_holder *uniform;
    void *(*chunk_page)(uint32_t c);   /* a zeroed FT_CHUNK_BYTES for chunk c (never NULL) */
    void (*held)(ft_holder h, int32_t delta, uint32_t frame);
                                 /* NULL, or told each time a holder enters the sequences
                                    of delta frames from frame on (+), or leaves those of
                                    -delta frames, frame among them (-) */
    struct ft_sharer *(*new_sharer)(ft_holder task);   /* a node paid for by task, or NULL */
    void (*free_sharer)(struct ft_sharer *s);
    uint32_t mappings;           /* reverse-map entries in use */
};

#define FT_CHUNKS(frames) (((frames) + FT_CHUNK_FRAMES - 1) / FT_CHUNK_FRAMES)

/* Storage for FT_CHUNKS(frames) chunk pointers and owners is the caller's,
 * zeroed (the kernel's is in .bss: a million frames cost no loop at boot);
 * every frame starts owned by nobody, unmapped. */
void ft_init(struct frame_table *ft, uint32_t frames, struct ft_frame **chunk, ft_holder *uniform,
             void *(*chunk_page)(uint32_t c));

/* Untracked frames (frame >= frames) have no owner and no mappings. */
static inline ft_holder ft_owner(const struct frame_table *ft, uint32_t frame)
{
    if (frame >= ft->frames)
        return FT_NO_TASK;
    const struct ft_frame *chunk = ft->chunk[frame / FT_CHUNK_FRAMES];
    return chunk ? chunk[frame % FT_CHUNK_FRAMES].owner : ft->uniform[frame / FT_CHUNK_FRAMES];
}
/* A frame's lender i (0: the newest), or FT_NO_TASK. */
ft_holder ft_lender(const struct frame_table *ft, uint32_t frame, uint32_t i);
/* Whether frame's chunk is made (else its frames are all one holder's, no mapping). */
static inline int ft_chunk_made(const struct frame_table *ft, uint32_t frame)
{
    return frame < ft->frames && ft->chunk[frame / FT_CHUNK_FRAMES] != 0;
}
void ft_set_owner(struct frame_table *ft, uint32_t first, uint32_t count, ft_holder task);
/*
 * All of [first, first+count) from `from` to `to`, or nothing: ERR_NOT_OWNER,
 * or ERR_NO_MEMORY if a frame already remembers FT_LENDERS givers.  A frame
 * given back to its lender goes back (its lender is then the lender's own);
 * any other becomes `to`'s, lent by `from` (unless `from` is root).  Giving
 * to oneself checks ownership and changes nothing.
 */
enum relay_error ft_give(struct frame_table *ft, ft_holder from, ft_holder to, uint32_t first,
                         uint32_t count, ft_holder root);

/* Record a mapping in the entry e (the caller's memory): 1; 0 if the frame
 * is untracked and e was not used; -1 if the task's first mapping of the
 * frame needs a sharer node and new_sharer has none (nothing changed). */
int ft_map_add(struct frame_table *ft, uint32_t frame, ft_holder task, uint32_t va, int writable,
               struct ft_rmap *e);
/* Take entry e off frame's list (the caller gives it back). */
void ft_map_unlink(struct frame_table *ft, uint32_t frame, struct ft_rmap *e);
/* Make a recorded mapping writable or not. */
void ft_map_set_writable(struct frame_table *ft, uint32_t frame, struct ft_rmap *e, int writable);
/* task's sharer node for frame, or NULL; the frame's first (then follow next). */
const struct ft_sharer *ft_sharer(const struct frame_table *ft, uint32_t frame, ft_holder task);
const struct ft_sharer *ft_sharers(const struct frame_table *ft, uint32_t frame);
/* How task has frame mapped: 0 not at all, 1 read-only somewhere, 2 writable somewhere. */
int ft_mapped_by(const struct frame_table *ft, uint32_t frame, ft_holder task);
uint32_t ft_mapping_count(const struct frame_table *ft, uint32_t frame);
/* Whether task has frame mapped at va, and how: 0 no, 1 read-only, 2 writable. */
int ft_mapping_at(const struct frame_table *ft, uint32_t frame, ft_holder task, uint32_t va);
/* Take one mapping of frame off its list: its entry (task and va say where), or NULL. */
struct ft_rmap *ft_map_pop(struct frame_table *ft, uint32_t frame);
/* The frame's first mapping (then follow next), or NULL: for the checker. */
const struct ft_rmap *ft_mappings(const struct frame_table *ft, uint32_t frame);

/* The first frame of [from, limit) that task holds (owns or has lent), or limit.
 * (A holder that ft->held says holds nothing need not look.) */
uint32_t ft_next_of(const struct frame_table *ft, ft_holder task, uint32_t from, uint32_t limit);

/*
 * Holder `task` ended (its mappings of frames it did not own already
 * removed).  It leaves the holders of each frame of [first, first + count):
 * a frame it owned loses every mapping (unmap is called with each entry, to
 * undo it in that task's space and give the entry back) and goes back to
 * its lender, or to `root` if it has none left.  Returns the mappings undone.
 */
uint32_t ft_task_ended(struct frame_table *ft, ft_holder task, ft_holder root, uint32_t first,
                       uint32_t count, void (*unmap)(struct ft_rmap *e, void *arg), void *arg);

/*
 * ft_task_ended for a run of frames, the common case at a holder's end:
 * from first on, each frame that task owns, has not lent on and has no
 * mapping of goes back to its lender (or to root), up to max of them.
 * Stops at the first frame that is not so: the count done.
 */
uint32_t ft_owner_leaves(struct frame_table *ft, ft_holder task, ft_holder root, uint32_t first,
                         uint32_t max);

#endif
