/* Sanitising FAULT_RESUME registers: see faultregs.h. */
#include "faultregs.h"
#include "arch/x86/segments.h"

#define EFLAGS_ALWAYS_ONE 0x2u

int fault_user_data_selector(uint32_t sel)
{
    sel &= 0xFFFF;
    return sel == SEL_USER_DATA || sel < 4;   /* a null selector has index 0, any RPL */
}

int fault_regs_apply_message(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, const uint32_t *w,
                             struct trap_frame *tf)
{
    const struct fault_regs *r = (const struct fault_regs *)w;   /* words 4.. only */
    if (!fault_user_data_selector(r->ds) || !fault_user_data_selector(r->es)
        || !fault_user_data_selector(r->fs) || !fault_user_data_selector(r->gs))
        return 0;
    tf->eax = w0;
    tf->ebx = w1;
    tf->ecx = w2;
    tf->edx = w3;
    tf->esi = r->esi;
    tf->edi = r->edi;
    tf->ebp = r->ebp;
    tf->user_esp = r->esp;
    tf->eip = r->eip;
    tf->eflags = (r->eflags & EFLAGS_USER_SETTABLE) | EFLAGS_USER_IF | EFLAGS_ALWAYS_ONE;
    tf->cs = SEL_USER_CODE;
    tf->user_ss = SEL_USER_DATA;
    tf->ds = r->ds & 0xFFFF;
    tf->es = r->es & 0xFFFF;
    tf->fs = r->fs & 0xFFFF;
    tf->gs = r->gs & 0xFFFF;
    return 1;
}

int fault_regs_apply(const struct fault_regs *r, struct trap_frame *tf)
{
    return fault_regs_apply_message(r->eax, r->ebx, r->ecx, r->edx, (const uint32_t *)r, tf);
}
