/* The evicting pager: see evict.h. */
#include "evict.h"

static const uint8_t zero_page[PAGE_SIZE];

void evict_init(struct evict_pager *e, relay_handle client, uint32_t base, uint32_t pages)
{
    e->client = client;
    e->base = base;
    e->pages = pages < EVICT_PAGES_MAX ? pages : EVICT_PAGES_MAX;
    pager_fifo_init(&e->resident, e->slots, EVICT_FRAMES);
    e->frame_count = 0;
    e->faults = e->evictions = e->restores = 0;
    memset(e->saved, 0, sizeof e->saved);
}

/* A frame for a new resident page: a fresh one, or the oldest page's, saved first. */
static int take_frame(struct evict_pager *e, uint32_t *pa)
{
    if (e->frame_count < EVICT_FRAMES) {
        int err = frame_alloc(pa);
        if (!err)
            e->frames[e->frame_count++] = *pa;
        return err;
    }
    struct pager_page old;
    if (!pager_fifo_evict(&e->resident, &old))
        return ERR_INVALID;
    uint32_t index = (old.va - e->base) / PAGE_SIZE;
    int err = page_unmap(e->client, old.va);     /* first, so the client cannot write on */
    if (!err)
        err = pager_copy_out(old.pa, e->store[index]);
    if (err)
        return err;
    e->saved[index] = 1;
    e->evictions++;
    *pa = old.pa;
    return ERR_NONE;
}

int evict_fault(struct fault *f, struct fault_answer *a, void *arg)
{
    struct evict_pager *e = arg;
    uint32_t page = PAGE_DOWN(f->address);
    if (page < e->base || page >= e->base + e->pages * PAGE_SIZE)
        return ERR_RANGE;
    uint32_t index = (page - e->base) / PAGE_SIZE, pa;
    int err = take_frame(e, &pa);
    if (!err)
        err = pager_copy_in(pa, e->saved[index] ? e->store[index] : zero_page);
    if (!err)
        err = pager_fifo_add(&e->resident, page, pa);
    if (err)
        return err;
    e->faults++;
    e->restores += e->saved[index];
    a->verdict = ANSWER_MAP;
    a->frame = pa;
    a->flags = MAP_WRITABLE;
    return ERR_NONE;
}

void evict_release(struct evict_pager *e)
{
    for (uint32_t i = 0; i < e->frame_count; i++)
        frame_free(e->frames[i]);
    e->frame_count = 0;
    pager_fifo_init(&e->resident, e->slots, EVICT_FRAMES);
}
