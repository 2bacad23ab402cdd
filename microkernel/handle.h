/*
 * Handle tables: how a task names kernel objects (docs/ARCHITECTURE.md
 * section 8, docs/ABI.md section 2).
 *
 * A task's table has HANDLE_SLOTS slots; a handle number is the slot plus
 * the slot's generation (ipc/relay/ipc.h), so a number that outlived its
 * handle is recognised as stale; a slot whose 24-bit generation runs out is
 * retired rather than wrapped, so no number is ever issued twice.  Every handle made from another -- copied,
 * minted, given to another task, sent in a message -- is recorded as derived
 * from it, so that revoking a handle finds every copy made from it in any
 * task.  Deleting a handle hands its derived handles to its own parent, so
 * they stay revocable from above.
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
    uint32_t gen;                 /* the slot's generation, bits 8.. of the number */
    struct handle *parent;        /* derived from; NULL for an original */
    struct handle *child;         /* first handle derived from this one */
    struct handle *next, *prev;   /* siblings: derived from the same parent */
};

struct handle_table {
    struct handle slot[HANDLE_SLOTS];   /* slot 0 is never used */
    struct kobject *owner;              /* the task it belongs to (NULL for none) */
};

void handle_table_init(struct handle_table *t, struct kobject *owner);

/* The number naming a slot's current handle. */
relay_handle handle_number(const struct handle_table *t, const struct handle *h);

/*
 * Find the handle a number names, whether or not its object still lives:
 * ERR_BAD_HANDLE or ERR_STALE_HANDLE as below.
 */
enum relay_error handle_find(struct handle_table *t, relay_handle number, struct handle **out);

/*
 * Look a number up.  Errors, in this order: ERR_BAD_HANDLE (slot 0 or out
 * of range, or a generation the slot never had), ERR_STALE_HANDLE (the
 * handle was deleted; the slot may have been reused), ERR_DELETED (the
 * object is dead), ERR_WRONG_TYPE (unless type is KOBJ_NONE: any), and
 * ERR_NO_RIGHTS (any of `rights` missing).
 */
enum relay_error handle_lookup(struct handle_table *t, relay_handle number,
                               enum kobj_type type, uint32_t rights, struct handle **out);

/* Whether t has a free slot: a call that makes an object checks first, so
 * that running out of slots leaves nothing made (ERR_NO_SLOT). */
int handle_table_has_room(const struct handle_table *t);

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
