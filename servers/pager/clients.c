/* The default pager's clients: joining, leaving, dying, and the frames they hold. */
#include "defpager.h"

struct client clients[PAGER_CLIENTS_MAX];
struct frame_holders holders;

struct client *client_of(uint32_t badge)
{
    uint32_t slot = badge & ~PAGER_CLIENT_BADGE;
    if (!(badge & PAGER_CLIENT_BADGE) || slot == 0 || slot > PAGER_CLIENTS_MAX
        || !clients[slot - 1].used)
        return NULL;                                /* unbadged, or not a badge of ours */
    return &clients[slot - 1];
}

static struct client *free_slot(void)
{
    for (uint32_t i = 0; i < PAGER_CLIENTS_MAX; i++)
        if (!clients[i].used)
            return &clients[i];
    return NULL;
}

int client_add(relay_handle task, struct client **out)
{
    int err = sys_map_query(task, 0).error;         /* a task we control? */
    if (err != ERR_NONE && err != ERR_NOT_MAPPED) {
        handle_delete(task);
        return err == ERR_RANGE ? ERR_INVALID : err;
    }
    struct client *c = free_slot();
    if (!c && clients_reap())
        c = free_slot();
    if (!c) {
        handle_delete(task);
        return ERR_NO_MEMORY;
    }
    err = handle_mint(pager_ep, client_badge(c), RIGHT_SEND | RIGHT_GRANT, &c->ep);
    if (err) {
        handle_delete(task);
        return err;
    }
    c->used = 1;
    c->task = task;
    space_init(&c->space);
    stats.clients++;
    *out = c;
    return ERR_NONE;
}

void client_unmap_range(struct client *c, uint32_t lo, uint32_t hi)
{
    uint32_t id = client_id(c);
    for (uint32_t va = lo; va < hi && va >= lo; va += PAGE_SIZE) {
        struct sys_result q = sys_map_query(c->task, va);
        if (!q.error && !holders_has(&holders, q.r[0], id) && pager_image_frame(q.r[0]))
            page_unmap(c->task, va);                /* an image's frame: shared, not ours */
        if (q.error || !holders_has(&holders, q.r[0], id))
            continue;
        page_unmap(c->task, va);
        if (holders_drop(&holders, q.r[0], id) == 0)
            frame_free(q.r[0]);
    }
}

void client_drop(struct client *c)
{
    uint32_t id = client_id(c);
    for (uint32_t pa = holders_next(&holders, id, 0); pa != HOLDER_END;
         pa = holders_next(&holders, id, pa + PAGE_SIZE)) {
        if (holders_drop(&holders, pa, id) == 0) {
            sys_frame_revoke(pa);                   /* a dying task must not keep it */
            frame_free(pa);
        }
    }
    holders_forget(&holders, id);
    handle_revoke(c->ep);                           /* its badge goes out of use */
    handle_delete(c->ep);
    handle_delete(c->task);
    *c = (struct client){ 0 };
    stats.clients--;
}

uint32_t clients_reap(void)
{
    uint32_t gone = 0;
    for (uint32_t i = 0; i < PAGER_CLIENTS_MAX; i++) {
        uint32_t state, status;
        struct client *c = &clients[i];
        if (c->used && (task_status(c->task, &state, &status) || state != TASK_ALIVE)) {
            client_drop(c);
            gone++;
        }
    }
    return gone;
}

uint32_t frame_take(void)
{
    uint32_t pa;
    if (frame_alloc(&pa) == ERR_NONE)
        return pa;
    if (clients_reap() && frame_alloc(&pa) == ERR_NONE)
        return pa;
    return 0;
}

int op_register(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)c;
    if (!(in->flags & MSGINFO_HANDLE))
        return ERR_INVALID;
    struct client *n;
    int err = client_add(in->handle, &n);
    if (err)
        return err;
    reply->flags = MSGINFO_HANDLE;
    reply->handle = n->ep;
    return ERR_NONE;
}

int op_detach(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)in, (void)reply;
    if (!c)
        return ERR_INVALID;
    for (uint32_t i = 0; i < REGIONS_MAX; i++) {
        const struct region *r = &c->space.region[i];
        if (r->kind != REGION_NONE)
            client_unmap_range(c, r->start, r->end);
    }
    client_drop(c);
    return ERR_NONE;
}

/* Share the page at va of c with d, read-only in both; c's frame must be ours. */
static int share_page(struct client *c, struct client *d, uint32_t va)
{
    struct sys_result q = sys_map_query(c->task, va);
    if (q.error || !holders_has(&holders, q.r[0], client_id(c)))
        return ERR_NONE;                            /* nothing there, or not ours */
    uint32_t pa = q.r[0];
    if (q.r[1] & MAP_WRITABLE) {
        int err = page_unmap(c->task, va);
        if (!err)
            err = page_map(c->task, va, pa, 0);
        if (err)
            return err;
    }
    int err = page_map(d->task, va, pa, 0);
    if (!err)
        holders_add(&holders, pa, client_id(d));
    return err;
}

int op_duplicate(struct client *c, const struct msg *in, struct msg *reply)
{
    if (!(in->flags & MSGINFO_HANDLE))
        return ERR_INVALID;
    if (!c) {
        handle_delete(in->handle);
        return ERR_INVALID;
    }
    struct client *d;
    int err = client_add(in->handle, &d);
    if (err)
        return err;
    d->space = c->space;
    for (uint32_t i = 0; i < REGIONS_MAX && !err; i++) {
        const struct region *r = &c->space.region[i];
        for (uint32_t va = r->start; r->kind != REGION_NONE && va < r->end && !err; va += PAGE_SIZE)
            err = share_page(c, d, va);
    }
    if (err) {
        op_detach(d, in, reply);
        return err;
    }
    reply->flags = MSGINFO_HANDLE;
    reply->handle = d->ep;
    return ERR_NONE;
}
