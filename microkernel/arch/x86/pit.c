/* PIT channel 0 in rate-generator mode: see pit.h. */
#include "pit.h"
#include "pic.h"
#include "cpu.h"

#define PIT_CH0      0x40
#define PIT_COMMAND  0x43
#define PIT_CH0_LOHI_RATE 0x34    /* channel 0, lobyte/hibyte, mode 2, binary */

static volatile uint32_t ticks;

void pit_init(void)
{
    uint32_t divisor = (PIT_INPUT_HZ + PIT_HZ / 2) / PIT_HZ;
    outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
    outb(PIT_CH0, divisor & 0xFF);
    outb(PIT_CH0, divisor >> 8);
    ticks = 0;
    pic_unmask(IRQ_PIT);
}

void pit_tick(void) { ticks++; }

uint32_t pit_ticks(void) { return ticks; }
