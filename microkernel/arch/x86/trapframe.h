/*
 * The one trap frame: what is on the kernel stack when any vector's C handler
 * runs, lowest address first.  Fields are grouped by who pushed them.  The
 * entry path in vectors.asm checks its push order against these offsets at
 * assembly time (through the generated asm_offsets.inc), so the two cannot
 * drift.
 */
#ifndef RELAY_TRAPFRAME_H
#define RELAY_TRAPFRAME_H

#include <stdint.h>
#include "vector.h"
#include "relay/syscall.h"

struct trap_frame {
    /* pushed by the common entry path (trap_entry in vectors.asm) */
    uint32_t cr2;                 /* #PF: CR2, read at entry before anything can fault; else 0 */
    uint32_t gs, fs, es, ds;      /* the interrupted context's data selectors */
                                  /* (a system call's or an interrupt's frame leaves cr2, gs
                                     and fs unwritten: FS and GS stay in the CPU, and
                                     switch_context keeps them; trap_frame_has_fs_gs) */
    uint32_t edi, esi, ebp;       /* pusha order */
    uint32_t esp_pusha;           /* ESP as pusha saw it: ignored by popa */
    uint32_t ebx, edx, ecx, eax;
    /* pushed by the vector's stub */
    uint32_t vector;              /* 0..255 */
    uint32_t error_code;          /* the CPU's, or 0 where the CPU pushes none */
    /* pushed by the CPU */
    uint32_t eip, cs, eflags;
    uint32_t user_esp, user_ss;   /* only on entry from ring 3 */
};

#define TF_KERNEL_SIZE  (sizeof(struct trap_frame) - 8)   /* no ring change: no ESP/SS */

/* The ring the interrupted code ran in. */
static inline unsigned trap_frame_ring(const struct trap_frame *tf) { return tf->cs & 3; }

/* Whether the frame holds the interrupted code's FS and GS: an exception's
 * does; a system call's or an interrupt's leaves them in the CPU (vectors.asm). */
static inline int trap_frame_has_fs_gs(const struct trap_frame *tf)
{
    return tf->vector != RELAY_SYSCALL_VECTOR
        && !(tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + IRQ_COUNT);
}

/*
 * The interrupted code's stack pointer.  From ring 3 the CPU pushed it; from
 * ring 0 it is just above the frame, where the CPU's pushes ended.
 */
static inline uint32_t trap_frame_esp(const struct trap_frame *tf)
{
    if (trap_frame_ring(tf) == 3)
        return tf->user_esp;
    return (uint32_t)(uintptr_t)&tf->user_esp;
}

#endif
