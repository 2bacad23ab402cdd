/*
 * What every kernel object shares: its type and how many references keep
 * it.  Handles are references; a live thread or task also holds one on
 * itself, so that it runs on when nobody holds a handle to it.  Each is
 * made in the memory of a factory (kmem.h), on whose list it stays until
 * it is freed; the factory's end ends it, whatever still refers to it.
 * Every handle to an object descends from one of its originals (handle.h),
 * which it lists, so that all of them can be found and deleted.
 *
 * An object is marked dead before anything is undone: a handle to a dead
 * object fails with ERR_DELETED (task_status alone still reads an ended
 * task).  Undoing it -- and freeing it when its last reference goes -- is
 * the reaper's work (reaper.h), never done inside another operation, so
 * no graph of objects can make the kernel recurse.
 */
#ifndef RELAY_KOBJECT_H
#define RELAY_KOBJECT_H

#include <stdint.h>
#include "list.h"
#include "relay/error.h"

enum kobj_type {
    KOBJ_NONE,
    KOBJ_TASK,
    KOBJ_THREAD,
    KOBJ_ENDPOINT,
    KOBJ_NOTIFICATION,
    KOBJ_FACTORY,
    KOBJ_SUPERVISOR,     /* the authority to say where fault notices go (fault.c) */
    KOBJ_IRQ_CONTROL,    /* the authority to claim IRQ lines (irq.c) */
    KOBJ_IO_CONTROL,     /* the authority to make I/O-port ranges (ioport.c) */
    KOBJ_IRQ,            /* an IRQ line (irq.c) */
    KOBJ_IOPORT,         /* a range of I/O ports (ioport.c) */
    KOBJ_TYPES,
};

struct factory;
struct handle;

struct kobject {
    uint8_t type;        /* enum kobj_type */
    uint8_t dead;        /* ended, or about to be: handles to it fail */
    uint8_t reaping;     /* on the reaper's list */
    uint8_t reclaimed;   /* its factory ended it and deleted its handles */
    uint32_t refs;       /* handles, plus one while a thread or task lives */
    uint32_t receivers;  /* of those handles, the ones with RIGHT_RECV */
    uint32_t own_refs;   /* of those handles, the ones in its home task's own table */
    struct kobject *home;        /* a task: itself; a thread: its task; else NULL */
    struct kobject *reap_next;   /* the reaper's list */
    struct factory *factory;     /* whose memory it is made in (NULL: the kernel's own) */
    struct list made_node;       /* on factory->made */
    struct list all_node;        /* on kobjects_all: every object there is */
    struct handle *handles;      /* its original handles (siblings through next/prev) */
    uint32_t held;               /* a task or factory: its places in frames' holders (frametable.h) */
    uint32_t held_lo, held_hi;   /* ... all in frames [held_lo, held_hi) (while held > 0) */
#ifdef RELAY_CHECK
    uint32_t want_refs, want_recv, want_own;   /* the invariant checker's counts */
#endif
};

/* Every object there is, and how many of each type. */
extern struct list kobjects_all;
extern uint32_t kobjects_in_use[KOBJ_TYPES];

/* A zeroed object of the type and size made in f's memory, with refs
 * references, or NULL (ERR_NO_MEMORY): f is dead or out of pages. */
void *kobject_new(struct factory *f, enum kobj_type type, uint32_t size, uint32_t refs);
/* Its memory back to its factory: nothing refers to it any more. */
void kobject_free(struct kobject *obj);

/* Handles to IRQs and port ranges mean something to the task whose table
 * holds them (a port range opens its ports to it; an IRQ is bound through
 * one): the handle tables tell of each that enters or leaves a task's
 * table.  Entering may be refused (ERR_NO_MEMORY), before anything changed. */
#define KOBJ_TRACKED(type) ((type) >= KOBJ_IRQ)
enum relay_error kobject_handle_entering(struct kobject *obj, struct kobject *task);
void kobject_handle_leaving(struct kobject *obj, struct handle *h, struct kobject *task);

/* Drop one reference; with the last, the object is dead and goes to the reaper. */
void kobject_put(struct kobject *obj);
/* The last handle with RIGHT_RECV went: nobody can ever receive from obj again
 * (rights only shrink), so whoever waits to send to it learns so. */
void kobject_unreceivable(struct kobject *obj);

#endif
