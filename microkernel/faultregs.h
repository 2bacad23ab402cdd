/*
 * The registers a fault handler's FAULT_RESUME asks for, checked and made
 * safe before they reach a trap frame (ipc/relay/fault.h says the rules).
 * Pure: tests/host/test_faultregs.c checks every EFLAGS bit and selector.
 */
#ifndef RELAY_FAULTREGS_H
#define RELAY_FAULTREGS_H

#include "arch/x86/trapframe.h"
#include "relay/fault.h"

/* Whether sel may be in a user data segment register: the user data selector or a null one. */
int fault_user_data_selector(uint32_t sel);

/* Apply r to tf with EFLAGS sanitised and CS/SS forced to the user's;
 * returns 0 (and changes nothing) if a segment register holds another selector. */
int fault_regs_apply(const struct fault_regs *r, struct trap_frame *tf);

/* The same for registers as a message brings them, read where they lie:
 * words 0..3 (eax..edx) as given, words 4..13 at w[4..13] (a UTCB's mr). */
int fault_regs_apply_message(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, const uint32_t *w,
                             struct trap_frame *tf);

#endif
