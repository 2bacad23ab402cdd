/*
 * The #DF task.  A double fault arrives through a task gate: the CPU saved
 * the failing context in kernel_tss and switched to df_tss, with a stack of
 * its own -- so even a kernel stack overflow (a #PF whose frame cannot be
 * pushed) ends here.  It prints the dump from the saved state and stops.
 */
#include "gdt.h"
#include "memlayout.h"
#include "cpu.h"
#include "vector.h"
#include "panic.h"
#include "kprintf.h"
#include "relay/exit.h"

void double_fault_main(uint32_t error_code);

extern const char kstack_guard[], kstack_bottom[];

void double_fault_main(uint32_t error_code)
{
    const struct tss *t = &kernel_tss;
    struct cpu_snapshot s = {
        .eax = t->eax, .ebx = t->ebx, .ecx = t->ecx, .edx = t->edx,
        .esi = t->esi, .edi = t->edi, .ebp = t->ebp, .esp = t->esp,
        .eip = t->eip, .eflags = t->eflags,
        .cs = t->cs, .ds = t->ds, .es = t->es, .fs = t->fs, .gs = t->gs, .ss = t->ss,
        .cr0 = read_cr0(), .cr2 = read_cr2(), .cr4 = read_cr4(),
        .cr3 = read_cr3(),          /* a task switch does not save CR3: ours is the kernel's */
    };
    kprintf("\n*** KERNEL PANIC: double fault\n");
    if (s.cr2 >= (uint32_t)kstack_guard && s.cr2 < (uint32_t)kstack_bottom)
        kprintf("kernel stack overflow: cr2=%08x is in the guard page %08x-%08x (esp=%08x)\n",
                s.cr2, (uint32_t)kstack_guard, (uint32_t)kstack_bottom, s.esp);
    else if (s.cr2 >= KSTACKS && s.cr2 < KSTACKS_END && (s.cr2 - KSTACKS) % KSTACK_SLOT < PAGE_SIZE)
        kprintf("kernel stack overflow: cr2=%08x is in the guard page of thread slot %u's stack\n",
                s.cr2, (s.cr2 - KSTACKS) / KSTACK_SLOT);
    dump_exception(VEC_DF, error_code, &s);
    machine_exit(RELAY_EXIT_PANIC);
}
