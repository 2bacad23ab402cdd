/* The GDT and both TSSes: see gdt.h and segments.h. */
#include "gdt.h"
#include "segments.h"
#include "cpu.h"

struct tss kernel_tss __attribute__((aligned(4096)));   /* the I/O window maps its page */
struct tss df_tss;

static uint64_t gdt[GDT_ENTRIES];

extern char kstack_top[], df_stack_top[];
extern void double_fault_entry(void);

static void load_gdt(void)
{
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = {
        sizeof gdt - 1, (uint32_t)gdt,
    };
    asm volatile("lgdt %0\n\t"
                 "ljmp %1, $1f\n"
                 "1:\n\t"
                 "mov %2, %%ds\n\t"
                 "mov %2, %%es\n\t"
                 "mov %2, %%fs\n\t"
                 "mov %2, %%gs\n\t"
                 "mov %2, %%ss"
                 : : "m"(gdtr), "i"(SEL_KERNEL_CODE), "r"(SEL_KERNEL_DATA) : "memory");
}

void gdt_init(void)
{
    gdt[GDT_NULL] = 0;
    gdt[GDT_KERNEL_CODE] = flat_code_desc(RPL_KERNEL);
    gdt[GDT_KERNEL_DATA] = flat_data_desc(RPL_KERNEL);
    gdt[GDT_USER_CODE] = flat_code_desc(RPL_USER);
    gdt[GDT_USER_DATA] = flat_data_desc(RPL_USER);
    gdt[GDT_TSS] = tss_desc((uint32_t)&kernel_tss, sizeof kernel_tss);
    gdt[GDT_DF_TSS] = tss_desc((uint32_t)&df_tss, sizeof df_tss);
    gdt[GDT_ABSENT] = flat_data_desc(RPL_USER) & ~((uint64_t)SEG_PRESENT << 40);

    kernel_tss.ss0 = SEL_KERNEL_DATA;
    kernel_tss.esp0 = (uint32_t)kstack_top;
    kernel_tss.iomap_base = sizeof kernel_tss;   /* no I/O bitmap: ring 3 gets no ports */

    df_tss.cr3 = read_cr3();                     /* the boot tables, until paging_init */
    df_tss.eip = (uint32_t)double_fault_entry;
    df_tss.esp = df_tss.esp0 = (uint32_t)df_stack_top;
    df_tss.eflags = 0x2;                         /* interrupts off */
    df_tss.cs = SEL_KERNEL_CODE;
    df_tss.ds = df_tss.es = df_tss.fs = df_tss.gs = df_tss.ss = df_tss.ss0 = SEL_KERNEL_DATA;
    df_tss.iomap_base = sizeof df_tss;

    load_gdt();
    asm volatile("ltr %w0" : : "r"(SEL_TSS));
    asm volatile("lldt %w0" : : "r"(0));        /* no LDT: a selector naming one is #GP */
}

void gdt_move_tss(uint32_t base, uint32_t size)
{
    gdt[GDT_TSS] = tss_desc(base, size);   /* available again: ltr wants it not busy */
    asm volatile("ltr %w0" : : "r"(SEL_TSS));
}

void gdt_set_df_cr3(uint32_t cr3) { df_tss.cr3 = cr3; }
