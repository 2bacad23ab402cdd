/* Switching kernel stacks between threads (switch.asm). */
#ifndef RELAY_SWITCH_H
#define RELAY_SWITCH_H

#include <stdint.h>

/*
 * Save the callee-saved registers and FS and GS on the current stack, store
 * ESP in *save, load new_esp, restore the registers saved there and return
 * on that stack.  (FS and GS: a system call does not save them in its trap
 * frame, so they are the thread's own user selectors until it returns.)
 */
void switch_context(uint32_t *save, uint32_t new_esp);

/*
 * A new thread's kernel stack is laid out so that switch_context "returns"
 * into thread_first_run, which reaps any dead thread and leaves through
 * trap_return with the thread's initial trap frame.
 */
void thread_first_run(void);

#define SWITCH_FRAME_WORDS 7   /* gs, fs, edi, esi, ebx, ebp, return address */

#endif
