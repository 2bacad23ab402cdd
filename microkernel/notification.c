/* Notifications and their pool: see notification.h. */
#include "notification.h"
#include "ipc.h"
#include "sched.h"

static struct notification pool[NOTIFICATIONS_MAX];
unsigned notifications_in_use;

struct notification *notification_at(unsigned i) { return &pool[i]; }

enum relay_error notification_create(struct notification **out)
{
    for (unsigned i = 0; i < NOTIFICATIONS_MAX; i++) {
        struct notification *n = &pool[i];
        if (n->obj.type != KOBJ_NONE)
            continue;
        n->obj = KOBJECT_INIT(KOBJ_NOTIFICATION, 0);
        notifications_in_use++;
        n->bits = 0;
        list_init(&n->waiters);
        n->bound = 0;
        *out = n;
        return ERR_NONE;
    }
    return ERR_NO_MEMORY;
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
    sched_make_ready(t);
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
    if (n->obj.refs == 0 && !n->obj.reaping) {
        n->obj.type = KOBJ_NONE;
        notifications_in_use--;
    }
    return 1;
}
