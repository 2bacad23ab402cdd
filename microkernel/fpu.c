/* Lazy FPU switching: see fpu.h. */
#include "fpu.h"
#include "kstring.h"
#include "panic.h"
#include "arch/x86/cpu.h"

struct thread *fpu_owner;
int fpu_open;

#define FCW_DEFAULT   0x037Fu   /* FNINIT: every x87 exception masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1F80u   /* every SSE exception masked */

void fpu_boot(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (!(d & CPUID_EDX_FXSR) || !(d & CPUID_EDX_SSE))
        panic("this CPU lacks FXSR or SSE, which Relay needs for user FPU state");
    fpu_owner = 0;
    fpu_open = 0;
}

void fpu_init(struct thread *t)
{
    memset(t->fpu, 0, sizeof t->fpu);
    uint16_t fcw = FCW_DEFAULT;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(t->fpu + 0, &fcw, sizeof fcw);        /* FXSAVE layout: FCW at 0 */
    memcpy(t->fpu + 24, &mxcsr, sizeof mxcsr);   /* MXCSR at 24 */
}

void fpu_claim(void)
{
    asm volatile("clts" ::: "memory");
    fpu_open = 1;
    if (fpu_owner == current)
        return;
    if (fpu_owner)
        asm volatile("fxsave %0" : "=m"(fpu_owner->fpu));
    asm volatile("fxrstor %0" : : "m"(current->fpu));
    fpu_owner = current;
}

void fpu_forget(struct thread *t)
{
    if (fpu_owner == t)
        fpu_owner = 0;
}
