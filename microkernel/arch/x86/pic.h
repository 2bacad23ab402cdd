/* The two 8259 PICs, remapped so IRQ 0..15 arrive at vectors 32..47. */
#ifndef RELAY_PIC_H
#define RELAY_PIC_H

#include <stdbool.h>

#define IRQ_PIT      0
#define IRQ_CASCADE  2    /* the slave PIC's line into the master */
#define IRQ_SPURIOUS_MASTER 7
#define IRQ_SPURIOUS_SLAVE  15

void pic_init(void);            /* remap; every line masked until claimed */
void pic_unmask(unsigned irq);  /* claiming a slave line also unmasks the cascade */
void pic_mask(unsigned irq);
void pic_eoi(unsigned irq);     /* end of interrupt: slave and master as needed */
unsigned pic_mask_bits(void);   /* both masks: bit n set = IRQ n masked */

/*
 * Whether IRQ 7 or 15 is spurious: the PIC raised it, but its in-service bit
 * is clear.  A spurious IRQ 7 needs no EOI; for a spurious IRQ 15 this sends
 * the master (which did see the cascade) its EOI, and the slave none.
 */
bool pic_spurious(unsigned irq);

#endif
