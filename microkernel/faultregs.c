/* Sanitising FAULT_RESUME registers: see faultregs.h. */
#include "faultregs.h"
#include "arch/x86/segments.h"

#define EFLAGS_ALWAYS_ONE 0x2u

int fault_user_data_selector(uint32_t sel)
{
    sel &= 0xFFFF;
    return sel == SEL_USER_DATA || sel < 4;   /* a null selector has index 0, any RPL */
}

int fault_regs_apply(const struct fault_regs *r, struct trap_frame *tf)
{
    if (!fault_user_data_selector(r->ds) || !fault_user_data_selector(r->es)
        || !fault_user_data_selector(r->fs) || !fault_user_data_selector(r->gs))
        return 0;
    tf->eax = r->eax;
    tf->ebx = r->ebx;
    tf->ecx = r->ecx;
    tf->edx = r->edx;
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
