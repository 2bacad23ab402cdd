/*
 * Kernel objects, handles, tasks, threads and memory: typed wrappers over
 * the raw stubs of relay/sys.h.
 *
 * Each returns the relay error code the kernel gave (ERR_NONE on success);
 * a result comes back through the out pointer, which is written only on
 * success.  The conditions for each error are in docs/ABI.md: the handle
 * errors of §2 for every handle argument, then those listed here.
 */
#ifndef LIBOS_OBJECT_H
#define LIBOS_OBJECT_H

#include <stdint.h>
#include <relay/ipc.h>

#define THREAD_PRIORITY_MAX (THREAD_PRIORITIES - 1)   /* docs/ABI.md section 6 */

/* --- Objects, from a factory (RIGHT_CONTROL); ERR_NO_MEMORY when a kind runs out. */
int endpoint_create(relay_handle factory, relay_handle *ep);
int notification_create(relay_handle factory, relay_handle *n);
/* An empty task; when it ends, exit_n (or HANDLE_NULL) is signalled with bits. */
int task_create(relay_handle factory, relay_handle exit_n, uint32_t bits, relay_handle *task);

/* --- Factories: kernel memory (docs/ABI.md section 8).  Every object made
 * from a factory, and what it grows (page tables, threads' stacks and
 * UTCBs, handle-table pages, reverse-map entries), is made in the frames
 * given to it; ERR_NO_MEMORY when they are used up.  Deleting the last
 * handle to a factory ends everything made from it and gives its frames
 * back to those who gave them. */
/* A new, empty factory made from factory. */
int factory_create(relay_handle factory, relay_handle *made);
/* count frames from pa (owned by this task, mapped nowhere; at most
 * FRAME_GIVE_MAX) become the factory's.  ERR_NOT_OWNER, ERR_MAPPED, ERR_RANGE. */
int factory_give(relay_handle factory, uint32_t pa, uint32_t count);
/* Any number of frames from pa on, FRAME_GIVE_MAX a call. */
int factory_give_range(relay_handle factory, uint32_t pa, uint32_t count);
/* The frames the factory holds, how many are unused, and the objects made from it. */
int factory_status(relay_handle factory, uint32_t *frames, uint32_t *free, uint32_t *objects);

/* TASK_ALIVE; TASK_EXITED with the exit status; TASK_KILLED with the vector. */
int task_status(relay_handle task, uint32_t *state, uint32_t *status);
/* The threads in the task and the user pages mapped in it (both 0 once it has ended). */
int task_info(relay_handle task, uint32_t *threads, uint32_t *pages);
/* The task's id: the number fault records (struct fault's task) and notices name it by. */
int task_id(relay_handle task, uint32_t *id);

/* --- Threads.  thread_create maps a fresh UTCB page at utcb (ERR_RANGE, ERR_MAPPED). */
int thread_create(relay_handle task, uint32_t entry, uint32_t stack, uint32_t utcb,
                  uint32_t priority, relay_handle *thread);
/* Priority and maximum controlled priority, each at most the caller's maximum (ERR_NO_RIGHTS). */
int thread_set_priority(relay_handle thread, uint32_t priority, uint32_t max_priority);
/* The highest priority this task's threads may have: its startup page's max_priority. */
uint32_t thread_priority_max(void);
int thread_start(relay_handle thread);
int thread_suspend(relay_handle thread);
int thread_resume(relay_handle thread);
int thread_kill(relay_handle thread);
/* A suspended thread's registers (ERR_STATE if it is not suspended). */
int thread_read_regs(relay_handle thread, struct relay_regs *regs);
int thread_write_regs(relay_handle thread, const struct relay_regs *regs);
/* Give the CPU to the next thread of the same priority. */
void yield(void);

/* --- Handles: copies never gain rights; a badge is set only on an unbadged handle. */
int handle_mint(relay_handle h, uint32_t badge, uint32_t rights, relay_handle *out);
int handle_copy(relay_handle h, uint32_t rights, relay_handle *out);
int handle_delete(relay_handle h);
int handle_revoke(relay_handle h);
/* A copy of h with rights in task's table (RIGHT_CONTROL on task); *out is its number there. */
int handle_give(relay_handle task, relay_handle h, uint32_t rights, relay_handle *out);

/* --- Devices (docs/ABI.md section 11, docs/DRIVERS.md).  The root task holds
 * the IRQ-control and I/O-control capabilities (its startup page's
 * irq_control and io_control). */
/* The IRQ object of a line (1, 3..15): RIGHT_CONTROL over it.  A line
 * interrupt that is not acked within ack_ticks clock ticks (0: no limit)
 * sends the supervisor a NOTICE_IRQ_NOT_ACKED naming the driver.
 * ERR_RANGE (line 0, 2 or past 15), ERR_STATE (the line is claimed). */
int irq_claim(relay_handle irq_control, uint32_t line, uint32_t ack_ticks, relay_handle *irq);
/* The line's interrupts signal bits on notification n (RIGHT_SEND), and the
 * line is unmasked; HANDLE_NULL unbinds and masks it.  RIGHT_CONTROL on irq.
 * The binding goes with the handle it was made through (a revoke from above
 * takes the line away at once).  ERR_INVALID (bits 0). */
int irq_bind(relay_handle irq, relay_handle n, uint32_t bits);
/* The interrupt the notification told of is handled: the line is unmasked.
 * ERR_STATE if nothing is bound. */
int irq_ack(relay_handle irq);
/* Ports [first, first + count): a task holding a handle to it may use
 * them with in/out (the TSS I/O bitmap follows its handles).  Made in
 * factory.  ERR_RANGE (empty, or past port 0xFFFF), ERR_STATE (overlaps a
 * range that exists). */
int ioport_create(relay_handle io_control, relay_handle factory, uint32_t first, uint32_t count,
                  relay_handle *ioport);

/* --- Memory: the caller must own the frames (ERR_NOT_OWNER). */
/* Map frame pa at va in task, writable if flags has MAP_WRITABLE (ERR_RANGE, ERR_MAPPED). */
int page_map(relay_handle task, uint32_t va, uint32_t pa, uint32_t flags);
int page_unmap(relay_handle task, uint32_t va);            /* ERR_NOT_MAPPED */
/* The mapping at va becomes writable or read-only (ERR_NOT_MAPPED; ERR_NOT_OWNER to
 * raise rights over a frame one could not map writable). */
int map_protect(relay_handle task, uint32_t va, uint32_t flags);
/* Frames [pa, pa + count pages) become task's: FRAME_GIVE_MAX at a time,
 * each all or nothing (a failure leaves the earlier ones given). */
int frame_give(relay_handle task, uint32_t pa, uint32_t count);

/* --- What the kernel has in use (relay/kinfo.h), once it has finished taking
 * apart what ended: it waits, yielding, while kernel_info says `reaping`.
 * For leak checks.  The kernel's error, or ERR_TIMEOUT if it never settled. */
struct kernel_info;
int kernel_info_settled(struct kernel_info *k);

/* --- The end: every thread, mapping and handle of the calling task.  First,
 * if the program wrote to its console, a flush (console_exit_flush,
 * relay/console.h): what it printed is out before it ends. */
__attribute__((noreturn)) void exit(int status);

#endif
