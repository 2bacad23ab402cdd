/* Hardware interrupt dispatch: see irq.h. */
#include "irq.h"
#include "sched.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"
#include "arch/x86/vector.h"

struct irq_stats irq_stats;

void irq_dispatch(struct trap_frame *tf)
{
    unsigned irq = tf->vector - IRQ_BASE;
    if ((irq == IRQ_SPURIOUS_MASTER || irq == IRQ_SPURIOUS_SLAVE) && pic_spurious(irq)) {
        if (irq == IRQ_SPURIOUS_MASTER)
            irq_stats.spurious_master++;
        else
            irq_stats.spurious_slave++;
        return;
    }
    if (irq == IRQ_PIT) {
        pit_tick();
        pic_eoi(irq);              /* before the tick may switch threads */
        sched_tick();
        return;
    }
    pic_mask(irq);
    irq_stats.unclaimed++;
    pic_eoi(irq);
}
