/* Endpoint queues and the endpoint pool: see endpoint.h. */
#include "endpoint.h"
#include "ipc.h"
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

void endpoint_wait_recv(struct endpoint *ep, struct thread *t)
{
    list_push_back(&ep->receivers, &t->queue_node);
    t->wait = WAIT_RECV;
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
static struct endpoint pool[ENDPOINTS_MAX];
unsigned endpoints_in_use;

struct endpoint *endpoint_at(unsigned i) { return &pool[i]; }

enum relay_error endpoint_create(struct endpoint **out)
{
    for (unsigned i = 0; i < ENDPOINTS_MAX; i++) {
        struct endpoint *ep = &pool[i];
        if (ep->obj.type != KOBJ_NONE)
            continue;
        ep->obj = KOBJECT_INIT(KOBJ_ENDPOINT, 0);
        endpoints_in_use++;
        endpoint_init(ep);
        *out = ep;
        return ERR_NONE;
    }
    return ERR_NO_MEMORY;
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
    if (ep->obj.refs == 0 && !ep->obj.reaping) {
        ep->obj.type = KOBJ_NONE;
        endpoints_in_use--;
    }
    return 1;
}
#endif
