/*
 * Where every vector lands after vectors.asm has built the trap frame.
 * Interrupts go to irq_dispatch; exceptions in ring 0 are either recovered
 * (a trap such as int3 continues; a fault with an extable fixup resumes
 * there) or are kernel bugs and panic.  No code runs in ring 3 yet, so an
 * exception from ring 3 cannot happen; if one does it is a kernel bug too
 * (forwarding it as a message arrives with the fault-forwarding issue).
 */
#include "trap.h"
#include "extable.h"
#include "vector.h"
#include "irq.h"
#include "panic.h"

struct kernel_trap_record kernel_trap;

extern const struct extable_entry __extable_start[], __extable_end[];

uint32_t extable_fixup(uint32_t eip)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++)
        if (e->fault_eip == eip)
            return e->fixup_eip;
    return 0;
}

static void record(const struct trap_frame *tf)
{
    kernel_trap.vector = tf->vector;
    kernel_trap.error_code = tf->error_code;
    kernel_trap.cr2 = tf->cr2;
    kernel_trap.eip = tf->eip;
    kernel_trap.count++;
}

static void kernel_exception(struct trap_frame *tf)
{
    const struct vector_info *info = vector_info(tf->vector);
    if (info->class == TRAP && tf->vector != VEC_DB) {
        record(tf);
        return;
    }
    uint32_t fixup = info->class == FAULT ? extable_fixup(tf->eip) : 0;
    if (fixup) {
        record(tf);
        tf->eip = fixup;
        return;
    }
    panic_trap(tf, "unhandled exception in ring 0");
}

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + IRQ_COUNT) {
        irq_dispatch(tf);
        return;
    }
    if (trap_frame_ring(tf) != 0)
        panic_trap(tf, "exception from ring 3, and no user code exists yet");
    kernel_exception(tf);
}
