/*
 * Endpoint queues (microkernel/endpoint.c, built with HOST_TEST: the queue
 * operations only).  Waiting senders and receivers are served FIFO (ABI
 * section 4); endpoint_cancel, which a timeout, a kill or a suspend uses,
 * takes one waiter out and leaves the others in order.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "endpoint.h"

#define THREADS 16

static struct endpoint ep, ep2;
static struct thread th[THREADS];

static void setup(void)
{
    endpoint_init(&ep);
    endpoint_init(&ep2);
    for (unsigned i = 0; i < THREADS; i++) {
        th[i] = (struct thread){ .id = (uint16_t)i, .state = THREAD_RUNNING };
        list_init(&th[i].queue_node);
        list_init(&th[i].task_node);
        list_init(&th[i].timer_node);
    }
}

TestSuite(endpoint, .init = setup);

static int id(const struct thread *t)
{
    if (!t)
        return -1;
    cr_assert(t >= th && t < th + THREADS, "a foreign thread came out of the queue");
    return t->id;
}

/* Take every sender (or receiver); their ids must be `want`, then the queue is empty. */
static void assert_senders(struct endpoint *e, const int *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct thread *t = endpoint_take_sender(e);
        cr_assert_eq(id(t), want[i], "sender %u: thread %d, expected %d", i, id(t), want[i]);
        cr_assert_not(list_linked(&t->queue_node), "a taken thread is on no queue");
    }
    cr_assert_null(endpoint_take_sender(e), "senders left over");
    cr_assert(list_empty(&e->senders));
}

static void assert_receivers(struct endpoint *e, const int *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct thread *t = endpoint_take_receiver(e);
        cr_assert_eq(id(t), want[i], "receiver %u: thread %d, expected %d", i, id(t), want[i]);
        cr_assert_not(list_linked(&t->queue_node), "a taken thread is on no queue");
    }
    cr_assert_null(endpoint_take_receiver(e), "receivers left over");
    cr_assert(list_empty(&e->receivers));
}

/* ------------------------------------------------------------ the empty endpoint */

Test(endpoint, a_new_endpoint_has_nobody_waiting)
{
    cr_assert(list_empty(&ep.senders));
    cr_assert(list_empty(&ep.receivers));
    cr_assert_null(endpoint_take_sender(&ep));
    cr_assert_null(endpoint_take_receiver(&ep));
}

Test(endpoint, take_on_an_emptied_queue_is_null)
{
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);
    cr_assert_eq(endpoint_take_sender(&ep), &th[0]);
    cr_assert_null(endpoint_take_sender(&ep));
    endpoint_wait_recv(&ep, &th[1]);
    cr_assert_eq(endpoint_take_receiver(&ep), &th[1]);
    cr_assert_null(endpoint_take_receiver(&ep));
}

/* ------------------------------------------------------------ what the wait functions record */

Test(endpoint, wait_send_records_how_and_where)
{
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);
    endpoint_wait_send(&ep2, &th[1], WAIT_CALL);
    cr_assert_eq(th[0].wait, WAIT_SEND);
    cr_assert_eq(th[0].waiting_on, &ep);
    cr_assert_eq(th[1].wait, WAIT_CALL);
    cr_assert_eq(th[1].waiting_on, &ep2);
    cr_assert(list_linked(&th[0].queue_node));
}

Test(endpoint, wait_recv_records_how_and_where)
{
    endpoint_wait_recv(&ep2, &th[3]);
    cr_assert_eq(th[3].wait, WAIT_RECV);
    cr_assert_eq(th[3].waiting_on, &ep2);
    cr_assert(list_linked(&th[3].queue_node));
}

Test(endpoint, taking_a_sender_keeps_how_it_waited)
{
    /* ipc_recv reads s->wait after the take to tell a send from a call. */
    endpoint_wait_send(&ep, &th[0], WAIT_CALL);
    endpoint_wait_send(&ep, &th[1], WAIT_SEND);
    cr_assert_eq(endpoint_take_sender(&ep)->wait, WAIT_CALL);
    cr_assert_eq(endpoint_take_sender(&ep)->wait, WAIT_SEND);
}

/* ------------------------------------------------------------ FIFO */

Test(endpoint, senders_are_served_fifo)
{
    static const int order[] = { 4, 1, 7, 0, 9 };
    for (unsigned i = 0; i < 5; i++)
        endpoint_wait_send(&ep, &th[order[i]], i % 2 ? WAIT_CALL : WAIT_SEND);
    cr_assert(list_empty(&ep.receivers), "senders never land in the receiver queue");
    assert_senders(&ep, order, 5);
}

Test(endpoint, receivers_are_served_fifo)
{
    static const int order[] = { 2, 3, 11, 5 };
    for (unsigned i = 0; i < 4; i++)
        endpoint_wait_recv(&ep, &th[order[i]]);
    cr_assert(list_empty(&ep.senders), "receivers never land in the sender queue");
    assert_receivers(&ep, order, 4);
}

Test(endpoint, fifo_while_arriving_and_leaving)
{
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);
    endpoint_wait_send(&ep, &th[1], WAIT_SEND);
    cr_assert_eq(endpoint_take_sender(&ep), &th[0]);
    endpoint_wait_send(&ep, &th[2], WAIT_SEND);
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);       /* th[0] comes back: to the end */
    static const int order[] = { 1, 2, 0 };
    assert_senders(&ep, order, 3);
}

Test(endpoint, endpoints_keep_separate_queues)
{
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);
    endpoint_wait_send(&ep2, &th[1], WAIT_SEND);
    endpoint_wait_recv(&ep2, &th[2]);
    endpoint_wait_send(&ep, &th[3], WAIT_SEND);
    static const int on_ep[] = { 0, 3 }, on_ep2[] = { 1 }, recv_ep2[] = { 2 };
    assert_senders(&ep, on_ep, 2);
    assert_senders(&ep2, on_ep2, 1);
    assert_receivers(&ep2, recv_ep2, 1);
    assert_receivers(&ep, NULL, 0);
}

/* ------------------------------------------------------------ cancel: timeouts and kills */

static void queue_senders(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        endpoint_wait_send(&ep, &th[i], WAIT_SEND);
}

static void queue_receivers(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        endpoint_wait_recv(&ep, &th[i]);
}

static void assert_cancelled(unsigned i)
{
    cr_assert_null(th[i].waiting_on, "thread %u still records an endpoint", i);
    cr_assert_not(list_linked(&th[i].queue_node), "thread %u is still queued", i);
}

Test(endpoint, cancel_the_head_sender)
{
    queue_senders(4);
    endpoint_cancel(&th[0]);
    assert_cancelled(0);
    static const int order[] = { 1, 2, 3 };
    assert_senders(&ep, order, 3);
}

Test(endpoint, cancel_a_middle_sender)
{
    queue_senders(4);
    endpoint_cancel(&th[2]);
    assert_cancelled(2);
    static const int order[] = { 0, 1, 3 };
    assert_senders(&ep, order, 3);
}

Test(endpoint, cancel_the_tail_sender)
{
    queue_senders(4);
    endpoint_cancel(&th[3]);
    assert_cancelled(3);
    static const int order[] = { 0, 1, 2 };
    assert_senders(&ep, order, 3);
}

Test(endpoint, cancel_the_only_sender)
{
    queue_senders(1);
    endpoint_cancel(&th[0]);
    assert_cancelled(0);
    assert_senders(&ep, NULL, 0);
}

Test(endpoint, cancel_the_head_receiver)
{
    queue_receivers(4);
    endpoint_cancel(&th[0]);
    assert_cancelled(0);
    static const int order[] = { 1, 2, 3 };
    assert_receivers(&ep, order, 3);
}

Test(endpoint, cancel_a_middle_receiver)
{
    queue_receivers(5);
    endpoint_cancel(&th[1]);
    endpoint_cancel(&th[3]);
    assert_cancelled(1);
    assert_cancelled(3);
    static const int order[] = { 0, 2, 4 };
    assert_receivers(&ep, order, 3);
}

Test(endpoint, cancel_the_tail_receiver)
{
    queue_receivers(4);
    endpoint_cancel(&th[3]);
    assert_cancelled(3);
    static const int order[] = { 0, 1, 2 };
    assert_receivers(&ep, order, 3);
}

Test(endpoint, cancel_every_waiter_in_turn)
{
    queue_senders(6);
    static const unsigned kill_order[] = { 3, 0, 5, 1, 4, 2 };
    int left[6] = { 0, 1, 2, 3, 4, 5 };
    unsigned n = 6;
    for (unsigned k = 0; k < 6; k++) {
        endpoint_cancel(&th[kill_order[k]]);
        assert_cancelled(kill_order[k]);
        unsigned w = 0;
        for (unsigned r = 0; r < n; r++)
            if (left[r] != (int)kill_order[k])
                left[w++] = left[r];
        n = w;
        /* The queue, read front to back, holds exactly `left`. */
        unsigned i = 0;
        for (struct list *node = ep.senders.next; node != &ep.senders; node = node->next, i++) {
            cr_assert_lt(i, n, "more waiters than expected");
            cr_assert_eq(list_entry(node, struct thread, queue_node)->id, left[i], "position %u", i);
        }
        cr_assert_eq(i, n);
    }
    cr_assert(list_empty(&ep.senders));
}

Test(endpoint, cancel_a_thread_that_is_not_waiting_changes_nothing)
{
    queue_senders(3);
    endpoint_cancel(&th[7]);                        /* never queued */
    cr_assert_eq(endpoint_take_sender(&ep), &th[0]);
    endpoint_cancel(&th[0]);                        /* taken already: its partner came */
    assert_cancelled(0);
    static const int order[] = { 1, 2 };
    assert_senders(&ep, order, 2);
}

Test(endpoint, cancel_twice_is_harmless)
{
    queue_receivers(3);
    endpoint_cancel(&th[1]);
    endpoint_cancel(&th[1]);
    assert_cancelled(1);
    static const int order[] = { 0, 2 };
    assert_receivers(&ep, order, 2);
}

Test(endpoint, cancel_only_touches_the_threads_own_endpoint)
{
    /* A kill: the thread is on one queue of one endpoint; nobody else moves. */
    endpoint_wait_send(&ep, &th[0], WAIT_SEND);
    endpoint_wait_send(&ep, &th[1], WAIT_CALL);
    endpoint_wait_recv(&ep2, &th[2]);
    endpoint_wait_recv(&ep2, &th[3]);
    endpoint_cancel(&th[1]);
    endpoint_cancel(&th[2]);
    assert_cancelled(1);
    assert_cancelled(2);
    static const int senders[] = { 0 }, receivers[] = { 3 };
    assert_senders(&ep, senders, 1);
    assert_receivers(&ep2, receivers, 1);
}

Test(endpoint, a_cancelled_thread_can_wait_again)
{
    queue_senders(3);
    endpoint_cancel(&th[0]);                        /* timed out; it retries */
    endpoint_wait_send(&ep, &th[0], WAIT_CALL);
    cr_assert_eq(th[0].waiting_on, &ep);
    cr_assert_eq(th[0].wait, WAIT_CALL);
    static const int order[] = { 1, 2, 0 };
    assert_senders(&ep, order, 3);
}

Test(endpoint, a_cancelled_receiver_can_wait_on_another_endpoint)
{
    queue_receivers(2);
    endpoint_cancel(&th[0]);
    endpoint_wait_recv(&ep2, &th[0]);
    cr_assert_eq(th[0].waiting_on, &ep2);
    static const int on_ep[] = { 1 }, on_ep2[] = { 0 };
    assert_receivers(&ep, on_ep, 1);
    assert_receivers(&ep2, on_ep2, 1);
}
