/*
 * Objects a suite makes for a test in its program's own factory, each
 * creation checked (CHECK_EQ: a failure is the test's), and the waits and
 * thread ends the suites build on them.
 */
#ifndef OBJECTS_H
#define OBJECTS_H

#include <relay/libos.h>

relay_handle new_endpoint(void);
relay_handle new_notification(void);
/* Start fn(arg) on a new thread of this task at priority. */
struct thread *start_thread(void (*fn)(void *), void *arg, uint32_t priority);
/* Kill (if need be) and release a thread started with start_thread (NULL: nothing). */
void stop_thread(struct thread *t);

/* A notification nobody signals, made on first use (HANDLE_NULL if it
 * could not be): a suite that counts its objects makes it first. */
relay_handle never_signalled(void);
/* Let `ticks` clock ticks pass (blocked, so lower priorities run). */
void sleep_ticks(uint32_t ticks);
/* Block the calling thread for good, without giving up a reply it owes,
 * as a recv would. */
__attribute__((noreturn)) void park(void);

#endif
