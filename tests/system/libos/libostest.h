/*
 * libostest: libos checking itself inside QEMU (the test harness is
 * tests/system/lib/utest.h).  The root task starts it like any program:
 * a factory, memory, and its own image as images[0], so that it can start
 * copies of itself in other tasks to play a role (role=NAME).
 */
#ifndef LIBOSTEST_H
#define LIBOSTEST_H

#include <relay/libos.h>
#include "../lib/roles.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY 10u   /* what proc gives a program's main thread */

/* Roles in other tasks (../lib/roles.h), at the main thread's priority. */
#define spawn_role(role, parent, pages, c, exit_n) \
    role_spawn((role), (parent), MAIN_PRIORITY, (pages), (c), (exit_n))
#define wait_role role_wait

#endif
