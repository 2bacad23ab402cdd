/*
 * The CPU state the kernel owns (docs/SECURITY.md): read back from the
 * hardware itself -- sgdt, sidt, sldt, str, the control and debug registers,
 * the page tables -- and checked against what ring 3 may be allowed.
 */
#include "ktest.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/extable.h"
#include "arch/x86/gdt.h"
#include "arch/x86/paging.h"
#include "arch/x86/segments.h"
#include "arch/x86/trap.h"
#include "arch/x86/vector.h"
#include "relay/syscall.h"

struct table_register {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

#define DESC_DPL(d)    ((unsigned)((d) >> 45) & 3u)
#define DESC_S(d)      (((d) >> 44) & 1u)     /* 1: code or data; 0: system */
#define DESC_TYPE(d)   ((unsigned)((d) >> 40) & 0xFu)
#define DESC_P(d)      (((d) >> 47) & 1u)

TEST(ldtr_null, "LDTR is null: a selector naming the LDT raises #GP with it, and no table is read")
{
    uint16_t ldtr = 0xFFFF;
    asm volatile("sldt %0" : "=r"(ldtr));
    CHECK_EQ(ldtr, 0);
    uint32_t before = kernel_trap.count, fs;
    asm volatile("mov %%fs, %0" : "=r"(fs));
    asm volatile("movw $0x0f, %%ax\n"
                 "1:\tmovw %%ax, %%fs\n2:\n" EXTABLE_ENTRY("1b", "2b") ::: "eax", "memory");
    asm volatile("mov %0, %%fs" : : "r"(fs));
    CHECK_EQ(kernel_trap.count, before + 1);
    CHECK_EQ(kernel_trap.vector, VEC_GP);
    CHECK_EQ(kernel_trap.error_code, 0x0C);
}

TEST(gdt_dpl3_where_meant, "the live GDT has DPL 3 only on the user code, user data and not-present entries; no gates")
{
    struct table_register gdtr;
    asm volatile("sgdt %0" : "=m"(gdtr));
    CHECK_EQ(gdtr.limit, GDT_ENTRIES * 8 - 1);
    const uint64_t *gdt = (const uint64_t *)gdtr.base;
    CHECK_EQ(gdt[GDT_NULL], 0);
    for (unsigned i = 1; i < GDT_ENTRIES; i++) {
        uint64_t d = gdt[i];
        int user = i == GDT_USER_CODE || i == GDT_USER_DATA || i == GDT_ABSENT;
        CHECK_EQ(DESC_DPL(d), user ? 3u : 0u);
        if (!DESC_S(d))                              /* system: only the two TSSes */
            CHECK(i == GDT_TSS || i == GDT_DF_TSS);
        CHECK_EQ(DESC_P(d), i != GDT_ABSENT);
    }
    CHECK_EQ(DESC_TYPE(gdt[GDT_TSS]) & ~2u, SEG_TSS_32);   /* available or busy */
    CHECK_EQ(DESC_TYPE(gdt[GDT_DF_TSS]) & ~2u, SEG_TSS_32);
}

TEST(idt_dpl3_where_meant, "the live IDT: 256 present interrupt gates on kernel code, DPL 3 only for int3, into, int 0x80")
{
    struct table_register idtr;
    asm volatile("sidt %0" : "=m"(idtr));
    CHECK_EQ(idtr.limit, VECTOR_COUNT * 8 - 1);
    const uint64_t *idt = (const uint64_t *)idtr.base;
    unsigned wrong_dpl = 0, wrong_kind = 0;
    for (unsigned v = 0; v < VECTOR_COUNT; v++) {
        uint64_t g = idt[v];
        unsigned want = v == VEC_BP || v == VEC_OF || v == RELAY_SYSCALL_VECTOR ? 3u : 0u;
        wrong_dpl += DESC_DPL(g) != want;
        if (v == VEC_DF)
            wrong_kind += DESC_TYPE(g) != GATE_TASK || gate_selector(g) != SEL_DF_TSS;
        else
            wrong_kind += DESC_TYPE(g) != GATE_INTR_32 || gate_selector(g) != SEL_KERNEL_CODE;
        wrong_kind += !DESC_P(g) || DESC_S(g);
    }
    CHECK_EQ(wrong_dpl, 0);
    CHECK_EQ(wrong_kind, 0);
}

TEST(tss_io_bitmap_closed, "TR is the kernel TSS at the I/O window; its I/O bitmap covers every port and, where no task holds ports, closes them all")
{
    uint16_t tr = 0;
    asm volatile("str %0" : "=r"(tr));
    CHECK_EQ(tr, SEL_TSS);
    struct table_register gdtr;
    asm volatile("sgdt %0" : "=m"(gdtr));
    const uint64_t *gdt = (const uint64_t *)gdtr.base;
    CHECK_EQ(desc_base(gdt[GDT_TSS]), IO_WINDOW);
    CHECK_EQ(kernel_tss.iomap_base, PAGE_SIZE);
    CHECK_EQ(desc_limit(gdt[GDT_TSS]), PAGE_SIZE + 0x10000 / 8);   /* the bitmap and its last byte */
    const volatile struct tss *through_tr = (const volatile struct tss *)IO_WINDOW;
    CHECK_EQ(through_tr->ss0, SEL_KERNEL_DATA);      /* the window shows the kernel's TSS */
    const volatile uint8_t *bits = (const volatile uint8_t *)(IO_WINDOW + PAGE_SIZE);
    uint32_t open = 0;
    for (uint32_t i = 0; i <= 0x10000 / 8; i++)
        open += bits[i] != 0xFF;
    CHECK_EQ(open, 0);
    CHECK(df_tss.iomap_base > desc_limit(gdt[GDT_DF_TSS]));
    CHECK_EQ(kernel_tss.ss0, SEL_KERNEL_DATA);
    CHECK_EQ(kernel_tss.link, 0);
    CHECK_EQ(kernel_tss.trap & 1, 0);                  /* no debug trap on a task switch */
}

TEST(control_registers, "CR0 and CR4 hold exactly the kernel's bits, whatever the loader left")
{
    CHECK_EQ(read_cr0() & ~CR0_TS, CR0_KERNEL);
    CHECK_EQ(read_cr4(), cpu_cr4);
    CHECK_EQ(cpu_cr4 & ~(CR4_PGE | CR4_SMEP | CR4_UMIP), CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PSE);
}

TEST(debug_registers_clear, "DR7 enables no breakpoint and no general detect; DR0..DR3 are 0")
{
    uint32_t dr[4], dr7;
    asm volatile("mov %%dr0, %0" : "=r"(dr[0]));
    asm volatile("mov %%dr1, %0" : "=r"(dr[1]));
    asm volatile("mov %%dr2, %0" : "=r"(dr[2]));
    asm volatile("mov %%dr3, %0" : "=r"(dr[3]));
    asm volatile("mov %%dr7, %0" : "=r"(dr7));
    CHECK_EQ(dr7 & 0xFFFF23FFu, 0);                   /* L0-3, G0-3, LE, GE, GD, conditions */
    for (int i = 0; i < 4; i++)
        CHECK_EQ(dr[i], 0);
}

#define EFLAGS_OWNED (EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL | EFLAGS_NT | EFLAGS_AC)

TEST(entry_eflags, "an entry with DF, AC and NT set runs the kernel with them clear, and IF, TF, IOPL 0")
{
    uint32_t saved = read_eflags();
    CHECK_EQ(saved & EFLAGS_OWNED, 0);                /* the kernel's own, right now */
    uint32_t hostile = saved | EFLAGS_DF | EFLAGS_AC | EFLAGS_NT;
    asm volatile("push %0\n\tpopf\n\tint3\n\tpush %1\n\tpopf" : : "r"(hostile), "r"(saved)
                 : "memory", "cc");
    CHECK_EQ(kernel_trap.vector, VEC_BP);
    CHECK_EQ(kernel_trap.kernel_eflags & EFLAGS_OWNED, 0);
    CHECK_EQ(read_eflags() & EFLAGS_OWNED, saved & EFLAGS_OWNED);
}

extern const char df_stack_guard[], df_stack_top[];

static int supervisor_only(uint32_t va)
{
    pte_t *pte = paging_kernel_pte(va);
    return pte && !(*pte & PTE_USER);
}

TEST(kernel_half_supervisor_only, "no kernel PDE or PTE is user-accessible: the #DF stack and both TSSes included")
{
    unsigned user = 0;
    for (uint32_t i = pd_index(KERNBASE); i < PT_ENTRIES; i++)
        user += (kernel_pd[i] & PTE_USER) != 0;
    CHECK_EQ(user, 0);
    for (uint32_t va = (uint32_t)df_stack_guard + PAGE_SIZE; va < (uint32_t)df_stack_top; va += PAGE_SIZE)
        CHECK(supervisor_only(va));
    CHECK(supervisor_only((uint32_t)&kernel_tss));
    CHECK(supervisor_only((uint32_t)&df_tss));
    CHECK_EQ(df_tss.cr3, virt_to_phys(kernel_pd));
    CHECK(df_tss.esp > (uint32_t)df_stack_guard + PAGE_SIZE && df_tss.esp <= (uint32_t)df_stack_top);
}

TEST(fast_entries_shut, "sysenter and syscall lead nowhere: SYSENTER_CS/ESP/EIP are 0, EFER.SCE is clear")
{
    uint32_t a, b, c, d, ext;
    cpuid(1, &a, &b, &c, &d);
    if (d & CPUID_EDX_SEP) {
        CHECK_EQ(rdmsr(MSR_SYSENTER_CS), 0);
        CHECK_EQ(rdmsr(MSR_SYSENTER_ESP), 0);
        CHECK_EQ(rdmsr(MSR_SYSENTER_EIP), 0);
    }
    cpuid(0x80000000u, &ext, &b, &c, &d);
    if (ext >= 0x80000001u) {
        cpuid(0x80000001u, &a, &b, &c, &d);
        if (d & (CPUID_EXT_EDX_SYSCALL | CPUID_EXT_EDX_NX | CPUID_EXT_EDX_LM))
            CHECK_EQ(rdmsr(MSR_EFER) & EFER_SCE, 0);
    }
}
