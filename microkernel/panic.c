/* Kernel panics and the decoded dump: see panic.h. */
#include <stdarg.h>
#include "panic.h"
#include "kprintf.h"
#include "ksyms.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/vector.h"
#include "relay/exit.h"

#define BACKTRACE_MAX 16

static int panicking;

void machine_exit(uint8_t code)
{
    cli();
    outb(RELAY_EXIT_PORT, code);
    for (;;)
        asm volatile("hlt");
}

static void print_address(uint32_t addr)
{
    uint32_t offset;
    const char *name = ksym_lookup(addr, &offset);
    kprintf("0x%08x", addr);
    if (name)
        kprintf(" <%s+0x%x>", name, offset);
}

void backtrace(uint32_t eip, uint32_t ebp)
{
    kprintf("backtrace:\n  ");
    print_address(eip);
    kprintf("\n");
    for (int depth = 0; depth < BACKTRACE_MAX && ebp; depth++) {
        if (ebp & 3 || !paging_kernel_readable(ebp, 8)) {
            kprintf("  (frame pointer 0x%08x is not a kernel stack address)\n", ebp);
            return;
        }
        const uint32_t *frame = (const uint32_t *)ebp;
        if (!frame[1])
            return;
        kprintf("  ");
        print_address(frame[1]);
        kprintf("\n");
        if (frame[0] <= ebp)         /* frames grow upwards: anything else is a loop */
            return;
        ebp = frame[0];
    }
    if (ebp)
        kprintf("  (more frames not shown)\n");
}

static void print_eflags(uint32_t f)
{
    static const struct { uint32_t bit; const char *name; } flags[] = {
        { 1u << 0, "CF" }, { 1u << 2, "PF" }, { 1u << 4, "AF" }, { 1u << 6, "ZF" },
        { 1u << 7, "SF" }, { 1u << 8, "TF" }, { 1u << 9, "IF" }, { 1u << 10, "DF" },
        { 1u << 11, "OF" }, { 1u << 14, "NT" }, { 1u << 16, "RF" }, { 1u << 17, "VM" },
        { 1u << 18, "AC" },
    };
    kprintf("eflags=%08x [", f);
    const char *sep = "";
    for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (f & flags[i].bit) {
            kprintf("%s%s", sep, flags[i].name);
            sep = " ";
        }
    kprintf("%sIOPL=%u]\n", sep, (f >> 12) & 3);
}

void dump_exception(unsigned vector, uint32_t error_code, const struct cpu_snapshot *s)
{
    const struct vector_info *info = vector_info(vector);
    char decoded[96];
    error_code_describe(vector, error_code, decoded, sizeof decoded);
    kprintf("vector %u #%s %s (%s)\n", vector, info->mnemonic, info->name,
            vector_class_name(info->class));
    kprintf("error code 0x%08x: %s\n", error_code, decoded);
    kprintf("cr2=%08x cr0=%08x cr3=%08x cr4=%08x\n", s->cr2, s->cr0, s->cr3, s->cr4);
    kprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", s->eax, s->ebx, s->ecx, s->edx);
    kprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", s->esi, s->edi, s->ebp, s->esp);
    kprintf("cs=%04x ds=%04x es=%04x fs=%04x gs=%04x ss=%04x (ring %u)\n",
            s->cs & 0xFFFF, s->ds & 0xFFFF, s->es & 0xFFFF, s->fs & 0xFFFF,
            s->gs & 0xFFFF, s->ss & 0xFFFF, s->cs & 3);
    kprintf("eip=");
    print_address(s->eip);
    kprintf(" ");
    print_eflags(s->eflags);
    backtrace(s->eip, s->ebp);
}

static void snapshot_from_frame(const struct trap_frame *tf, struct cpu_snapshot *s)
{
    uint32_t ss;
    asm volatile("mov %%ss, %0" : "=r"(ss));
    *s = (struct cpu_snapshot){
        .eax = tf->eax, .ebx = tf->ebx, .ecx = tf->ecx, .edx = tf->edx,
        .esi = tf->esi, .edi = tf->edi, .ebp = tf->ebp, .esp = trap_frame_esp(tf),
        .eip = tf->eip, .eflags = tf->eflags,
        .cs = tf->cs, .ds = tf->ds, .es = tf->es, .fs = tf->fs, .gs = tf->gs,
        .ss = trap_frame_ring(tf) == 3 ? tf->user_ss : ss,
        .cr0 = read_cr0(), .cr2 = tf->cr2, .cr3 = read_cr3(), .cr4 = read_cr4(),
    };
}

static void enter_panic(void)
{
    cli();
    if (panicking++)                 /* a panic while panicking: just stop */
        machine_exit(RELAY_EXIT_PANIC);
}

void panic_trap(const struct trap_frame *tf, const char *why)
{
    enter_panic();
    struct cpu_snapshot s;
    snapshot_from_frame(tf, &s);
    kprintf("\n*** KERNEL PANIC: %s\n", why);
    dump_exception(tf->vector, tf->error_code, &s);
    machine_exit(RELAY_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    enter_panic();
    va_list ap;
    va_start(ap, fmt);
    kprintf("\n*** KERNEL PANIC: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    const uint32_t *frame = (const uint32_t *)read_ebp();
    backtrace(frame[1], frame[0]);    /* from panic's caller */
    machine_exit(RELAY_EXIT_PANIC);
}
