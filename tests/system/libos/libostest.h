/*
 * libostest: libos checking itself inside QEMU (the test harness is
 * tests/system/lib/utest.h).  The root task starts it like any program:
 * a factory, memory, and its own image as images[0], so that it can start
 * copies of itself in other tasks to play a role (role=NAME).
 */
#ifndef LIBOSTEST_H
#define LIBOSTEST_H

#include <relay/libos.h>
#include "../lib/utest.h"

#define MAIN_PRIORITY 10u   /* what proc gives a program's main thread */

/* Start a copy of this program running "role=NAME args", with parent given to it
   and pages of memory; *exit_n (created here) is signalled when it ends. */
int spawn_role(const char *role_and_args, relay_handle parent, uint32_t pages,
               struct child *c, relay_handle *exit_n);
/* Wait for a role to end (up to ticks); its state, status in *status; releases it. */
uint32_t wait_role(struct child *c, relay_handle exit_n, uint32_t ticks, uint32_t *status);

#endif
