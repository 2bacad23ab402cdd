/*
 * Where every exception lands after vectors.asm has built the trap frame.
 * Exceptions in ring 0 are either recovered (a trap such as int3 continues;
 * a fault with an extable fixup resumes there) or are kernel bugs and
 * panic.  An exception in ring 3 is forwarded to the thread's handler as a
 * message (fault.c).  (int 0x80 and the interrupts have their own entry
 * paths, to the system call's handler and to irq_dispatch.)
 */
#include "trap.h"
#include "extable.h"
#include "vector.h"
#include "kprintf.h"
#include "panic.h"
#include "cpu.h"
#include "fault.h"
#include "fpu.h"
#include "sched.h"
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
    kernel_trap.kernel_eflags = read_eflags();
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
 * An exception in ring 3 becomes a message to the thread's handler
 * (fault.c); #NM only says the thread wants its FPU state (fpu.c); NMI and
 * #MC are the machine's, not the thread's.
 */
static void user_exception(struct trap_frame *tf)
{
    if (tf->vector == VEC_NM)
        fpu_claim();
    else if (tf->vector == VEC_NMI || tf->vector == VEC_MC)
        panic_trap(tf, "machine exception while in ring 3");
    else
        fault_raise(tf);
}

/*
 * A ring-3 exception ends like a system call, in sched_exit; a ring-0
 * exception is part of the kernel operation it interrupted and goes
 * straight back to it.
 */
void trap_dispatch(struct trap_frame *tf)
{
    if (trap_frame_ring(tf) == 0) {
        kernel_exception(tf);
        return;
    }
    user_exception(tf);
    sched_exit();
}
