/*
 * Endpoints: rendezvous points for synchronous IPC.  Threads waiting to send
 * and threads waiting to receive queue here, each queue FIFO; at most one of
 * the two queues is non-empty at a time.  The queue operations are pure
 * (tests/host/test_endpoint.c); the message transfer is in ipc.c.
 */
#ifndef RELAY_ENDPOINT_H
#define RELAY_ENDPOINT_H

#include "kobject.h"
#include "list.h"
#include "thread.h"

struct factory;

struct endpoint {
    struct kobject obj;
    struct list senders;       /* threads in WAIT_SEND / WAIT_CALL, oldest first */
    struct list receivers;     /* threads in WAIT_RECV, oldest first */
};

void endpoint_init(struct endpoint *ep);
/* Queue a thread that must wait; it records the endpoint in waiting_on. */
void endpoint_wait_send(struct endpoint *ep, struct thread *t, enum ipc_wait how);
/* (Inline: the IPC fast path's reply_recv queues its thread this way.) */
static inline void endpoint_wait_recv(struct endpoint *ep, struct thread *t)
{
    list_push_back(&ep->receivers, &t->queue_node);
    t->wait = WAIT_RECV;
    t->waiting_on = ep;
}
/* The oldest waiting sender or receiver, taken off the queue; NULL if none. */
struct thread *endpoint_take_sender(struct endpoint *ep);
struct thread *endpoint_take_receiver(struct endpoint *ep);
/* Take a waiting thread off whichever queue it is on (timeout, kill, suspend). */
void endpoint_cancel(struct thread *t);

/* A new endpoint made in f.  ERR_NO_MEMORY. */
enum relay_error endpoint_create(struct factory *f, struct endpoint **out);
/* The last reference went: every thread still waiting on ep gets ERR_DELETED
 * at once (kobject_put); the reaper frees the slot. */
void endpoint_dead(struct endpoint *ep);
int endpoint_reap_step(struct endpoint *ep, uint32_t *budget);
/* Nobody can receive from ep any more: its waiting senders get ERR_NO_PARTNER. */
void endpoint_unreceivable(struct endpoint *ep);

#endif
