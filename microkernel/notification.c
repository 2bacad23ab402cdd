/* Notifications: see notification.h. */
#include "notification.h"
#include "ipc.h"
#include "kmem.h"
#include "sched.h"

enum relay_error notification_create(struct factory *f, struct notification **out)
{
    struct notification *n = kobject_new(f, KOBJ_NOTIFICATION, sizeof *n, 0);
    if (!n)
        return ERR_NO_MEMORY;
    list_init(&n->waiters);
    *out = n;
    return ERR_NONE;
}

void notification_signal(struct notification *n, uint32_t bits)
{
    n->bits |= bits;
    if (!n->bits)
        return;
    struct thread *t = 0;
    uint32_t badge = 0;
    if (!list_empty(&n->waiters)) {
        t = list_entry(n->waiters.next, struct thread, queue_node);
        badge = t->send_badge;
    } else if (n->bound && n->bound->state == THREAD_BLOCKED && n->bound->wait == WAIT_RECV) {
        t = n->bound;
        badge = n->bound_badge;
    }
    if (!t)
        return;                             /* the bits wait for the next wait or recv */
    ipc_cancel(t, ERR_NONE);
    ipc_notify_result(t, n, badge);
    sched_wake(t);
}

void notification_dead(struct notification *n)
{
    while (!list_empty(&n->waiters))
        ipc_abort(list_entry(n->waiters.next, struct thread, queue_node), ERR_DELETED);
    if (n->bound)
        n->bound->bound = 0;
    n->bound = 0;
}

int notification_reap_step(struct notification *n, uint32_t *budget)
{
    (*budget)--;
    if (n->obj.refs == 0 && !n->obj.reaping)
        kobject_free(&n->obj);
    return 1;
}
