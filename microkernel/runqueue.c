/* Priority run queues: see runqueue.h. */
#include "runqueue.h"

void runqueue_init(struct runqueue *rq)
{
    for (unsigned p = 0; p < PRIORITIES; p++)
        list_init(&rq->level[p]);
    rq->nonempty = 0;
}

void runqueue_push_back(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_push_back(&rq->level[prio], node);
    rq->nonempty |= 1u << prio;
}

void runqueue_push_front(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_insert_before(rq->level[prio].next, node);
    rq->nonempty |= 1u << prio;
}

void runqueue_remove(struct runqueue *rq, struct list *node, unsigned prio)
{
    list_remove(node);
    if (list_empty(&rq->level[prio]))
        rq->nonempty &= ~(1u << prio);
}

struct list *runqueue_peek(const struct runqueue *rq, unsigned *prio)
{
    if (!rq->nonempty)
        return NULL;
    unsigned p = 31u - (unsigned)__builtin_clz(rq->nonempty);
    *prio = p;
    return rq->level[p].next;
}
