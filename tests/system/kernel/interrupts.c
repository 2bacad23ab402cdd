/* The PIC and the PIT: ticks arrive, lines stay masked, spurious IRQs are recognised. */
#include "ktest.h"
#include "irq.h"
#include "arch/x86/cpu.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"

/* Halt with interrupts on until n more ticks have come; returns how many did. */
static uint32_t wait_ticks(uint32_t n)
{
    uint32_t start = pit_ticks();
    while (pit_ticks() - start < n)
        sti_hlt();
    cli();
    return pit_ticks() - start;
}

TEST(pit_ticks, "the PIT interrupts the halted CPU and the kernel counts its ticks")
{
    CHECK(wait_ticks(5) >= 5);
}

TEST(pic_masks, "only IRQ 0 is unmasked: every other line waits to be claimed")
{
    CHECK_EQ(pic_mask_bits(), 0xFFFFu & ~(1u << IRQ_PIT));
}

TEST(spurious_irq7, "an injected IRQ 7 with no in-service bit is spurious: counted, no EOI")
{
    struct irq_stats before = irq_stats;
    asm volatile("int $0x27" ::: "memory");
    CHECK_EQ(irq_stats.spurious_master, before.spurious_master + 1);
    CHECK_EQ(irq_stats.unclaimed, before.unclaimed);
    CHECK_EQ(pic_mask_bits(), 0xFFFFu & ~(1u << IRQ_PIT));
    CHECK(wait_ticks(2) >= 2);          /* the master PIC still delivers */
}

TEST(spurious_irq15, "an injected IRQ 15 with no in-service bit is spurious; ticks go on")
{
    struct irq_stats before = irq_stats;
    asm volatile("int $0x2f" ::: "memory");
    CHECK_EQ(irq_stats.spurious_slave, before.spurious_slave + 1);
    CHECK_EQ(irq_stats.unclaimed, before.unclaimed);
    CHECK(wait_ticks(2) >= 2);
}
