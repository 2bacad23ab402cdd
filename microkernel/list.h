/*
 * Intrusive doubly-linked circular lists: the run queues, endpoint queues,
 * notification waiters and the timer list are all made of these.  A node that
 * is on no list points at itself.  Pure: tested on the host.
 */
#ifndef RELAY_LIST_H
#define RELAY_LIST_H

#include <stddef.h>

struct list {
    struct list *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }

static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline int list_empty(const struct list *l) { return l->next == l; }
/* For a node: whether it is on some list. */
static inline int list_linked(const struct list *n) { return n->next != n; }

static inline void list_insert_before(struct list *pos, struct list *n)
{
    n->next = pos;
    n->prev = pos->prev;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void list_push_back(struct list *l, struct list *n) { list_insert_before(l, n); }

static inline void list_remove(struct list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static inline struct list *list_pop_front(struct list *l)
{
    if (list_empty(l))
        return NULL;
    struct list *n = l->next;
    list_remove(n);
    return n;
}

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(node, type, member) container_of(node, type, member)

#endif
