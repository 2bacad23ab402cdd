/*
 * The worker's pools: the handles and frames its arguments are drawn from.
 * The worker's own objects come first and stay; after them, whatever a call
 * handed back (a new handle, a frame, a handle that came with a message)
 * fills the free places and then replaces a drawn one.
 */
#include "fuzz.h"

void pool_add_handle(struct fuzz_pools *p, relay_handle h, uint8_t kind, uint32_t draw)
{
    if (h == HANDLE_NULL)
        return;
    uint32_t i = p->handles < POOL_HANDLES ? p->handles++
                                           : p->fixed + draw % (POOL_HANDLES - p->fixed);
    p->handle[i] = h;
    p->kind[i] = kind;
}

/* The kind the pools know h to be. */
static uint8_t kind_of(const struct fuzz_pools *p, relay_handle h)
{
    for (uint32_t i = 0; i < p->handles; i++)
        if (p->handle[i] == h)
            return p->kind[i];
    return K_UNKNOWN;
}

void pool_add_frame(struct fuzz_pools *p, uint32_t pa, uint32_t draw)
{
    if (p->frames < POOL_FRAMES)
        p->frame[p->frames++] = pa;
    else
        p->frame[draw % POOL_FRAMES] = pa;
}

/*
 * A call that succeeded and changed EBX returned something there: a new
 * handle (the creating calls, copies, mints; its kind as the call's shape
 * says), a physical address (a page boundary: map_query), or a number such
 * as a badge or a count, which is as good a handle argument as any.  The
 * ABI's rule that unlisted registers come back unchanged says which calls
 * returned one.
 */
relay_handle pool_harvest(struct fuzz_pools *p, const struct fuzz_call *c, uint32_t draw)
{
    if (c->error != ERR_NONE || c->result == c->arg[0] || c->result == 0)
        return HANDLE_NULL;
    if (c->result % PAGE_SIZE == 0) {
        pool_add_frame(p, c->result, draw);
        return HANDLE_NULL;
    }
    uint8_t kind = call_shape(c->eax & SYSCALL_NUMBER_MASK)->result;
    if (kind == K_SAME)
        kind = kind_of(p, c->arg[0]);
    pool_add_handle(p, c->result, kind, draw);
    return c->result;
}
