/*
 * Objects a suite makes for a test in its program's own factory, each
 * creation checked (CHECK_EQ: a failure is the test's): the IPC and
 * fast-path suites share them.
 */
#ifndef OBJECTS_H
#define OBJECTS_H

#include <relay/libos.h>

relay_handle new_endpoint(void);
relay_handle new_notification(void);
/* Start fn(arg) on a new thread of this task at priority. */
struct thread *start_thread(void (*fn)(void *), void *arg, uint32_t priority);

#endif
