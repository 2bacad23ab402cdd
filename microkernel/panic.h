/*
 * Kernel panics: a kernel bug, never something user space did.  The dump
 * names the vector and its class, decodes the error code, shows CR2 and every
 * register, and walks the frame pointers with symbol names; then the machine
 * stops with RELAY_EXIT_PANIC (QEMU exits; real hardware halts).
 */
#ifndef RELAY_PANIC_H
#define RELAY_PANIC_H

#include <stdint.h>
#include "arch/x86/trapframe.h"

/* The interrupted context, from a trap frame or from a TSS. */
struct cpu_snapshot {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint32_t eip, eflags;
    uint32_t cs, ds, es, fs, gs, ss;
    uint32_t cr0, cr2, cr3, cr4;
};

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void panic_trap(const struct trap_frame *tf, const char *why);

/* Print the full dump of an exception (used by panic_trap and the #DF task). */
void dump_exception(unsigned vector, uint32_t error_code, const struct cpu_snapshot *s);
void backtrace(uint32_t eip, uint32_t ebp);

/* Stop the machine: QEMU's isa-debug-exit with code, then halt forever. */
_Noreturn void machine_exit(uint8_t code);

#endif
