/* The control and debug registers: see cpu.h.  Nothing is inherited from the loader. */
#include "cpu.h"

uint32_t cpu_cr4;

static uint32_t wanted_cr4(void)
{
    uint32_t a, b, c, d, max;
    uint32_t cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PSE;   /* PSE: the direct map's 4 MiB pages */
    cpuid(0, &max, &b, &c, &d);
    cpuid(1, &a, &b, &c, &d);
    if (d & CPUID_EDX_PGE)
        cr4 |= CR4_PGE;
    if (max >= 7) {
        cpuid(7, &a, &b, &c, &d);
        if (b & CPUID7_EBX_SMEP)
            cr4 |= CR4_SMEP;
        if (c & CPUID7_ECX_UMIP)
            cr4 |= CR4_UMIP;
    }
    return cr4;
}

/* No sysenter, no syscall: the kernel's one gate is int 0x80. */
static void shut_fast_entries(void)
{
    uint32_t a, b, c, d, ext;
    cpuid(1, &a, &b, &c, &d);
    if (d & CPUID_EDX_SEP) {
        wrmsr(MSR_SYSENTER_CS, 0);
        wrmsr(MSR_SYSENTER_ESP, 0);
        wrmsr(MSR_SYSENTER_EIP, 0);
    }
    cpuid(0x80000000u, &ext, &b, &c, &d);
    if (ext < 0x80000001u)
        return;
    cpuid(0x80000001u, &a, &b, &c, &d);
    if (d & (CPUID_EXT_EDX_SYSCALL | CPUID_EXT_EDX_NX | CPUID_EXT_EDX_LM))   /* EFER exists */
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(uint64_t)EFER_SCE);
}

void cpu_init(void)
{
    write_cr0(CR0_KERNEL | CR0_TS);        /* TS: the first FPU use raises #NM (fpu.c) */
    cpu_cr4 = wanted_cr4();
    write_cr4(cpu_cr4);
    uint32_t zero = 0;
    asm volatile("mov %0, %%dr7\n\t"
                 "mov %0, %%dr0\n\t"
                 "mov %0, %%dr1\n\t"
                 "mov %0, %%dr2\n\t"
                 "mov %0, %%dr3\n\t"
                 "mov %1, %%dr6" : : "r"(zero), "r"(0xFFFF0FF0u));
    shut_fast_entries();
}
