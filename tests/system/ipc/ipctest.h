/*
 * The IPC suite's shared helpers.  The suite runs as an ordinary program
 * started by the root task with a factory, memory, and its own image, so it
 * can start copies of itself (roles) in other tasks.
 */
#ifndef IPCTEST_H
#define IPCTEST_H

#include <relay/libos.h>
#include "../lib/objects.h"
#include "../lib/roles.h"
#include "../lib/utest.h"

/* Labels of the suite's own small protocols. */
enum {
    LABEL_HELLO = 1,      /* a role's first call: carries its endpoint */
    LABEL_PING,
    LABEL_PONG,
    LABEL_ECHO,           /* call: reply with w0 + 1 */
    LABEL_QUIT,
    LABEL_REQUEST,
};

#define MAIN_PRIORITY 10u   /* what proc gives a program's main thread */

relay_handle factory(void);
relay_handle self_task(void);

/* Roles in other tasks (../lib/roles.h), each given 64 frames. */
#define spawn_role(role, parent, priority, c, exit_n) \
    role_spawn((role), (parent), (priority), 64, (c), (exit_n))
#define wait_role role_wait


#endif
