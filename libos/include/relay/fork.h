/*
 * What fork's child starts afresh (libos/process.c; relay/process.h).
 *
 * The child of fork runs on a copy of its parent's memory, so every
 * variable libos keeps is the parent's: handles that index the parent's
 * table, threads that do not exist here, the parent's frames.  fork's
 * child calls each module's hook below, in this order, before fork
 * returns 0 in it; si is the child's own startup page.  A hook writes a
 * variable only when its value changes, so that a child which needs
 * little costs few copy-on-write faults.
 */
#ifndef LIBOS_FORK_H
#define LIBOS_FORK_H

#include <relay/startup.h>

/* thread.c: the main thread's handle is si->self_thread (its UTCB is the
   parent's address); no other thread slot is in use. */
void thread_fork_child(const struct startup_info *si);
/* memory.c: the frame pool is si->memory[], all free. */
void memory_fork_child(const struct startup_info *si);
/* fault_serve.c: no fault or pager thread runs; the task's id is asked again. */
void fault_serve_fork_child(void);
/* heap.c: the pager handle is the startup handle "pager" (HANDLE_NULL if none). */
void heap_fork_child(void);
/* console.c: the startup handle "console" again, nothing written yet. */
void console_fork_child(void);
/* signal.c: if a signal has a handler (not SIG_DFL), a new handler thread
   with the same handlers, the main thread's faults going to it.  Its error. */
int signal_fork_child(void);

#endif
