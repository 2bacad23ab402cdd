/*
 * The driver manager's control protocol (docs/DRIVERS.md, "The driver
 * manager").
 *
 * proc starts the drivers and restarts them when they die.  A program that
 * proc's command line names with control=NAME is given a handle "drivers"
 * (RIGHT_SEND, badged) to proc's endpoint, on which it may call:
 *
 *   LABEL_DRIVER_STATUS   words 0..2: a service's name ("disk"), NUL-padded
 *                         reply w0: ERR_NONE, or ERR_INVALID (no driver serves
 *                         that name; a name of STARTUP_HANDLE_NAME bytes
 *                         without a NUL is never one)
 *                         w1: enum driver_state, w2: the running instance's
 *                         task id (0 unless DRIVER_RUNNING), w3: restarts
 *                         so far, w4: its IRQ line
 *   LABEL_DRIVER_KILL     words 0..2: a service's name
 *                         reply w0: ERR_NONE (the driver was killed and is
 *                         handled as after any death: its devices revoked,
 *                         restarted after its backoff, or given up on),
 *                         ERR_INVALID (no such driver), ERR_STATE (it is not
 *                         running: waiting to restart, or given up on)
 *
 * Any other label gets w0 = ERR_INVALID.  A reply's label is the request's.
 */
#ifndef RELAY_DRIVERS_H
#define RELAY_DRIVERS_H

#include <stdint.h>
#include "startup.h"

#define LABEL_DRIVER_STATUS 0xD0001u
#define LABEL_DRIVER_KILL   0xD0002u

#define DRIVER_NAME_WORDS (STARTUP_HANDLE_NAME / 4)   /* a service's name, packed */
_Static_assert(STARTUP_HANDLE_NAME % 4 == 0, "a name fills whole words");

enum driver_state {
    DRIVER_RUNNING = 1,     /* an instance runs */
    DRIVER_WAITING,         /* dead; restarts when its backoff has passed */
    DRIVER_GAVE_UP,         /* died too often: not restarted; its service is closed */
};

#endif
