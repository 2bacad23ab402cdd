/* Thin wrappers for x86 instructions the kernel needs from C. */
#ifndef RELAY_CPU_H
#define RELAY_CPU_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void io_wait(void) { outb(0x80, 0); }   /* a write to an unused port: ~1 us */

static inline uint32_t read_cr0(void) { uint32_t v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void) { uint32_t v; asm volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr4(void) { uint32_t v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { asm volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { asm volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { asm volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

/* The index of the first non-zero of the count words at w, or count: one
 * `repe scasd` step a word (passing over empty page-table entries). */
static inline uint32_t first_nonzero_word(const uint32_t *w, uint32_t count)
{
    uint32_t left = count;
    const uint32_t *p = w;
    if (!left)
        return 0;
    asm volatile("repe scasl" : "+D"(p), "+c"(left) : "a"(0) : "cc", "memory");
    /* stopped one word past the first non-zero one, or at the end with all zero */
    return p[-1] ? (uint32_t)(p - w) - 1 : count;
}

static inline uint32_t read_eflags(void) { uint32_t v; asm volatile("pushf; pop %0" : "=r"(v)); return v; }
static inline uint32_t read_ebp(void) { uint32_t v; asm volatile("mov %%ebp, %0" : "=r"(v)); return v; }

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }
/* Enable interrupts and halt until one arrives, atomically (sti shadows hlt). */
static inline void sti_hlt(void) { asm volatile("sti; hlt" ::: "memory"); }
static inline void invlpg(uint32_t va) { asm volatile("invlpg (%0)" : : "r"(va) : "memory"); }

#define CR0_PE   (1u << 0)    /* protected mode */
#define CR0_MP   (1u << 1)    /* wait/fwait honour TS */
#define CR0_EM   (1u << 2)    /* no FPU: x87 instructions trap */
#define CR0_TS   (1u << 3)    /* task switched: the next FPU instruction raises #NM */
#define CR0_ET   (1u << 4)    /* hard-wired 1 since the 486 */
#define CR0_NE   (1u << 5)    /* x87 errors raise #MF, not an IRQ */
#define CR0_WP   (1u << 16)   /* ring 0 honours read-only pages */
#define CR0_AM   (1u << 18)   /* EFLAGS.AC in ring 3 enables alignment checks */
#define CR0_PG   (1u << 31)
/* What CR0 holds once cpu_init has run, but for TS, which fpu.c switches. */
#define CR0_KERNEL (CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_AM | CR0_PG)

#define CR4_PSE  (1u << 4)    /* 4 MiB pages: boot.asm's, and the direct map's */
#define CR4_PGE  (1u << 7)
#define CR4_OSFXSR     (1u << 9)    /* FXSAVE/FXRSTOR and SSE */
#define CR4_OSXMMEXCPT (1u << 10)   /* SSE errors raise #XM */
#define CR4_UMIP (1u << 11)   /* sgdt, sidt, sldt, smsw, str are ring 0 only */
#define CR4_SMEP (1u << 20)   /* ring 0 never runs code from a user page */
#define CPUID_EDX_FXSR (1u << 24)
#define CPUID_EDX_SSE  (1u << 25)
#define CPUID_EDX_PGE  (1u << 13)
#define CPUID_EDX_SEP  (1u << 11)   /* sysenter/sysexit and their MSRs */
#define CPUID_EXT_EDX_SYSCALL (1u << 11)   /* leaf 0x80000001: syscall/sysret, EFER.SCE */
#define CPUID_EXT_EDX_NX      (1u << 20)
#define CPUID_EXT_EDX_LM      (1u << 29)
#define MSR_SYSENTER_CS  0x174u
#define MSR_SYSENTER_ESP 0x175u
#define MSR_SYSENTER_EIP 0x176u
#define MSR_EFER         0xC0000080u
#define EFER_SCE         (1u << 0)  /* syscall/sysret enabled */
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_ECX_UMIP (1u << 2)

#define EFLAGS_TF   (1u << 8)
#define EFLAGS_IF   (1u << 9)
#define EFLAGS_DF   (1u << 10)
#define EFLAGS_IOPL (3u << 12)
#define EFLAGS_NT   (1u << 14)
#define EFLAGS_AC   (1u << 18)
#define EFLAGS_KERNEL 0x2u    /* the kernel's EFLAGS: only the always-one bit */

/*
 * Set every control and debug register the kernel owns (docs/SECURITY.md):
 * CR0 = CR0_KERNEL | TS, CR4 = cpu_cr4 (PGE, OSFXSR, OSXMMEXCPT, and SMEP and
 * UMIP where the CPU has them), DR7 = 0, DR0..DR3 = 0; and the fast system
 * call entries are shut, whatever a loader set: SYSENTER_CS/ESP/EIP = 0 (a
 * user sysenter is #GP(0)) and EFER.SCE clear (a user syscall is #UD).
 * After paging_init.
 */
void cpu_init(void);
extern uint32_t cpu_cr4;      /* what cpu_init put in CR4 */

#endif
