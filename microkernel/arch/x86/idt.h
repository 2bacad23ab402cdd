/* The IDT: 256 gates onto the stubs of vectors.asm, and a task gate for #DF. */
#ifndef RELAY_IDT_H
#define RELAY_IDT_H

#include <stdint.h>

void idt_init(void);
uint64_t *idt_gate(unsigned vector);   /* for the self-tests that break a gate on purpose */

#endif
