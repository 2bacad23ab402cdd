/*
 * The 8253/8254 PIT, channel 0, drives IRQ 0: the kernel's clock and, from
 * the scheduler on, preemption.  It ticks PIT_HZ times a second.
 */
#ifndef RELAY_PIT_H
#define RELAY_PIT_H

#include <stdint.h>

#define PIT_HZ        100u        /* one tick every 10 ms */
#define PIT_INPUT_HZ  1193182u    /* the PIT's input clock */

void pit_init(void);
void pit_tick(void);              /* called on IRQ 0 */
uint32_t pit_ticks(void);         /* ticks since pit_init */

#endif
