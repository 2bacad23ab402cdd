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

/* The last kills, for DEATH: a ring. */
static struct {
    uint32_t task, vector, error_code, eip, cr2;
} deaths[PAGER_DEATHS_KEPT];
static uint32_t deaths_next;

void death_record(const struct fault_record *r)
{
    deaths[deaths_next % PAGER_DEATHS_KEPT] = (typeof(deaths[0])){ r->task, r->vector, r->error_code,
                                                                    r->eip, r->cr2 };
    deaths_next++;
}

int op_death(struct client *c, const struct msg *in, struct msg *reply)
{
    (void)c;
    if (in->badge != 0)
        return ERR_NO_RIGHTS;                       /* the parent's unbadged endpoint only */
    if (in->length < 1)
        return ERR_INVALID;
    for (uint32_t i = 0; i < PAGER_DEATHS_KEPT && i < deaths_next; i++) {
        uint32_t k = (deaths_next - 1 - i) % PAGER_DEATHS_KEPT;   /* the latest first */
        if (deaths[k].task == in->w[0]) {
            reply->w[0] = deaths[k].vector;
            reply->w[1] = deaths[k].error_code;
            reply->w[2] = deaths[k].eip;
            reply->w[3] = deaths[k].cr2;
            reply->length = 4;
            return ERR_NONE;
        }
    }
    return ERR_NOT_FOUND;
}
