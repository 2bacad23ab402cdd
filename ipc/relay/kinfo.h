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
};
#define KERNEL_CHECK_RESET 0x1u  /* flags: start the longest path afresh (after this report) */

#endif
