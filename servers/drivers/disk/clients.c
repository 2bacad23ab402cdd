/* Clients, their windows, and what a request may do: see disk.h. */
#include "disk.h"
#include <relay/error.h>

void clients_init(struct clients *c)
{
    for (uint32_t i = 0; i < BLOCK_CLIENTS_MAX; i++)
        c->client[i] = (struct client){ .window = NO_WINDOW };
    for (uint32_t w = 0; w < WINDOWS; w++)
        c->window_used[w] = 0;
    c->landing = 0;
    c->clock = 0;
}

static struct client *lookup(struct clients *c, uint32_t badge)
{
    for (uint32_t i = 0; i < BLOCK_CLIENTS_MAX; i++)
        if (c->client[i].in_use && c->client[i].badge == badge)
            return &c->client[i];
    return 0;
}

struct client *clients_find(struct clients *c, uint32_t badge)
{
    struct client *cl = lookup(c, badge);
    if (cl)
        cl->last_used = ++c->clock;
    return cl;
}

/* A free slot, or else the least recently used client's. */
static struct client *slot_for_new(struct clients *c)
{
    struct client *oldest = &c->client[0];
    for (uint32_t i = 0; i < BLOCK_CLIENTS_MAX; i++) {
        if (!c->client[i].in_use)
            return &c->client[i];
        if (c->client[i].last_used < oldest->last_used)
            oldest = &c->client[i];
    }
    return oldest;
}

/* Give up the window a client holds: it is to be unmapped. */
static void release_window(struct clients *c, struct client *cl, struct window_release *r)
{
    r->window = cl->window;
    r->bytes = cl->bytes;
    c->window_used[cl->window] = 0;
    *cl = (struct client){ .window = NO_WINDOW };
}

/* Some window nobody holds: there are WINDOWS, one more than clients. */
static uint32_t free_window(const struct clients *c)
{
    for (uint32_t w = 0; w < WINDOWS; w++)
        if (!c->window_used[w])
            return w;
    return NO_WINDOW;   /* cannot happen: at most BLOCK_CLIENTS_MAX are held */
}

int clients_attach(struct clients *c, uint32_t badge, uint32_t bytes, uint32_t writable,
                   struct window_release *release)
{
    release->window = NO_WINDOW;
    release->bytes = 0;
    if (bytes == 0 || bytes > BLOCK_BUFFER_MAX || bytes % BLOCK_PAGE_SIZE)
        return ERR_INVALID;
    struct client *cl = lookup(c, badge);
    if (!cl)
        cl = slot_for_new(c);
    if (cl->in_use)
        release_window(c, cl, release);
    *cl = (struct client){
        .badge = badge, .window = c->landing, .bytes = bytes,
        .writable = writable != 0, .last_used = ++c->clock, .in_use = 1,
    };
    c->window_used[c->landing] = 1;
    c->landing = free_window(c);
    return ERR_NONE;
}

int clients_detach(struct clients *c, uint32_t badge, struct window_release *release)
{
    release->window = NO_WINDOW;
    release->bytes = 0;
    struct client *cl = lookup(c, badge);
    if (!cl)
        return ERR_STATE;
    release_window(c, cl, release);
    return ERR_NONE;
}

int block_check(const struct block_request *r, const struct client *client, uint32_t disk_sectors,
                enum block_direction dir)
{
    if (r->count == 0 || r->offset % BLOCK_SECTOR_SIZE)
        return ERR_INVALID;
    if (!client)
        return ERR_STATE;
    if (r->count > BLOCK_SECTORS_MAX)
        return ERR_RANGE;
    /* No overflow: count * 512 <= BLOCK_BUFFER_MAX, and offset is compared first. */
    if (r->offset > client->bytes || r->count * BLOCK_SECTOR_SIZE > client->bytes - r->offset)
        return ERR_RANGE;
    if (r->lba >= disk_sectors || r->count > disk_sectors - r->lba)
        return ERR_RANGE;
    if (dir == BLOCK_TO_BUFFER && !client->writable)
        return ERR_NO_RIGHTS;
    return ERR_NONE;
}
