/* The C side of the trap path: every vector arrives in trap_dispatch(). */
#ifndef RELAY_TRAP_H
#define RELAY_TRAP_H

#include <stdint.h>
#include "trapframe.h"

void trap_dispatch(struct trap_frame *tf);

/*
 * The last exception ring 0 recovered from: a trap (int3, into), which goes on
 * at the next instruction, or a fault at an instruction with an extable
 * fixup.  Kept for the self-tests and for the user-copy helpers' callers.
 */
struct kernel_trap_record {
    uint32_t vector, error_code, cr2;
    uint32_t eip;        /* as the CPU reported it: faulting or next instruction */
    uint32_t count;      /* recovered so far */
    uint32_t kernel_eflags;   /* EFLAGS as the kernel ran with while handling it */
};

extern struct kernel_trap_record kernel_trap;

#endif
