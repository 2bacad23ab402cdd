/*
 * Hardware interrupts (docs/ARCHITECTURE.md, "Devices").  IRQ 0 (the PIT)
 * is the kernel's; spurious IRQ 7 and 15 are recognised and counted.  Every
 * other line is an object, one per line, claimed from the IRQ-control
 * capability (the root task's at boot).
 *
 * A handle with RIGHT_CONTROL binds the line to a notification and bits.
 * When the line fires the kernel masks it, sends EOI and signals the
 * notification; the driver handles its device and acks through its handle,
 * which unmasks the line.  The binding hangs off the handle it was made
 * through: when that handle leaves its table (deleted, revoked from above,
 * its task gone) the line is unbound and masked at once, so nothing reaches
 * the driver afterwards.  A line not acked within its ack_ticks sends the
 * supervisor a notice naming the thread that bound it (fault.h).  A line
 * that fires while nothing is bound is masked again and counted.
 */
#ifndef RELAY_IRQ_H
#define RELAY_IRQ_H

#include <stdint.h>
#include "handle.h"
#include "kobject.h"
#include "arch/x86/trapframe.h"

#define IRQ_LINES 16

struct irq_line {
    struct kobject obj;          /* the kernel's own: claimed, then free again */
    uint8_t line;
    uint32_t bits;               /* what it signals */
    struct handle notify;        /* the notification (a handle the kernel keeps), or none */
    struct handle *via;          /* the handle it was bound through */
    uint32_t ack_ticks;          /* 0: no watchdog */
    uint32_t deadline;           /* while unacked with a watchdog: the tick of the notice */
    uint32_t task_id, thread_id; /* who bound it: the notice names them */
};

struct irq_stats {
    uint32_t spurious_master;    /* IRQ 7 with its in-service bit clear */
    uint32_t spurious_slave;     /* IRQ 15 likewise */
    uint32_t unclaimed;          /* a line fired with nothing bound to it */
};

extern struct irq_stats irq_stats;
extern struct irq_line irq_lines[IRQ_LINES];
extern struct kobject irq_control;
extern uint32_t irq_watched;     /* lines unacked with a watchdog running: bit n for line n */

void irq_dispatch(struct trap_frame *tf);

/* The line's object, if it may be claimed now (1, 3..15; not claimed):
 * ERR_RANGE, ERR_STATE. */
enum relay_error irq_claim(uint32_t line, uint32_t ack_ticks, struct irq_line **out);
/* Bind through handle via to the notification handle n (NULL: unbind). */
void irq_bind(struct irq_line *l, struct handle *via, struct handle *n, uint32_t bits);
/* ERR_STATE if nothing is bound. */
enum relay_error irq_ack(struct irq_line *l);
void irq_handle_leaving(struct irq_line *l, struct handle *h);
/* Its last handle went: free for a new claim. */
int irq_reap_step(struct irq_line *l, uint32_t *budget);
/* A clock tick with irq_watched set: notices for lines past their deadline. */
void irq_watchdog(uint32_t now);

#endif
