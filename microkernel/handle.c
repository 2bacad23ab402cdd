/* Handle tables and the derivation tree: see handle.h. */
#include "handle.h"

/* What a table shows where it has no page: slots no number matches.  So a
 * lookup needs no bounds check (the fast path's, fastpath.h). */
static struct handle no_page[HANDLES_PER_PAGE];
static struct handle *no_dir[HANDLE_DIR_ENTRIES] = { [0 ... HANDLE_DIR_ENTRIES - 1] = no_page };

void handle_table_init(struct handle_table *t, struct kobject *owner)
{
    *t = (struct handle_table){ .dir = no_dir, .owner = owner };
}

int handle_table_empty(const struct handle_table *t) { return t->dir == no_dir; }

#define PAGES_PER_UNIT 8u         /* pages given back for a unit of budget */

int handle_table_release(struct handle_table *t, uint32_t *budget)
{
    t->free = 0;
    for (; t->slots && *budget; t->slots -= HANDLES_PER_PAGE) {
        uint32_t page = t->slots / HANDLES_PER_PAGE - 1;
        handle_page_free(t, t->dir[page]);
        if (page % PAGES_PER_UNIT == 0)
            (*budget)--;
    }
    if (t->slots)
        return 0;
    if (t->dir != no_dir)
        handle_page_free(t, t->dir);
    t->dir = no_dir;
    return 1;
}

/* A page's first slot is its header, never issued: it names the table. */
static struct handle_table *table_of(const struct handle *h)
{
    const struct handle *header =
        (const struct handle *)((uintptr_t)h & ~(uintptr_t)(HANDLE_PAGE_BYTES - 1));
    return (struct handle_table *)header->parent;
}

/* Put a free slot on the free list, unless its generation is used up:
 * retired for good, so that no handle number is ever issued twice. */
static void release_slot(struct handle_table *t, struct handle *h)
{
    if (HANDLE_GEN(h->number) == HANDLE_GEN_MAX)
        return;
    h->next = t->free;
    t->free = h;
}

enum relay_error handle_table_reserve(struct handle_table *t)
{
    if (t->free)
        return ERR_NONE;
    if (t->slots >= HANDLE_TABLE_SLOTS)
        return ERR_NO_SLOT;
    if (t->dir == no_dir) {
        struct handle **dir = handle_page_alloc(t);
        if (!dir)
            return ERR_NO_MEMORY;
        __builtin_memcpy(dir, no_dir, sizeof no_dir);   /* no page anywhere yet */
        t->dir = dir;
    }
    struct handle *page = handle_page_alloc(t);
    if (!page) {
        if (!t->slots) {
            handle_page_free(t, t->dir);
            t->dir = no_dir;
        }
        return ERR_NO_MEMORY;
    }
    uint32_t first = t->slots;
    t->dir[first / HANDLES_PER_PAGE] = page;
    t->slots += HANDLES_PER_PAGE;
    page[0].parent = (struct handle *)t;                  /* the header */
    for (uint32_t i = HANDLES_PER_PAGE; i-- > 1;) {      /* the lowest slot first */
        page[i].number = first + i;                       /* generation 0: never issued */
        release_slot(t, &page[i]);
    }
    return ERR_NONE;
}

static void link_original(struct kobject *obj, struct handle *h)
{
    h->parent = 0;
    h->prev = 0;
    h->next = obj->handles;
    if (obj->handles)
        obj->handles->prev = h;
    obj->handles = h;
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

static void unlink_handle(struct handle *h)
{
    if (h->prev)
        h->prev->next = h->next;
    else if (h->parent)
        h->parent->child = h->next;
    else
        h->obj->handles = h->next;
    if (h->next)
        h->next->prev = h->prev;
    h->parent = h->next = h->prev = 0;
}

/* The first free slot (the caller reserved one), now a handle to obj. */
static struct handle *take_slot(struct handle_table *t, struct kobject *obj, uint32_t rights,
                                uint32_t badge, int badged)
{
    struct handle *h = t->free;
    t->free = h->next;
    *h = (struct handle){ obj, badge, (uint8_t)(rights & RIGHTS_ALL), (uint8_t)badged,
                          obj->home && obj->home == t->owner,
                          HANDLE_SLOT(h->number) | (HANDLE_GEN(h->number) + 1) << HANDLE_SLOT_BITS,
                          0, 0, 0, 0 };
    obj->refs++;
    obj->own_refs += h->own;
    if (h->rights & RIGHT_RECV)
        obj->receivers++;
    return h;
}

enum relay_error handle_create(struct handle_table *t, struct kobject *obj, uint32_t rights,
                               struct handle **out)
{
    enum relay_error err = handle_table_reserve(t);
    if (err == ERR_NONE && KOBJ_TRACKED(obj->type) && t->owner)
        err = kobject_handle_entering(obj, t->owner);
    if (err != ERR_NONE)
        return err;
    struct handle *h = take_slot(t, obj, rights, 0, 0);
    link_original(obj, h);
    *out = h;
    return ERR_NONE;
}

enum relay_error handle_derive(struct handle_table *t, struct handle *src, uint32_t rights,
                               int mint, uint32_t badge, struct handle **out)
{
    if (mint && src->badged)
        return ERR_INVALID;
    enum relay_error err = handle_table_reserve(t);
    if (err == ERR_NONE && KOBJ_TRACKED(src->obj->type) && t->owner)
        err = kobject_handle_entering(src->obj, t->owner);
    if (err != ERR_NONE)
        return err;
    struct handle *h = take_slot(t, src->obj, src->rights & rights,
                                 mint ? badge : src->badge, mint || src->badged);
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
                             0, 0, 0, 0, 0, 0 };
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
        unlink_handle(c);
        if (h->parent)
            link_child(h->parent, c);
        else
            link_original(obj, c);
    }
    if (*budget)
        (*budget)--;
    unlink_handle(h);
    if (KOBJ_TRACKED(obj->type) && h->number && table_of(h)->owner)
        kobject_handle_leaving(obj, h, table_of(h)->owner);
    int last_receiver = h->rights & RIGHT_RECV && --obj->receivers == 0;
    obj->own_refs -= h->own;
    h->own = 0;
    h->obj = 0;
    h->rights = 0;
    h->badge = 0;
    h->badged = 0;
    if (h->number)                         /* in a table, not placed by the kernel */
        release_slot(table_of(h), h);
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
