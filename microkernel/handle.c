/* Handle tables and the derivation tree: see handle.h. */
#include "handle.h"

#define GEN_SHIFT 8
#define GEN_MASK  0xFFFFFFu

void handle_table_init(struct handle_table *t, struct kobject *owner)
{
    for (uint32_t i = 0; i < HANDLE_SLOTS; i++)
        t->slot[i] = (struct handle){ .gen = 0 };
    t->owner = owner;
}

relay_handle handle_number(const struct handle_table *t, const struct handle *h)
{
    return (relay_handle)(h - t->slot) | h->gen << GEN_SHIFT;
}

enum relay_error handle_find(struct handle_table *t, relay_handle number, struct handle **out)
{
    uint32_t index = number & (HANDLE_SLOTS - 1), gen = number >> GEN_SHIFT;
    if (index == 0 || gen == 0)
        return ERR_BAD_HANDLE;
    struct handle *h = &t->slot[index];
    if (gen > h->gen)
        return ERR_BAD_HANDLE;                 /* this slot never had that handle */
    if (gen < h->gen || !h->obj)
        return ERR_STALE_HANDLE;
    *out = h;
    return ERR_NONE;
}

enum relay_error handle_lookup(struct handle_table *t, relay_handle number,
                               enum kobj_type type, uint32_t rights, struct handle **out)
{
    struct handle *h;
    enum relay_error err = handle_find(t, number, &h);
    if (err != ERR_NONE)
        return err;
    if (h->obj->dead)
        return ERR_DELETED;
    if (type != KOBJ_NONE && h->obj->type != type)
        return ERR_WRONG_TYPE;
    if ((h->rights & rights) != rights)
        return ERR_NO_RIGHTS;
    *out = h;
    return ERR_NONE;
}

/* A free slot.  A slot whose generation is used up is retired for good,
 * so that no handle number is ever issued twice. */
static struct handle *free_slot(struct handle_table *t)
{
    for (uint32_t i = 1; i < HANDLE_SLOTS; i++)
        if (!t->slot[i].obj && t->slot[i].gen != GEN_MASK)
            return &t->slot[i];
    return 0;
}

int handle_table_has_room(const struct handle_table *t)
{
    return free_slot((struct handle_table *)t) != 0;
}

static struct handle *take_slot(struct handle_table *t, struct kobject *obj, uint32_t rights,
                                uint32_t badge, int badged)
{
    struct handle *h = free_slot(t);
    if (!h)
        return 0;
    *h = (struct handle){ obj, badge, (uint8_t)(rights & RIGHTS_ALL), (uint8_t)badged,
                          obj->home && obj->home == t->owner, h->gen + 1, 0, 0, 0, 0 };
    obj->refs++;
    obj->own_refs += h->own;
    if (h->rights & RIGHT_RECV)
        obj->receivers++;
    return h;
}

enum relay_error handle_create(struct handle_table *t, struct kobject *obj, uint32_t rights,
                               struct handle **out)
{
    struct handle *h = take_slot(t, obj, rights, 0, 0);
    if (!h)
        return ERR_NO_SLOT;
    *out = h;
    return ERR_NONE;
}

static void link_child(struct handle *parent, struct handle *h)
{
    h->parent = parent;
    h->prev = 0;
    h->next = parent->child;
    if (parent->child)
        parent->child->prev = h;
    parent->child = h;
}

static void unlink_child(struct handle *h)
{
    if (h->prev)
        h->prev->next = h->next;
    else if (h->parent)
        h->parent->child = h->next;
    if (h->next)
        h->next->prev = h->prev;
    h->parent = h->next = h->prev = 0;
}

enum relay_error handle_derive(struct handle_table *t, struct handle *src, uint32_t rights,
                               int mint, uint32_t badge, struct handle **out)
{
    if (mint && src->badged)
        return ERR_INVALID;
    struct handle *h = take_slot(t, src->obj, src->rights & rights,
                                 mint ? badge : src->badge, mint || src->badged);
    if (!h)
        return ERR_NO_SLOT;
    link_child(src, h);
    *out = h;
    return ERR_NONE;
}

void handle_place(struct handle *slot, struct handle *src, uint32_t rights)
{
    if (slot == src)
        return;
    if (slot->obj)
        handle_delete(slot);
    *slot = (struct handle){ src->obj, src->badge, (uint8_t)(src->rights & rights), src->badged,
                             0, slot->gen, 0, 0, 0, 0 };
    src->obj->refs++;
    if (slot->rights & RIGHT_RECV)
        src->obj->receivers++;
    link_child(src, slot);
}

int handle_delete_step(struct handle *h, uint32_t *budget)
{
    struct kobject *obj = h->obj;
    /* Derived handles move up to h's parent (or become originals). */
    while (h->child) {
        if (!*budget)
            return 0;
        (*budget)--;
        struct handle *c = h->child;
        unlink_child(c);
        if (h->parent)
            link_child(h->parent, c);
    }
    if (*budget)
        (*budget)--;
    unlink_child(h);
    int last_receiver = h->rights & RIGHT_RECV && --obj->receivers == 0;
    obj->own_refs -= h->own;
    h->own = 0;
    h->obj = 0;
    h->rights = 0;
    h->badge = 0;
    h->badged = 0;
    if (last_receiver && obj->refs > 1)    /* if it is going anyway, destruction tells them */
        kobject_unreceivable(obj);
    kobject_put(obj);
    return 1;
}

void handle_delete(struct handle *h)
{
    uint32_t unlimited = UINT32_MAX;
    handle_delete_step(h, &unlimited);
}

int handle_revoke_step(struct handle *h, uint32_t *budget)
{
    /* h's children go one by one, each handing its own children up to h:
     * no handle moves twice, none is walked to twice. */
    while (h->child && *budget)
        handle_delete_step(h->child, budget);
    return !h->child;
}
