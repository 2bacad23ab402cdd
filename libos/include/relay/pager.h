/*
 * Pagers: user-level page-fault handlers (docs/PAGER.md).
 *
 * A page fault of a thread whose pager endpoint is set (pager_attach) is a
 * call labelled LABEL_FAULT, marked MSGINFO_KERNEL, to that endpoint
 * (ipc/relay/fault.h).  A pager is a fault_fn (relay/faults.h), served by
 * the same loop as every fault handler (fault_serve): it answers with a
 * struct fault_answer -- most often ANSWER_MAP with a frame of this task,
 * which the kernel maps at the faulting page before the thread retries, in
 * one call; ANSWER_RETRY after its own page_map or map_protect; ANSWER_RESUME
 * with registers; a kill; or ANSWER_FORWARD to a parent pager.
 *
 * Only #PF reaches a pager endpoint, unless the same endpoint is also a
 * thread's exception handler (fault_set_handler): then one fn sees both,
 * e.g. a write watchpoint's #PF and the #DB of its single step
 * (user/watch, docs/PAGER.md).
 *
 * pager_fifo_* are pure (host-tested in tests/host/test_libos_pager.c).
 */
#ifndef LIBOS_PAGER_H
#define LIBOS_PAGER_H

#include <stdint.h>
#include <relay/faults.h>

/*
 * A pager in this task: a new endpoint (from the startup factory) and a
 * thread at priority running fault_serve on it with fn, counting in
 * fault_stats(*ep_out).  *ep_out gets the endpoint, to pager_attach threads
 * to (or handle_give to another task).  ERR_NO_MEMORY when
 * FAULT_THREADS_MAX run, else endpoint_create's or thread_spawn's error
 * (nothing is left behind then).
 */
int pager_start(fault_fn fn, void *arg, uint32_t priority, relay_handle *ep_out);

/* Make ep (RIGHT_SEND) the pager of thread (RIGHT_CONTROL): its #PFs go there. */
int pager_attach(relay_handle thread, relay_handle ep);

/* Helpers for pagers.  Each uses this thread's scratch slot, from PAGER_SCRATCH_SLOT on. */
#define PAGER_SCRATCH_SLOT 1u
/* A fresh frame from frame_alloc, zeroed (rep stosl through the scratch slot). */
int pager_zero_frame(uint32_t *pa);
/* A fresh frame whose word i is fill(va, i, arg), for the page at va. */
int pager_fill_frame(uint32_t *pa, uint32_t va, uint32_t (*fill)(uint32_t va, uint32_t i, void *arg),
                     void *arg);
/* Copy a page between own frame pa and ordinary memory (a backing store). */
int pager_copy_out(uint32_t pa, void *dst);
int pager_copy_in(uint32_t pa, const void *src);

/*
 * A FIFO of resident pages, for pagers that keep at most n frames: add a
 * page, and when full, the oldest comes out to be evicted.
 */
struct pager_page {
    uint32_t va, pa;
};
struct pager_fifo {
    struct pager_page *slots;     /* n of them, the caller's */
    uint32_t n, head, count;      /* oldest at slots[head] */
};
void pager_fifo_init(struct pager_fifo *q, struct pager_page *slots, uint32_t n);
/* 1 if q holds n pages (the next add needs an eviction first). */
int pager_fifo_full(const struct pager_fifo *q);
/* Take the oldest page out into *out; 0 if q was empty. */
int pager_fifo_evict(struct pager_fifo *q, struct pager_page *out);
/* Add a page (ERR_NO_MEMORY if full). */
int pager_fifo_add(struct pager_fifo *q, uint32_t va, uint32_t pa);

#endif
