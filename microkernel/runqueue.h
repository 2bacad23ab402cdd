/*
 * The ready threads, by priority: one FIFO list per priority and a bitmap of
 * the non-empty ones, so choosing the next thread is O(1): the head of the
 * highest non-empty list (fixed priorities, round-robin inside a priority).
 * Pure: tests/host/test_runqueue.c checks the choice order.
 */
#ifndef RELAY_RUNQUEUE_H
#define RELAY_RUNQUEUE_H

#include <stdint.h>
#include "list.h"

#include "relay/ipc.h"

#define PRIORITIES THREAD_PRIORITIES   /* 0 lowest .. 31 highest */

struct runqueue {
    struct list level[PRIORITIES];
    uint32_t nonempty;     /* bit p set: level[p] has a thread */
};

void runqueue_init(struct runqueue *rq);
void runqueue_push_back(struct runqueue *rq, struct list *node, unsigned prio);
void runqueue_push_front(struct runqueue *rq, struct list *node, unsigned prio);
void runqueue_remove(struct runqueue *rq, struct list *node, unsigned prio);
/* The first node of the highest non-empty level, left in place; NULL if none. */
struct list *runqueue_peek(const struct runqueue *rq, unsigned *prio);

#endif
