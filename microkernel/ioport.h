/*
 * I/O-port capabilities.  An ioport object is a range of ports, made from
 * the I/O-control capability (the root task's at boot) in a factory's
 * memory; no two ranges that exist overlap.  A task may use a port with
 * in/out exactly while its handle table holds a handle to a range with
 * it: the handle tables tell (kobject_handle_entering/leaving), and the
 * task's I/O permission bitmap (arch/x86/iomap.h) follows.  So giving a
 * task a handle opens the ports to it, and deleting or revoking the handle
 * closes them at once; any other port stays #GP, forwarded as a fault.
 */
#ifndef RELAY_IOPORT_H
#define RELAY_IOPORT_H

#include <stdint.h>
#include "kobject.h"
#include "relay/error.h"

struct factory;
struct task;

struct ioport {
    struct kobject obj;
    uint32_t first, count;
};

/* A task's handles to one range: made in the task's factory with the first. */
struct io_grant {
    struct ioport *port;
    uint32_t handles;
    struct io_grant *next;
};

extern struct kobject io_control;

/* Ports [first, first + count) as an object made in f.  ERR_RANGE (empty,
 * or past port 0xFFFF), ERR_STATE (overlapping a range that exists),
 * ERR_NO_MEMORY. */
enum relay_error ioport_create(struct factory *f, uint32_t first, uint32_t count, struct ioport **out);
/* Its last handle went: its ports may be made a range again; free it. */
int ioport_reap_step(struct ioport *p, uint32_t *budget);

enum relay_error ioport_handle_entering(struct ioport *p, struct task *t);
void ioport_handle_leaving(struct ioport *p, struct task *t);

#endif
