/*
 * Handle tables: how a task names kernel objects (docs/ARCHITECTURE.md
 * section 8, docs/ABI.md section 2).
 *
 * A task's table grows to HANDLE_TABLE_SLOTS slots; a handle number is the
 * slot plus the slot's generation (ipc/relay/ipc.h), so a number that
 * outlived its handle is recognised as stale; a slot whose generation runs
 * out is retired rather than wrapped, so no number is ever issued twice.
 * Every handle made from another -- copied,
 * minted, given to another task, sent in a message -- is recorded as derived
 * from it, so that revoking a handle finds every copy made from it in any
 * task.  Deleting a handle hands its derived handles to its own parent, so
 * they stay revocable from above (or makes them originals).  An object
 * lists its originals, so every handle to it can be found (kobject.h).
 *
 * Deleting and revoking are done a budget at a time (handle_delete_step,
 * handle_revoke_step), so a system call can stop after a fixed amount of
 * work and be restarted where it left off: the tree is consistent after
 * every step.  A revoke deletes the children of its handle, the grandchildren
 * moving up as their parents go: every handle moves at most once and is
 * deleted once, so a revoke is linear in what it deletes, however deep the
 * tree (a chain of 10,000 is 10,000 deletions and 10,000 moves).
 *
 * Pure: the tables never call into the rest of the kernel except through
 * kobject_put when a reference goes away (tests/host/test_handle.c).
 */
#ifndef RELAY_HANDLE_H
#define RELAY_HANDLE_H

#include <stdint.h>
#include "kobject.h"
#include "relay/error.h"
#include "relay/ipc.h"

struct handle {
    struct kobject *obj;          /* NULL: the slot is free */
    uint32_t badge;
    uint8_t rights;               /* RIGHT_* */
    uint8_t badged;               /* minted: the badge can no longer change */
    uint8_t own;                  /* in the table of obj's home task (counted in obj->own_refs) */
    uint32_t number;              /* its number: the slot, and the generation above it */
    struct handle *parent;        /* derived from; NULL for an original */
    struct handle *child;         /* first handle derived from this one */
    struct handle *next, *prev;   /* siblings: derived from the same parent, or
                                     originals of the same object; a free slot: the free list */
};

/*
 * A table grows a page of handles at a time, paid for by its task's factory
 * (handle_page_alloc); a directory page points at the pages.  The first
 * slot of every page is its header, never issued (slot 0 among them): it
 * names the table, so a deleted handle finds its way back to the free list.
 */
#define HANDLE_PAGE_BYTES   4096u
#define HANDLES_PER_PAGE    (HANDLE_PAGE_BYTES / sizeof(struct handle))
#define HANDLE_DIR_ENTRIES  (HANDLE_PAGE_BYTES / sizeof(struct handle *))
#define HANDLE_TABLE_SLOTS  (HANDLE_DIR_ENTRIES * HANDLES_PER_PAGE < HANDLE_SLOTS \
                             ? HANDLE_DIR_ENTRIES * HANDLES_PER_PAGE : HANDLE_SLOTS)

struct handle_table {
    struct handle **dir;                /* pages of handles; where there is none yet, a
                                           page of empty slots (so any slot can be read) */
    uint32_t slots;                     /* slots [0, slots) exist */
    struct handle *free;                /* free slots, through next */
    struct kobject *owner;              /* the task it belongs to (NULL for none) */
};

/* Where a table's pages come from and go back to (the kernel: the owning
 * task's factory; the host tests: their own).  Zeroed; NULL when none is left. */
void *handle_page_alloc(struct handle_table *t);
void handle_page_free(struct handle_table *t, void *page);

void handle_table_init(struct handle_table *t, struct kobject *owner);
/* Whether t has no pages yet. */
int handle_table_empty(const struct handle_table *t);
/* Give back every page (every handle must be deleted), as the budget
 * allows: 1 once all are back. */
int handle_table_release(struct handle_table *t, uint32_t *budget);

/* Slot i of the table: for i < t->slots a handle (or a header, if
 * i % HANDLES_PER_PAGE is 0), past it an empty slot no number matches. */
static inline struct handle *handle_slot(const struct handle_table *t, uint32_t i)
{
    return (struct handle *)t->dir[i / HANDLES_PER_PAGE] + i % HANDLES_PER_PAGE;
}

/* The number naming a slot's current handle. */
static inline relay_handle handle_number(const struct handle_table *t, const struct handle *h)
{
    (void)t;
    return h->number;
}

/*
 * Find the handle a number names, whether or not its object still lives:
 * ERR_BAD_HANDLE or ERR_STALE_HANDLE as below.
 */
static inline enum relay_error handle_find(struct handle_table *t, relay_handle number, struct handle **out)
{
    uint32_t index = HANDLE_SLOT(number), gen = HANDLE_GEN(number);
    if (index % HANDLES_PER_PAGE == 0 || gen == 0 || index >= t->slots)
        return ERR_BAD_HANDLE;
    struct handle *h = handle_slot(t, index);
    if (gen > HANDLE_GEN(h->number))
        return ERR_BAD_HANDLE;                 /* this slot never had that handle */
    if (gen < HANDLE_GEN(h->number) || !h->obj)
        return ERR_STALE_HANDLE;
    *out = h;
    return ERR_NONE;
}


/*
 * Look a number up.  Errors, in this order: ERR_BAD_HANDLE (slot 0 or out
 * of range, or a generation the slot never had), ERR_STALE_HANDLE (the
 * handle was deleted; the slot may have been reused), ERR_DELETED (the
 * object is dead), ERR_WRONG_TYPE (unless type is KOBJ_NONE: any), and
 * ERR_NO_RIGHTS (any of `rights` missing).
 */
static inline enum relay_error handle_lookup(struct handle_table *t, relay_handle number,
                               enum kobj_type type, uint32_t rights, struct handle **out)
{
    struct handle *h;
    enum relay_error err = handle_find(t, number, &h);
    if (err != ERR_NONE)
        return err;
    if (h->obj->dead)
        return ERR_DELETED;
    if (type != KOBJ_NONE && h->obj->type != type)
        return ERR_WRONG_TYPE;
    if ((h->rights & rights) != rights)
        return ERR_NO_RIGHTS;
    *out = h;
    return ERR_NONE;
}


/* Make sure t has a free slot, growing it by a page if need be: a call
 * that makes an object asks first, so that running out leaves nothing made.
 * ERR_NO_SLOT (HANDLE_TABLE_SLOTS in use), ERR_NO_MEMORY (no page to grow by). */
enum relay_error handle_table_reserve(struct handle_table *t);

/* A new original handle to obj in t (a reference is taken). */
enum relay_error handle_create(struct handle_table *t, struct kobject *obj, uint32_t rights,
                               struct handle **out);

/*
 * A handle derived from src, in table t (src's own or another's), with
 * rights src->rights & rights.  With `mint`, it gets `badge` -- refused with
 * ERR_INVALID if src is already badged.  ERR_NO_SLOT if t is full.
 */
enum relay_error handle_derive(struct handle_table *t, struct handle *src, uint32_t rights,
                               int mint, uint32_t badge, struct handle **out);

/*
 * A handle derived from src kept by the kernel in `slot`, outside any table
 * (a thread's fault handlers, the supervisor): revocable like any other.
 * Whatever slot held before is deleted; placing a handle onto itself does nothing.
 */
void handle_place(struct handle *slot, struct handle *src, uint32_t rights);

/*
 * Delete one handle: its derived handles move up to its parent, up to
 * *budget of them (each costs a unit), then h itself goes (a unit).
 * Returns 1 once h is deleted, 0 if the budget ran out first (h keeps the
 * children it has left; call again to go on).
 */
int handle_delete_step(struct handle *h, uint32_t *budget);

/* Delete every handle derived from h, transitively, in any table, as the
 * budget allows; h stays.  1 once none is left. */
int handle_revoke_step(struct handle *h, uint32_t *budget);

/* Delete a handle whatever its children cost (the kernel's own handles, which have none). */
void handle_delete(struct handle *h);

#endif
