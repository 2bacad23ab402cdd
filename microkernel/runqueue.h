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

/* Inline: every switch goes through them. */
static inline void runqueue_push_back(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_push_back(&rq->level[prio], node);
    rq->nonempty |= 1u << prio;
}

static inline void runqueue_push_front(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_insert_before(rq->level[prio].next, node);
    rq->nonempty |= 1u << prio;
}

static inline void runqueue_remove(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_remove(node);
    if (list_empty(&rq->level[prio]))
        rq->nonempty &= ~(1u << prio);
}

/* The first node of the highest non-empty level, left in place; NULL if none. */
static inline struct list *runqueue_peek(const struct runqueue *rq, unsigned *prio)
{
    if (!rq->nonempty)
        return NULL;
    unsigned p = 31u - (unsigned)__builtin_clz(rq->nonempty);
    *prio = p;
    return rq->level[p].next;
}

#endif
