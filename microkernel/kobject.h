/*
 * What every kernel object shares: its type and how many references keep
 * it.  Handles are references; a live thread or task also holds one on
 * itself, so that it runs on when nobody holds a handle to it.  Objects live
 * in fixed pools (bounded kernel memory), so a pointer to one always points
 * at a valid object of that type.
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

enum kobj_type {
    KOBJ_NONE,
    KOBJ_TASK,
    KOBJ_THREAD,
    KOBJ_ENDPOINT,
    KOBJ_NOTIFICATION,
    KOBJ_FACTORY,
    KOBJ_SUPERVISOR,     /* the authority to say where fault notices go (fault.c) */
};

struct kobject {
    uint8_t type;        /* enum kobj_type; KOBJ_NONE: a free pool slot */
    uint8_t dead;        /* ended, or about to be: handles to it fail */
    uint8_t reaping;     /* on the reaper's list */
    uint16_t refs;       /* handles, plus one while a thread or task lives */
    uint16_t receivers;  /* of those handles, the ones with RIGHT_RECV */
    uint16_t own_refs;   /* of those handles, the ones in its home task's own table */
    struct kobject *home;        /* a task: itself; a thread: its task; else NULL */
    struct kobject *reap_next;   /* the reaper's list */
};

/* A live object of the type, with refs references and nothing else set. */
#define KOBJECT_INIT(kind, nrefs) ((struct kobject){ .type = (kind), .refs = (nrefs) })

/* Drop one reference; with the last, the object is dead and goes to the reaper. */
void kobject_put(struct kobject *obj);
/* The last handle with RIGHT_RECV went: nobody can ever receive from obj again
 * (rights only shrink), so whoever waits to send to it learns so. */
void kobject_unreceivable(struct kobject *obj);

#endif
