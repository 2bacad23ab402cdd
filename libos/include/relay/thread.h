/*
 * Threads that libos starts, and how every thread finds its own UTCB.
 *
 * The kernel tells a thread nothing about itself, and a thread's registers
 * all carry message words, so libos finds "self" from the stack pointer
 * alone:
 *   - ESP inside [THREAD_STACKS_BASE, + THREADS_MAX * THREAD_STACK_SIZE):
 *     a thread libos started; its record is slot
 *     (ESP - THREAD_STACKS_BASE) / THREAD_STACK_SIZE of a table in .bss.
 *   - anywhere else: the main thread, on the main stack below STACK_TOP;
 *     its record comes from the startup page (main_utcb, self_thread).
 * The record holds the UTCB address and the thread's handle.  Nothing the
 * thread could overwrite is consulted, only ESP, so a thread must not run
 * on a stack of its own making (switching stacks loses its identity).
 *
 * Not thread-safe: start and release threads from one thread at a time.
 */
#ifndef LIBOS_THREAD_H
#define LIBOS_THREAD_H

#include <stdint.h>
#include <relay/ipc.h>
#include <relay/layout.h>

#define THREAD_STACK_PAGES (THREAD_STACK_SIZE / PAGE_SIZE - THREAD_GUARD_PAGES)

struct thread {
    struct utcb *utcb;            /* this thread's UTCB */
    relay_handle handle;          /* RIGHT_CONTROL over the thread, in this task */
    void (*fn)(void *);           /* started threads: what runs, with arg */
    void *arg;
    relay_handle exit_notification;   /* signalled with exit_bits when fn returns */
    uint32_t exit_bits;
    volatile uint32_t finished;   /* fn has returned */
    uint32_t in_use;              /* the slot holds a thread */
    uint32_t stack_frames[THREAD_STACK_PAGES];   /* frames backing the stack */
};

struct thread_spec {
    void (*fn)(void *arg);        /* runs on the new thread; returning ends the thread */
    void *arg;
    uint32_t priority;            /* 0..THREAD_PRIORITY_MAX */
    relay_handle exit_notification;   /* HANDLE_NULL, or signalled with exit_bits at the end */
    uint32_t exit_bits;
};

/*
 * Start a thread in this task: a slot, a 12 KiB stack of frames from
 * frame_alloc(), the next unused UTCB page, then thread_create and
 * thread_start.  ERR_INVALID (no fn, priority too high), ERR_NO_MEMORY (no
 * free slot, no frame, or the UTCB region is used up), or the kernel's error.
 */
int thread_spawn(const struct thread_spec *spec, struct thread **out);

/*
 * Kill t (if it still runs), unmap and free its stack, delete its handle
 * and free its slot.  ERR_INVALID for the main thread, a free slot, or the
 * calling thread itself.
 * (Its UTCB page is not reused: the ABI does not say when the kernel
 * unmaps it.)
 */
int thread_release(struct thread *t);

struct thread *thread_self(void);
struct thread *thread_main(void);     /* the main thread's record */
struct utcb *utcb_self(void);

/* For libos_start: the main thread's record, from the startup page. */
void thread_init_main(const struct startup_info *si);

#endif
