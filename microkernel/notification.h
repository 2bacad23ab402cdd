/*
 * Notifications: a word of bits that signal ORs in and wait takes out, for
 * interrupts and events.  A notification can be bound to one thread, whose
 * recv on an endpoint then also returns when bits arrive.
 */
#ifndef RELAY_NOTIFICATION_H
#define RELAY_NOTIFICATION_H

#include <stdint.h>
#include "kobject.h"
#include "list.h"
#include "thread.h"

struct factory;

struct notification {
    struct kobject obj;
    uint32_t bits;             /* pending */
    struct list waiters;       /* threads in WAIT_NOTIFY, oldest first */
    struct thread *bound;      /* its recv also takes these bits; NULL if none */
    uint32_t bound_badge;      /* the badge of the handle it was bound with */
};

/* A new notification made in f.  ERR_NO_MEMORY. */
enum relay_error notification_create(struct factory *f, struct notification **out);
/* The last reference went: its waiters get ERR_DELETED and a bound thread is
 * unbound at once (kobject_put); the reaper frees the slot. */
void notification_dead(struct notification *n);
int notification_reap_step(struct notification *n, uint32_t *budget);
void notification_signal(struct notification *n, uint32_t bits);

#endif
