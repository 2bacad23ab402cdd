/* The default pager's region requests: anonymous memory, the heap, stacks, stats. */
#include "defpager.h"

int op_map_anon(struct client *c, const struct msg *in, struct msg *reply)
{
    if (!c || in->length < 2)
        return ERR_INVALID;
    uint32_t at;
    int err = space_map_anon(&c->space, in->w[0], in->w[1], &at);
    if (err)
        return err;
    reply->w[0] = at;
    reply->length = 1;
    return ERR_NONE;
}

int op_unmap(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)reply;
    if (!c || in->length < 2)
        return ERR_INVALID;
    struct region gone;
    int err = space_remove(&c->space, in->w[0], in->w[1], &gone);
    if (!err)
        client_unmap_range(c, gone.start, gone.end);
    return err;
}

int op_sbrk(struct client *c, const struct msg *in, struct msg *reply)
{
    if (!c || in->length < 1)
        return ERR_INVALID;
    uint32_t old, drop_lo, drop_hi;
    int err = space_sbrk(&c->space, (int32_t)in->w[0], &old, &drop_lo, &drop_hi);
    if (err)
        return err;
    client_unmap_range(c, drop_lo, drop_hi);
    reply->w[0] = old;
    reply->length = 1;
    return ERR_NONE;
}

int op_stack(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)reply;
    if (!c || in->length < 2)
        return ERR_INVALID;
    return space_add_stack(&c->space, in->w[0], in->w[1]);
}

int op_stats(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)c, (void)in;
    clients_reap();
    stats.frames_free = frame_free_count();
    memcpy(reply->w, &stats, sizeof stats);
    reply->length = PAGER_STATS_WORDS;
    return ERR_NONE;
}
