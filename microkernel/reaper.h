/*
 * The reaper: every teardown the kernel does on its own account -- a task's
 * handles, mappings and frames after it ends, a thread a fault doomed, an
 * object whose last reference went -- waits on one list and is done at
 * kernel exit, a bounded amount each time (REAPER_BUDGET units of work), so
 * that:
 *   - no operation is interrupted by a teardown it set off, and no object
 *     graph, however deep or cyclic, makes the kernel recurse: a teardown
 *     that drops references only queues more objects;
 *   - no kernel entry runs longer than a fixed amount of teardown, however
 *     large the task or long the chain; what is left goes on at the next
 *     exit (and in the idle loop).
 * Each object kind supplies the step that undoes it (task_reap_step ...),
 * which returns 1 when the object is done with and 0 when the budget ran
 * out first; it may be called again and again until it returns 1.
 */
#ifndef RELAY_REAPER_H
#define RELAY_REAPER_H

#include <stdint.h>
#include "kobject.h"

#define REAPER_BUDGET 256u          /* units of teardown work per kernel exit (~100 instructions each) */

/* Queue obj (if it is not queued already): it is dead, or must be undone. */
void reaper_add(struct kobject *obj);
/* Do up to budget units of the queued work. */
void reaper_run(uint32_t budget);
/* Objects queued: nonzero means work is waiting. */
extern unsigned reaper_queued;
/* The first queued object (then follow reap_next): for the invariant checker. */
struct kobject *reaper_first(void);

#endif
