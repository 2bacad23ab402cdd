/*
 * The supervisor's side of a worker's life (super.c): start it, watch it,
 * end it if it is stuck, take back what it had.  run.c drives it.
 */
#ifndef FUZZ_SUPER_H
#define FUZZ_SUPER_H

#include "fuzz.h"

struct super {
    struct fuzz_run *run;
    relay_handle ep;              /* faults, and the worker's own messages, arrive here */
    relay_handle ep_worker;       /* badged FUZZ_BADGE_WORKER: the worker's own threads' handler */
    relay_handle ep_send;         /* a send-only copy: the workers' parent endpoint */
    relay_handle exits;           /* the worker's exit notification, bound to this thread */
    uint32_t shared_pa;           /* the frame of struct fuzz_shared */
    struct kernel_info start;     /* the kernel's counts before the first worker */
    struct kernel_info base;      /* what a worker must leave: start, or (going on after
                                     a leak) the counts after it */
    /* the worker */
    struct child child;
    relay_handle killer;          /* a thread started in it to end it, or HANDLE_NULL */
    uint32_t first;               /* its first call */
    uint32_t seen, still;         /* calls begun when last looked; ticks since they moved */
    uint32_t kill_tries;          /* wakes since it was found stuck */
    int ended;                    /* 1: it ended; -1: it could not be ended */
};

int super_setup(struct super *s, struct fuzz_run *run);
/* Start a worker for calls [first, first + FUZZ_WORKER_SPAN) of the run. */
int super_start(struct super *s, uint32_t first);
/* Serve and watch it until it has ended. */
void super_watch(struct super *s);
/* Let ticks pass, still answering faults (of tasks a worker left behind). */
void super_pause(struct super *s, uint32_t ticks);
/* After it ended: free its handles and frames; how many frames did not come back. */
uint32_t super_reap(struct super *s);

#endif
