/*
 * kmain: the boot sequence, from the loader's hand-off to a running kernel.
 * Each step leaves the machine in a state the next one relies on; the order
 * is explained in docs/ARCHITECTURE.md.
 */
#include <stdint.h>
#include "boot.h"
#include "check.h"
#include "kprintf.h"
#include "fpu.h"
#include "ktest.h"
#include "frames.h"
#include "root.h"
#include "sched.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/idt.h"
#include "arch/x86/iomap.h"
#include "arch/x86/paging.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"
#include "arch/x86/serial.h"

_Noreturn void kmain(uint32_t magic, uint32_t mbi_phys);

void kmain(uint32_t magic, uint32_t mbi_phys)
{
    serial_init();                         /* panics can be seen from here on */
    gdt_init();                            /* our segments, the TSS, the #DF task */
    idt_init();                            /* every vector has a handler */
    boot_read_multiboot(magic, mbi_phys);  /* memory map, modules, frame pool */
#ifdef RELAY_CHECK
    check_boot();                          /* the test kernel's `nofastpath` */
#endif
    memory_init();                         /* the frame table: owners and mappings */
    paging_init();                         /* 4 KiB pages, read-only text, no identity map */
    iomap_init();                          /* the TSS and its I/O bitmap, per address space */
    cpu_init();                            /* CR0, CR4, debug registers: the kernel's values */
    fpu_boot();                            /* user threads get x87/SSE state of their own */
    gdt_set_df_cr3(read_cr3());
    pic_init();                            /* every IRQ line masked */
    pit_init();                            /* IRQ 0 unmasked: the clock */
    boot_banner();
    boot_info.tsc_banner = rdtsc();

    sched_init();
    if (ktest_present())
        ktest_main();
    if (!root_start())
        kprintf("relay: no root task module to start; idling (Ctrl-A X quits QEMU)\n");
    sched_start();                         /* the boot thread becomes the idle thread */
}
