/*
 * The kernel invariant checker, compiled only into the test kernel
 * (build/tests/relay-check.elf, -DRELAY_CHECK): a test or the fuzzer asks
 * for a check after any step with the kernel_check system call
 * (ipc/relay/kinfo.h).  It walks every object, queue, frame and page table
 * and compares what they say of each other:
 *   - references: each object's refs and receivers against the handles in
 *     every table, the kernel's own handles, and the references the kernel
 *     holds (a live task or thread on itself, an exit notification);
 *   - frames: every frame of RAM is free (as many as the pool counts), or
 *     the kernel's (page directories and tables, UTCBs, kernel stacks, the
 *     root's startup page, its own tables), or owned by a task that exists,
 *     or reserved (the kernel image, the first MiB), and never two of these;
 *   - queues: the run queue holds exactly the ready threads at their
 *     priorities; every blocked thread is on the queue it says, and every
 *     queue holds only threads waiting there; call partners point at each
 *     other; the timer list is sorted; the reaper's list is what `reaping`
 *     says;
 *   - page tables: every task's kernel half is the kernel's, no kernel frame
 *     but a UTCB or the startup page is mapped in ring 3, and every user
 *     mapping of a live task is in the reverse map with its rights, and
 *     nothing else is.
 * Each broken invariant is printed on the kernel console ("check: ...").
 *
 * The test kernel also measures the longest non-preemptible path: from a
 * kernel entry that interrupted ring 3 or the idle loop to the return to
 * either, in rdtsc units -- guest instructions under -icount.
 *
 * And it counts, per fast path, how often it was taken and how often the
 * general path took over; booted with `nofastpath`, every fast path
 * declines, so a suite can compare a program's results both ways.
 */
#ifndef RELAY_CHECK_H
#define RELAY_CHECK_H

#include <stdint.h>
#include "relay/kinfo.h"

#ifdef RELAY_CHECK
/* Run every check; fills the counts of *out. */
void check_all(struct kernel_check *out);
/* Called from the exit path (vectors.asm) before an iret to ring 3 or idle. */
void check_exit(void);
extern uint64_t check_entry_tsc;   /* set by the entry path: when the span began */
/* The longest path so far, and starting afresh. */
void check_longest(struct kernel_check *out);
void check_longest_reset(void);
/* The fast paths' counts (fastpath.h) into *out; check_boot reads the
 * command line's `nofastpath`, which turns every fast path off. */
void check_fastpaths(struct kernel_check *out);
void check_boot(void);
#endif

#endif
