/*
 * proc's clock: the driver manager's sense of time, for restart backoff.
 *
 * The kernel has no call that reads the time, but a wait with a timeout
 * lasts that many clock ticks (docs/ABI.md §1: a tick is 10 ms).  A thread
 * of proc's waits a tick at a time while the clock runs, adds it to the
 * count, and signals a bit on proc's notification, so proc's one recv
 * returns for it as for a program's end.  While it is stopped the count
 * stands still: time matters to the manager only while a driver waits to
 * restart or is in a run of restarts.
 */
#ifndef PROC_CLOCK_H
#define PROC_CLOCK_H

#include <stdint.h>
#include <relay/ipc.h>

/* Start the clock's thread (stopped); each tick it will signal bit on n. */
int clock_start(relay_handle factory, relay_handle n, uint32_t bit);
/* Ticks counted so far while it ran. */
uint32_t clock_now(void);
/* Run it (on) or stop it. */
void clock_run(int on);

#endif
