/* The system-call layer: int 0x80 lands in syscall_entry (vectors.asm),
 * which calls the handler syscall_table names (ipc/relay/syscall.h). */
#ifndef RELAY_KERNEL_SYSCALL_H
#define RELAY_KERNEL_SYSCALL_H

#include "kobject.h"
#include "arch/x86/trapframe.h"

/* The gate's entry, the IDT's for vector 0x80 (vectors.asm). */
void syscall_entry(void);

#endif
