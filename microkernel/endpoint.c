/* Endpoint queues and endpoints: see endpoint.h. */
#include "endpoint.h"
#include "ipc.h"
#include "kmem.h"
#include "sched.h"

void endpoint_init(struct endpoint *ep)
{
    list_init(&ep->senders);
    list_init(&ep->receivers);
}

void endpoint_wait_send(struct endpoint *ep, struct thread *t, enum ipc_wait how)
{
    list_push_back(&ep->senders, &t->queue_node);
    t->wait = (uint8_t)how;
    t->waiting_on = ep;
}

static struct thread *take(struct list *queue)
{
    struct list *n = list_pop_front(queue);
    return n ? list_entry(n, struct thread, queue_node) : 0;
}

struct thread *endpoint_take_sender(struct endpoint *ep) { return take(&ep->senders); }
struct thread *endpoint_take_receiver(struct endpoint *ep) { return take(&ep->receivers); }

void endpoint_cancel(struct thread *t)
{
    if (list_linked(&t->queue_node))
        list_remove(&t->queue_node);
    t->waiting_on = 0;
}

#ifndef HOST_TEST
enum relay_error endpoint_create(struct factory *f, struct endpoint **out)
{
    struct endpoint *ep = kobject_new(f, KOBJ_ENDPOINT, sizeof *ep, 0);
    if (!ep)
        return ERR_NO_MEMORY;
    endpoint_init(ep);
    *out = ep;
    return ERR_NONE;
}

void endpoint_unreceivable(struct endpoint *ep)
{
    struct thread *t;
    while ((t = take(&ep->senders)))
        ipc_abort(t, ERR_NO_PARTNER);      /* a fault being delivered here dooms its thread */
}

void endpoint_dead(struct endpoint *ep)
{
    struct thread *t;
    while ((t = take(&ep->senders)) || (t = take(&ep->receivers)))
        ipc_abort(t, ERR_DELETED);         /* a fault being delivered here dooms its thread */
}

int endpoint_reap_step(struct endpoint *ep, uint32_t *budget)
{
    (*budget)--;
    if (ep->obj.refs == 0 && !ep->obj.reaping)
        kobject_free(&ep->obj);
    return 1;
}
#endif
