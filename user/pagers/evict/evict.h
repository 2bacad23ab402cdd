/*
 * An evicting pager: it serves a region of a client task with at most
 * EVICT_FRAMES frames.  When all are in use, the oldest resident page (FIFO)
 * is copied out to a backing store in the pager's own memory, unmapped from
 * the client and its frame reused; a page faulted in again is copied back.
 * Every byte survives.  Used by user/pagers/evict and tests/system/pagers.
 */
#ifndef EVICT_H
#define EVICT_H

#include <relay/libos.h>

#define EVICT_FRAMES     4u      /* frames resident at most */
#define EVICT_PAGES_MAX  128u    /* pages of backing store */

struct evict_pager {
    relay_handle client;         /* the client task (RIGHT_CONTROL), to unmap from */
    uint32_t base, pages;        /* the region served: pages <= EVICT_PAGES_MAX */
    struct pager_fifo resident;
    struct pager_page slots[EVICT_FRAMES];
    uint32_t frames[EVICT_FRAMES], frame_count;   /* every frame taken, to free at the end */
    uint8_t saved[EVICT_PAGES_MAX];               /* the store holds the page */
    uint32_t faults, evictions, restores;
    uint8_t store[EVICT_PAGES_MAX][PAGE_SIZE];
};

/* Serve base..base + pages pages of client. */
void evict_init(struct evict_pager *e, relay_handle client, uint32_t base, uint32_t pages);
/* The pager, a fault_fn; arg is the struct evict_pager. */
int evict_fault(struct fault *f, struct fault_answer *a, void *arg);
/* After the client has ended: give the frames back to frame_free. */
void evict_release(struct evict_pager *e);

#endif
