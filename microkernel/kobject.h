/*
 * What every kernel object shares: its type and how many references keep
 * it.  Handles are references; a live thread or task also holds one on
 * itself, so that it runs on when nobody holds a handle to it.  When the
 * count reaches zero the object is destroyed and its slot goes back to its
 * type's pool.  Objects live in fixed pools (bounded kernel memory), so a
 * pointer to one always points at a valid object of that type.
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
    uint8_t dead;        /* a task that ended, a thread that was killed */
    uint16_t refs;       /* handles, plus one while a thread or task lives */
    uint16_t receivers;  /* of those handles, the ones with RIGHT_RECV */
};

/* Drop one reference; the object is destroyed when none is left. */
void kobject_put(struct kobject *obj);
/* The last handle with RIGHT_RECV went: nobody can ever receive from obj again
 * (rights only shrink), so whoever waits to send to it learns so. */
void kobject_unreceivable(struct kobject *obj);

#endif
