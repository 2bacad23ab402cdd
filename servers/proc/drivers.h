/*
 * proc's driver manager (docs/DRIVERS.md, "The driver manager"): Minix 3's
 * reincarnation server, done with capabilities.
 *
 * For each image that is a driver (drivertable.h) it claims the IRQ line,
 * makes the I/O-port objects and the service endpoint, once, and keeps them;
 * each instance of the driver gets copies derived from them ("irq", "ports",
 * "ports2", "serve", and "console" for the keyboard), so revoking the
 * originals takes the devices away from it at once.  When an instance dies
 * -- it ends, a thread of it faults, it leaves its interrupt unacknowledged
 * past the ack watchdog, or a control program asks -- the manager revokes
 * its devices, releases it and starts a fresh one after a backoff, or gives
 * the driver up (and closes its service) when it has died too often in a
 * row.  Ordinary programs get badged send handles to the services by name.
 */
#ifndef PROC_DRIVERS_H
#define PROC_DRIVERS_H

#include <stdint.h>
#include <relay/libos.h>
#include "process.h"

#define DRIVER_CLOCK_BIT 31u      /* proc's exit notification: the clock ticked */
_Static_assert(PROCESS_BITS <= DRIVER_CLOCK_BIT, "processes' exit bits lie below the clock's");

/* Read ack=, restarts= and driver= from proc's argv; 0 (and a line printed) if one is bad. */
int drivers_configure(int argc, char **argv);

/* proc's own handle to a service's endpoint (RIGHT_SEND among others), or
 * HANDLE_NULL if no driver serves it. */
relay_handle drivers_service(const char *service);

/* Whether image i is a driver (after drivers_configure). */
int drivers_is_driver(const struct startup_info *si, uint32_t image);

/* Claim, make and start every driver among the images, each instance a
 * process (ppid 0) whose end signals its pid's bit of exits; ep is proc's
 * endpoint, an announcing server's "parent".  0 if one could not be started. */
int drivers_start(const struct startup_info *si, relay_handle exits, relay_handle ep);

/* Badged send handles (RIGHT_SEND | RIGHT_GRANT) to the services not given
 * up on, named by service, for an ordinary program: "console" alone if
 * console, else every other; into h[0..max); returns how many.
 * drivers_given_back deletes proc's copies once spawn gave them. */
uint32_t drivers_give(uint32_t badge, int console, struct spawn_handle *h, uint32_t max);
void drivers_given_back(struct spawn_handle *h, uint32_t n);

/* Exit bits: take down each driver instance whose bit is there and whose task ended. */
void drivers_exited(uint32_t bits);
/* Whether pid is a running server that announces its endpoint (the pager),
 * and whether one runs at all. */
int drivers_announcer(uint32_t pid);
int drivers_announcing(void);
/* The clock ticked: start those whose backoff has passed. */
void drivers_tick(void);
/* A fault notice (printed already) or an IRQ watchdog notice: 1 if it named a driver. */
int drivers_notice(const struct fault_record *r);
/* A control request (ipc/relay/drivers.h) from program `who`; *m becomes the reply. */
void drivers_control(struct msg *m, const char *who);

/* The driver one of whose instances had this task id, or NULL. */
const char *drivers_name_of(uint32_t task_id);

#endif
