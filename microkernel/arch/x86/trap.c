/*
 * Where every vector lands after vectors.asm has built the trap frame.
 * Interrupts go to irq_dispatch; exceptions in ring 0 are either recovered
 * (a trap such as int3 continues; a fault with an extable fixup resumes
 * there) or are kernel bugs and panic.  (int 0x80 goes to syscall_dispatch
 * by its own entry path.)  An exception in ring 3 ends the task for now (forwarding it to a user handler
 * as a message arrives with the fault-forwarding work).
 */
#include "trap.h"
#include "extable.h"
#include "vector.h"
#include "irq.h"
#include "kprintf.h"
#include "panic.h"
#include "task.h"
#include "thread.h"

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

/*
 * An exception in ring 3.  Until faults are forwarded to user handlers, the
 * task ends, killed by the vector, and the kernel says so on the console.
 */
static void user_exception(struct trap_frame *tf)
{
    const struct vector_info *info = vector_info(tf->vector);
    char decoded[96];
    error_code_describe(tf->vector, tf->error_code, decoded, sizeof decoded);
    kprintf("relay: task %u thread %u killed by #%s %s at eip=%08x (error %s, cr2=%08x)\n",
            current->task->id, current->id, info->mnemonic, info->name, tf->eip, decoded, tf->cr2);
    task_end(current->task, TASK_KILLED, tf->vector);
}

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + IRQ_COUNT) {
        irq_dispatch(tf);
        return;
    }
    if (trap_frame_ring(tf) != 0) {
        user_exception(tf);
        return;
    }
    kernel_exception(tf);
}
