/*
 * What the kernel has in use, for tests and monitors (kernel_info): the
 * fault and pager suites check that long runs leak nothing.
 */
#ifndef RELAY_KINFO_H
#define RELAY_KINFO_H

#include <stdint.h>

struct kernel_info {
    uint32_t frames_free;        /* free pages of the factory the calling task was made in */
    uint32_t tasks, threads, endpoints, notifications;   /* objects alive or held */
    uint32_t factories;          /* factories, the root's not counted */
    uint32_t mappings;           /* reverse-map entries: pages mapped through map */
    uint32_t notices_queued;     /* fault notices waiting for the supervisor */
    uint32_t reaping;            /* objects the kernel is still taking apart (they end soon) */
};

/* The fast paths counted in struct kernel_check. */
#define KERNEL_FASTPATH_CALL        0   /* call to a receiver waiting in recv */
#define KERNEL_FASTPATH_REPLY_RECV  1   /* reply_recv answering a call */
#define KERNEL_FASTPATH_FAULT       2   /* a fault to a handler waiting in recv */
#define KERNEL_FASTPATH_FAULT_REPLY 3   /* reply_recv answering a fault */
#define KERNEL_FASTPATH_SIGNAL      4   /* signal (or an IRQ) waking a waiter that outranks */
#define KERNEL_FASTPATHS            5

/*
 * kernel_check(struct kernel_check *, flags): the kernel invariant checker
 * and the longest non-preemptible path.  Only the test kernel has it
 * (build/tests/relay-check.elf); every other kernel answers ERR_NO_SYSCALL.
 */
struct kernel_check {
    uint32_t violations;         /* broken invariants (each printed on the kernel console) */
    uint32_t checked;            /* objects, queue entries, frames and page-table entries looked at */
    uint32_t longest_path;       /* the longest span from a kernel entry that interrupted ring 3
                                    or idle to the return to either: rdtsc units, which are guest
                                    instructions under -icount (the checker's own call not counted) */
    uint32_t longest_vector;     /* the entry that span began with: its vector (0x80: a system call) */
    uint32_t longest_eax;        /* ... and its EAX (the call number, for a system call) */
    uint32_t entries;            /* kernel entries measured since the last reset */
    /* The fast paths (docs/ARCHITECTURE.md, the fast path), counted since boot:
     * per path (KERNEL_FASTPATH_*), how often it did the work and how often
     * its preconditions failed (or the paths were off) and the general path
     * took over. */
    uint32_t fastpath_taken[KERNEL_FASTPATHS];
    uint32_t fastpath_declined[KERNEL_FASTPATHS];
    uint32_t fastpath_off;       /* 1: booted with `nofastpath`, every fast path declines */
};
#define KERNEL_CHECK_RESET 0x1u  /* flags: start the longest path afresh (after this report) */

#endif
