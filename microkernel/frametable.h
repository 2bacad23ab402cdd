/*
 * The frame table: for each physical frame of RAM, which task owns it, the
 * tasks it was lent through -- the one that gave it to its owner, the one
 * that gave it to that one, and so on -- and, bounded, where it is mapped
 * (the reverse map).  Pure bookkeeping: memory.c puts it to work on real address
 * spaces; tests/host/test_frametable.c checks it.  Tasks are named by their
 * ids (1..255); FT_NO_TASK (0) is no task.
 */
#ifndef RELAY_FRAMETABLE_H
#define RELAY_FRAMETABLE_H

#include <stdint.h>
#include "relay/error.h"

#define FT_NO_TASK 0

struct ft_rmap {
    uint8_t task;            /* FT_NO_TASK: a free entry */
    uint8_t writable;
    uint16_t next;           /* the next entry of the same frame (or of the free list), 0 at the end */
    uint32_t va;             /* the page it is mapped at */
};

/* A lender further back: who gave the frame to the task that lent it on. */
struct ft_loan {
    uint8_t task;
    uint16_t next;           /* the one before it (or the next free entry), 0 at the end */
};

/*
 * A frame's holders, newest first, are its owner, its lender, then
 * loans[frame]'s list.  No task follows itself in that sequence (a task is
 * never its own lender); one task may come twice (A lends to B, B to C, C
 * to A).  When a task ends, it leaves every frame's sequence: each frame
 * goes back along it, and no ended task's id stays anywhere.
 */
struct frame_table {
    uint32_t frames;         /* frames tracked: [0, frames) */
    uint8_t *owner;          /* per frame: the owner's id */
    uint8_t *lender;         /* per frame: who gave it to the owner, or FT_NO_TASK */
    uint16_t *loans;         /* per frame: the lender's lender and on (loan entries), or 0 */
    uint16_t *head;          /* per frame: its first reverse-map entry, or 0 */
    struct ft_rmap *rmap;    /* rmap_max + 1 entries; entry 0 is never used */
    uint32_t rmap_max;       /* at most 65535 */
    uint16_t free;           /* the free entries, through .next */
    uint32_t used;
    struct ft_loan *loan;    /* loan_max + 1 entries; entry 0 is never used */
    uint32_t loan_max;       /* at most 65535 */
    uint16_t loan_free;      /* entries given back, through .next */
    uint32_t loan_fresh;     /* entries [loan_fresh, loan_max] were never used */
    uint32_t loans_used;
};

/* Storage is the caller's; every frame starts with no owner, no lender and no mapping. */
struct ft_storage {
    uint8_t *owner, *lender;
    uint16_t *loans, *head;
    struct ft_rmap *rmap;
    uint32_t rmap_max;
    struct ft_loan *loan;
    uint32_t loan_max;
};
void ft_init(struct frame_table *ft, uint32_t frames, const struct ft_storage *s);

/* Untracked frames (frame >= frames) have no owner and no mappings. */
uint8_t ft_owner(const struct frame_table *ft, uint32_t frame);
void ft_set_owner(struct frame_table *ft, uint32_t first, uint32_t count, uint8_t task);
/* All of [first, first+count) from `from` to `to`, or nothing: ERR_NOT_OWNER,
 * or ERR_NO_MEMORY if the loan entries the frames `from` had been lent need
 * run out.  A frame given to its lender goes back (its lender is then the
 * lender's own); any other becomes `to`'s, lent by `from`.  Giving to
 * oneself checks ownership and changes nothing (not even the lender). */
enum relay_error ft_give(struct frame_table *ft, uint8_t from, uint8_t to, uint32_t first, uint32_t count);

/* Record a mapping; ERR_NO_MEMORY when the pool is used up.  Untracked frames are not recorded. */
enum relay_error ft_map_add(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va, int writable);
void ft_map_remove(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va);
/* Record that task's mapping of frame at va is now writable or not. */
void ft_map_set_writable(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va, int writable);
/* How task has frame mapped: 0 not at all, 1 read-only somewhere, 2 writable somewhere. */
int ft_mapped_by(const struct frame_table *ft, uint32_t frame, uint8_t task);
uint32_t ft_mapping_count(const struct frame_table *ft, uint32_t frame);
/* Whether task has frame mapped at va, and how: 0 no, 1 read-only, 2 writable. */
int ft_mapping_at(const struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va);
/* Take one mapping of frame off its list: 1 and where it was, or 0 if none is left. */
int ft_map_pop(struct frame_table *ft, uint32_t frame, uint8_t *task, uint32_t *va);

/* The first frame of [from, limit) that task holds (owns or has lent), or limit. */
uint32_t ft_next_of(const struct frame_table *ft, uint8_t task, uint32_t from, uint32_t limit);

/*
 * Task `task` ended (its mappings of frames it did not own already
 * removed).  It leaves the holders of each frame of [first, first + count):
 * a frame it owned loses every mapping (unmap is called for each, to undo
 * it in that task's space -- its own included) and goes back to its lender,
 * or to `root` if it has none left; a frame it had lent will go back past
 * it, to its own lender, so a reused id inherits nothing.  Returns the
 * mappings undone.  The whole table is [0, frames): the caller may go a
 * range at a time.
 */
uint32_t ft_task_ended(struct frame_table *ft, uint8_t task, uint8_t root, uint32_t first,
                       uint32_t count, void (*unmap)(uint8_t task, uint32_t va, void *arg), void *arg);

#endif
