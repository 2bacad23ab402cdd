/* The system-call layer: int 0x80 lands in syscall_dispatch (ipc/relay/syscall.h). */
#ifndef RELAY_KERNEL_SYSCALL_H
#define RELAY_KERNEL_SYSCALL_H

#include "kobject.h"
#include "arch/x86/trapframe.h"

/* Called by syscall_entry (vectors.asm) with the frame in EAX. */
void syscall_dispatch(struct trap_frame *tf) __attribute__((regparm(1)));

#endif
