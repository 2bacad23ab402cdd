/*
 * The frame table: for each physical frame of RAM, which task owns it, which
 * task gave it to that owner, and -- bounded -- where it is mapped (the
 * reverse map).  Pure bookkeeping: memory.c puts it to work on real address
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

struct frame_table {
    uint32_t frames;         /* frames tracked: [0, frames) */
    uint8_t *owner;          /* per frame: the owner's id */
    uint8_t *lender;         /* per frame: who gave it to the owner, or FT_NO_TASK */
    uint16_t *head;          /* per frame: its first reverse-map entry, or 0 */
    struct ft_rmap *rmap;    /* rmap_max + 1 entries; entry 0 is never used */
    uint32_t rmap_max;       /* at most 65535 */
    uint16_t free;           /* the free entries, through .next */
    uint32_t used;
};

/* Storage is the caller's; every frame starts with no owner and no mapping. */
void ft_init(struct frame_table *ft, uint32_t frames, uint8_t *owner, uint8_t *lender,
             uint16_t *head, struct ft_rmap *rmap, uint32_t rmap_max);

/* Untracked frames (frame >= frames) have no owner and no mappings. */
uint8_t ft_owner(const struct frame_table *ft, uint32_t frame);
void ft_set_owner(struct frame_table *ft, uint32_t first, uint32_t count, uint8_t task);
/* All of [first, first+count) from `from` to `to`, or nothing: ERR_NOT_OWNER.
 * Giving to oneself checks ownership and changes nothing (not even the lender). */
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

/* The first frame of [from, limit) that task owns or has lent, or limit. */
uint32_t ft_next_of(const struct frame_table *ft, uint8_t task, uint32_t from, uint32_t limit);

/*
 * Task `task` ended (its mappings of frames it did not own already
 * removed).  Each frame of [first, first + count) it owned loses every
 * mapping (unmap is called for each, to undo it in that task's space -- its
 * own included) and goes back to its lender, or to `root` (never to `task`
 * itself); frames it had lent to others will go to `root` in turn, so a
 * reused id inherits nothing.  Returns the mappings undone.  The whole
 * table is [0, frames): the caller may go a range at a time.
 */
uint32_t ft_task_ended(struct frame_table *ft, uint8_t task, uint8_t root, uint32_t first,
                       uint32_t count, void (*unmap)(uint8_t task, uint32_t va, void *arg), void *arg);

#endif
