/*
 * Factories: kernel memory as an object (kmem.h holds the allocator).
 * The kernel funds the root factory at boot; every other factory is made
 * from one (factory_create) and holds only the frames tasks give it
 * (factory_give).  A factory dies with its last handle, and then the
 * reaper reclaims everything made from it, whatever still refers to it:
 *   1. each object made from it ends -- a task is ended
 *      (TASK_STATUS_RECLAIMED), and every handle to every such object, in
 *      any table, is deleted, so nothing can name it again;
 *   2. it waits, off the reaper's list, while the reaper takes those
 *      objects apart; each one's memory comes back to the factory as it
 *      goes (a factory made from it dies the same way, its own frames going
 *      back to its givers), and the last to go queues the factory again;
 *   3. its frames go back to the tasks that gave them (frames.c), and the
 *      factory itself to the factory that made it.
 * Objects that refer to each other in a cycle are reclaimed like any other.
 */
#ifndef RELAY_FACTORY_H
#define RELAY_FACTORY_H

#include "kmem.h"

enum factory_teardown {
    FACTORY_END_MADE,     /* ending what it made and deleting every handle to it */
    FACTORY_WAIT_MADE,    /* until all of it is freed */
    FACTORY_FRAMES,       /* its frames back to their givers, from its list of free pages */
};

/* The kernel's: funded at boot, never destroyed; the root task holds it. */
extern struct factory root_factory;

/* A new empty factory made from parent.  ERR_NO_MEMORY. */
enum relay_error factory_create(struct factory *parent, struct factory **out);
/* The reaper's step for a dead factory. */
int factory_reap_step(struct factory *f, uint32_t *budget);

#endif
