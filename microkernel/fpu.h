/*
 * Each thread's x87/SSE state, switched lazily: the FPU holds one thread's
 * state at a time (fpu_owner).  Switching to another thread sets CR0.TS; its
 * first FPU instruction raises #NM, and only then is the owner's state saved
 * (FXSAVE) and the new thread's loaded (FXRSTOR).  Threads that never touch
 * the FPU cost nothing.  #NM is therefore the kernel's and never reaches a
 * user handler; #MF and #XM do.
 */
#ifndef RELAY_FPU_H
#define RELAY_FPU_H

#include "thread.h"

extern struct thread *fpu_owner;   /* whose state is in the FPU, or NULL */
extern int fpu_open;               /* TS is clear: fpu_owner may use the FPU */

void fpu_boot(void);               /* panics without FXSR/SSE (cpu_init set CR0/CR4 for them) */
void fpu_init(struct thread *t);   /* the state after FNINIT, SSE exceptions masked */
void fpu_claim(void);              /* #NM from ring 3: give current the FPU */
void fpu_forget(struct thread *t); /* t dies: its state goes */

/* Switching to next: close the FPU unless next owns it (sched_switch_to). */
static inline void fpu_switch(const struct thread *next)
{
    if (fpu_open && next != fpu_owner) {
        asm volatile("mov %%cr0, %%eax; or $8, %%eax; mov %%eax, %%cr0" ::: "eax", "memory");
        fpu_open = 0;
    }
}

#endif
