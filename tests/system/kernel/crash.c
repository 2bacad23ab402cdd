/*
 * Runs that must end the machine with a dump, each alone (ktest=NAME):
 * tools/qemu-test --expect-panic checks the dump and the panic exit status.
 */
#include "ktest.h"
#include "arch/x86/idt.h"
#include "arch/x86/vector.h"

TEST_ALONE(double_fault, "#DE through a not-present gate (#NP) is a double fault: #DF task dumps")
{
    uint64_t *gate = idt_gate(VEC_DE);
    *gate &= ~(1ull << 47);             /* clear the gate's present bit */
    asm volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" ::: "eax", "ecx", "edx", "memory");
}

/* Recursion with a frame too big to inline away; the depth bound is never reached. */
static uint32_t __attribute__((noinline)) recurse(uint32_t depth)
{
    volatile uint8_t pad[256];
    pad[0] = (uint8_t)depth;
    if (depth > 1000000)
        return 0;
    return recurse(depth + 1) + pad[0];
}

TEST_ALONE(kernel_stack_overflow, "running off the kernel stack hits the guard page: #DF task dumps")
{
    recurse(0);
}

TEST_ALONE(panic_dump, "an unhandled ring-0 page fault panics with a decoded dump")
{
    volatile uintptr_t unmapped = 0x10;   /* volatile: a real store, not undefined behaviour */
    *(volatile uint32_t *)unmapped = 1;
}
