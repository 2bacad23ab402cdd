/* Priority run queues: see runqueue.h. */
#include "runqueue.h"

void runqueue_init(struct runqueue *rq)
{
    for (unsigned p = 0; p < PRIORITIES; p++)
        list_init(&rq->level[p]);
    rq->nonempty = 0;
}
