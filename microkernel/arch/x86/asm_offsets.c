/*
 * Constants nasm needs from C, with C as the single source.  The build
 * compiles this file to assembly and turns each marker into a `%define`
 * in build/gen/asm_offsets.inc (Linux's asm-offsets trick).
 */
#include <stddef.h>
#include "trapframe.h"
#include "memlayout.h"
#include "segments.h"
#include "cpu.h"
#include "paging.h"
#include "vector.h"
#include "relay/syscall.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %c0\"" : : "i"((long long)(val)))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(type, member))

void asm_offsets(void);
void asm_offsets(void)
{
    OFFSET(TF_CR2, struct trap_frame, cr2);
    OFFSET(TF_GS, struct trap_frame, gs);
    OFFSET(TF_DS, struct trap_frame, ds);
    OFFSET(TF_EDI, struct trap_frame, edi);
    OFFSET(TF_EAX, struct trap_frame, eax);
    OFFSET(TF_VECTOR, struct trap_frame, vector);
    OFFSET(TF_ERROR_CODE, struct trap_frame, error_code);
    OFFSET(TF_EIP, struct trap_frame, eip);
    OFFSET(TF_EFLAGS, struct trap_frame, eflags);
    DEFINE(EFLAGS_IF, EFLAGS_IF);
    DEFINE(TF_KERNEL_SIZE, TF_KERNEL_SIZE);

    DEFINE(VECTOR_COUNT, VECTOR_COUNT);
    DEFINE(SYSCALL_VECTOR, RELAY_SYSCALL_VECTOR);
    DEFINE(IRQ_BASE, IRQ_BASE);
    DEFINE(IRQ_COUNT, IRQ_COUNT);
    DEFINE(SYSCALL_TIMEOUT_SHIFT, SYSCALL_TIMEOUT_SHIFT);
    DEFINE(CR0_PE, CR0_PE);
    DEFINE(CR0_ET, CR0_ET);
    DEFINE(CR0_PG, CR0_PG);
    DEFINE(CR0_WP, CR0_WP);
    DEFINE(CR4_PSE, CR4_PSE);
    DEFINE(PDE_LARGE_RW, PTE_PRESENT | PTE_WRITABLE | PTE_LARGE);
    DEFINE(PD_SHIFT, PD_SHIFT);

    DEFINE(EFLAGS_KERNEL, EFLAGS_KERNEL);
    DEFINE(VEC_PF, VEC_PF);
    DEFINE(SEL_KERNEL_CODE, SEL_KERNEL_CODE);
    DEFINE(SEL_KERNEL_DATA, SEL_KERNEL_DATA);

    DEFINE(KERNBASE, KERNBASE);
    DEFINE(KERNEL_PHYS, KERNEL_PHYS);
    DEFINE(DIRECT_MAX, DIRECT_MAX);
    DEFINE(PAGE_SIZE, PAGE_SIZE);
    DEFINE(KSTACK_SIZE, KSTACK_SIZE);
}
