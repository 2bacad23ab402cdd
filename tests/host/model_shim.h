/*
 * For the IPC model test (test_ipc_model.c): what lets the kernel's IPC
 * sources -- ipc.c, notification.c, fault.c, sched.c, sys_ipc.c and
 * fastpath.h -- compile and run on the host unchanged.  Each model_*.c file includes this
 * and then one kernel source.
 *
 * Only the instructions that cannot run in a host process are replaced:
 * cpu.h's control-register and interrupt-flag wrappers (CR3 becomes a
 * variable, cli/sti nothing) and fpu.h's lazy FPU switch (the FPU is not
 * part of what IPC moves).  Their include guards are taken first, so the
 * kernel's headers find these versions.  switch_context, the kernel-stack
 * switch, is model_stubs.c's: the model's driver goes on with whichever
 * thread sched_switch_to made current.
 */
#ifndef MODEL_SHIM_H
#define MODEL_SHIM_H

#include <stdint.h>

/* The handlers are declared regparm(2), which means nothing on x86-64. */
#pragma GCC diagnostic ignored "-Wattributes"

#define RELAY_CPU_H
extern uint32_t model_cr3;
static inline uint32_t read_cr3(void) { return model_cr3; }
static inline void write_cr3(uint32_t v) { model_cr3 = v; }
static inline void cli(void) {}
static inline void sti(void) {}
static inline void sti_hlt(void) {}

/* Names the host binary already has: libos' fault_reply (its own tests
 * are in it too), and libc's sched_yield, which Criterion calls. */
#define fault_reply kernel_fault_reply
#define sched_yield kernel_sched_yield

#define RELAY_FPU_H
struct thread;
static inline void fpu_switch(const struct thread *next) { (void)next; }

#endif
