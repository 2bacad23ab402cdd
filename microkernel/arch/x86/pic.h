/* The two 8259 PICs, remapped so IRQ 0..15 arrive at vectors 32..47. */
#ifndef RELAY_PIC_H
#define RELAY_PIC_H

#include <stdbool.h>
#include "cpu.h"

#define MASTER_CMD   0x20
#define MASTER_DATA  0x21
#define SLAVE_CMD    0xA0
#define SLAVE_DATA   0xA1
#define OCW2_EOI     0x20

#define IRQ_PIT      0
#define IRQ_CASCADE  2    /* the slave PIC's line into the master */
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_SPURIOUS_SLAVE  15

void pic_init(void);            /* remap; every line masked until claimed */
void pic_unmask(unsigned irq);  /* claiming a slave line also unmasks the cascade */
extern unsigned pic_masks;      /* bit n set: IRQ n masked */

/* Inline: they are on the path from a device's interrupt to its driver. */
static inline void pic_mask(unsigned irq)
{
    pic_masks |= 1u << irq;
    if (irq < 8)                          /* only the chip whose mask changed */
        outb(MASTER_DATA, pic_masks & 0xFF);
    else
        outb(SLAVE_DATA, pic_masks >> 8);
}

/* End of interrupt: slave and master as needed. */
static inline void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(SLAVE_CMD, OCW2_EOI);
    outb(MASTER_CMD, OCW2_EOI);
}
unsigned pic_mask_bits(void);   /* both masks: bit n set = IRQ n masked */

/*
 * Whether IRQ 7 or 15 is spurious: the PIC raised it, but its in-service bit
 * is clear.  A spurious IRQ 7 needs no EOI; for a spurious IRQ 15 this sends
 * the master (which did see the cascade) its EOI, and the slave none.
 */
bool pic_spurious(unsigned irq);

#endif
