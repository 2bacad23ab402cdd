/*
 * Hardware interrupt dispatch.  IRQ 0 (the PIT) is the kernel's; spurious
 * IRQ 7 and 15 are recognised and counted.  Every other line stays masked
 * until a driver claims it (IRQ objects arrive with the driver issue); if an
 * unclaimed line fires anyway it is masked again and counted.
 */
#ifndef RELAY_IRQ_H
#define RELAY_IRQ_H

#include <stdint.h>
#include "arch/x86/trapframe.h"

struct irq_stats {
    uint32_t spurious_master;    /* IRQ 7 with its in-service bit clear */
    uint32_t spurious_slave;     /* IRQ 15 likewise */
    uint32_t unclaimed;          /* a masked-off line that fired anyway */
};

extern struct irq_stats irq_stats;

void irq_dispatch(struct trap_frame *tf);

#endif
