/*
 * Pagers: user-level page-fault handlers (DESIGN.md section 7, docs/PAGER.md).
 *
 * A page fault of a thread whose pager endpoint is set (pager_attach) is a
 * call labelled LABEL_FAULT, marked MSGINFO_KERNEL, to that endpoint
 * (ipc/relay/fault.h).  The framework receives it, decodes it
 * (fault_decode), asks a pager_fn what to do, and replies:
 *
 *   PAGER_MAP          FAULT_MAP: the kernel maps a.frame (a frame this
 *                      task owns) at the faulting page, writable if a.flags
 *                      has MAP_WRITABLE, and retries -- one call
 *   PAGER_RETRY        FAULT_RETRY: the pager mapped the page itself (page_map)
 *   PAGER_KILL_THREAD  FAULT_KILL_THREAD
 *   PAGER_KILL_TASK    FAULT_KILL_TASK with a.status
 *   PAGER_FORWARD      hierarchical pagers: call a.forward (the parent pager's
 *                      endpoint) with the same fault record, labelled
 *                      LABEL_FAULT_FORWARDED, and relay its answer as ours.
 *                      The parent's framework hands it to its pager_fn with
 *                      f->forwarded set and f->badge that of the handle it
 *                      came through: a claim, which it may refuse.  The kernel checks a
 *                      FAULT_MAP against the task that replies -- this one --
 *                      so a parent answering a forwarded fault with a frame
 *                      must have given it to this task first (frame_give)
 *                      or answer RETRY after mapping it itself.
 *
 * Anything else -- a LABEL_FAULT without the kernel's mark, a notification --
 * gets no answer and never reaches the pager_fn.
 *
 * A pager_fn returning an error (not ERR_NONE), or an answer the framework
 * cannot carry out, kills the faulting task with PAGER_STATUS_FAILED
 * ("killed by SIGBUS").  Faults other than #PF reaching a pager kill the
 * task with the vector as status, as if it had no handler.
 *
 * The kernel may refuse a FAULT_MAP (ERR_NOT_OWNER: not this task's frame;
 * ERR_RANGE: the faulting address is kernel space; ERR_QUOTA ...): the
 * faulting thread then dies (NOTICE_BAD_REPLY to the supervisor) and the
 * framework counts the refusal in struct pager_stats.  A FAULT_MAP never
 * replaces a mapping: for a page mapped already the kernel says ERR_MAPPED
 * (the frame was not used) and the thread retries if that mapping satisfies
 * its fault, else it dies; to make a read-only page writable, map_protect it
 * and answer PAGER_RETRY.
 *
 * pager_reply, pager_fifo_* are pure (host-tested in
 * tests/host/test_libos_pager.c).
 */
#ifndef LIBOS_PAGER_H
#define LIBOS_PAGER_H

#include <stdint.h>
#include <relay/faults.h>
#include <relay/msg.h>

#define PAGERS_MAX 4u                     /* pager_start threads in one task */
#define PAGER_STATUS_FAILED (128u + 7u)   /* 128 + SIGBUS: the pager could not serve the fault */

enum pager_verdict {
    PAGER_MAP,            /* map frame at the faulting page (flags: MAP_WRITABLE or 0) */
    PAGER_RETRY,          /* already mapped: run the instruction again */
    PAGER_KILL_THREAD,
    PAGER_KILL_TASK,      /* with status */
    PAGER_FORWARD,        /* ask the pager at forward and relay its answer */
};

struct pager_answer {
    enum pager_verdict verdict;
    uint32_t frame;               /* PAGER_MAP: a frame this task owns */
    uint32_t flags;               /* PAGER_MAP: MAP_WRITABLE or 0 */
    uint32_t status;              /* PAGER_KILL_TASK: the task's TASK_KILLED status */
    relay_handle forward;         /* PAGER_FORWARD: an endpoint (RIGHT_SEND) */
};

/* Decide about fault f (a #PF) by filling *a; ERR_NONE, or an error to kill the task. */
typedef int (*pager_fn)(const struct fault *f, struct pager_answer *a, void *arg);

struct pager_stats {
    uint32_t faults;              /* page faults taken */
    uint32_t maps;                /* answered PAGER_MAP (and the kernel mapped) */
    uint32_t forwards;            /* passed to another pager */
    uint32_t kills;               /* answered with a kill, by choice or failure */
    uint32_t refused;             /* replies the kernel refused */
    int last_refusal;             /* the kernel's error for the last one */
};

/*
 * Serve page faults arriving on ep (RIGHT_RECV) for ever, counting in
 * *stats if it is not NULL.  Messages that are not faults get no answer.
 * Returns only when ep becomes unusable, with that error.
 */
int pager_serve(relay_handle ep, pager_fn fn, void *arg);
int pager_serve_counted(relay_handle ep, pager_fn fn, void *arg, struct pager_stats *stats);

/*
 * A pager in this task: a new endpoint (from the startup factory) and a
 * thread at priority running pager_serve on it.  *ep_out gets the endpoint,
 * to pager_attach threads to (or handle_give to another task).
 * ERR_NO_MEMORY when PAGERS_MAX run, else endpoint_create's or
 * thread_spawn's error (nothing is left behind then).
 */
int pager_start(pager_fn fn, void *arg, uint32_t priority, relay_handle *ep_out);
/* The counters of the pager pager_start started on ep; NULL if none. */
const struct pager_stats *pager_stats(relay_handle ep);

/* Make ep (RIGHT_SEND) the pager of thread (RIGHT_CONTROL): its #PFs go there. */
int pager_attach(relay_handle thread, relay_handle ep);

/* Helpers for pager_fns.  Each uses scratch slot PAGER_SCRATCH_SLOT. */
#define PAGER_SCRATCH_SLOT 1u
/* A fresh frame from frame_alloc, zeroed (rep stosl through the scratch slot). */
int pager_zero_frame(uint32_t *pa);
/* A fresh frame whose word i is fill(va, i, arg), for the page at va. */
int pager_fill_frame(uint32_t *pa, uint32_t va, uint32_t (*fill)(uint32_t va, uint32_t i, void *arg),
                     void *arg);
/* Copy a page between own frame pa and ordinary memory (a backing store). */
int pager_copy_out(uint32_t pa, void *dst);
int pager_copy_in(uint32_t pa, const void *src);

/* --- Pure: the reply that carries out a (for FORWARD: none, returns 0). */
int pager_reply(const struct fault *f, const struct pager_answer *a, struct msg *reply);

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
