/*
 * The driver suite (tests/system/drivers/check boots it): a program that
 * proc names with control=drvtest.elf, so it holds "drivers", the driver
 * manager's control handle (ipc/relay/drivers.h), and a handle to each
 * driver's service.
 */
#ifndef DRVTEST_H
#define DRVTEST_H

#include <relay/libos.h>
#include <relay/drivers.h>
#include "../lib/objects.h"
#include "../lib/utest.h"
#include "../lib/roles.h"

/* sharer's one request: reply label ERR_NONE, carrying a copy of its "ports". */
#define SHARER_GIVE_PORTS 0x5A1u
#define SHARER_PORT       0x2EFu   /* in its range (0x2E8..0x2EF) */

struct driver_status {
    uint32_t state;               /* enum driver_state */
    uint32_t task;                /* the running instance's task id, or 0 */
    uint32_t restarts;
    uint32_t line;
};

/* Ask proc about the driver serving `service`: ERR_NONE, its error, or the call's. */
int driver_status(const char *service, struct driver_status *s);
/* Ask proc to kill it. */
int driver_kill(const char *service);
/* Wait until the driver's status satisfies done (checked every tick) or
 * ticks pass: ERR_NONE, ERR_TIMEOUT, or driver_status's error. */
int driver_wait(const char *service, int (*done)(const struct driver_status *), uint32_t ticks,
                struct driver_status *s);

#endif
