/* Byte rings: see ring.h. */
#include "ring.h"

int ring_init(struct ring *r, uint8_t *buf, uint32_t size)
{
    if (size == 0 || (size & (size - 1)))
        return 0;
    r->buf = buf;
    r->size = size;
    r->head = r->tail = 0;
    return 1;
}

/* Of n bytes from count at on, how many lie before the end of buf (the rest wrap to its start). */
static uint32_t before_end(const struct ring *r, uint32_t at, uint32_t n)
{
    uint32_t left = r->size - (at & (r->size - 1));
    return n < left ? n : left;
}

uint32_t ring_put(struct ring *r, const uint8_t *bytes, uint32_t n)
{
    uint32_t room = ring_room(r), k = n < room ? n : room, first = before_end(r, r->head, k);
    __builtin_memcpy(r->buf + (r->head & (r->size - 1)), bytes, first);
    __builtin_memcpy(r->buf, bytes + first, k - first);
    r->head += k;
    return k;
}

uint32_t ring_get(struct ring *r, uint8_t *out, uint32_t n)
{
    uint32_t used = ring_used(r), k = n < used ? n : used, first = before_end(r, r->tail, k);
    __builtin_memcpy(out, r->buf + (r->tail & (r->size - 1)), first);
    __builtin_memcpy(out + first, r->buf, k - first);
    r->tail += k;
    return k;
}

uint32_t ring_run(const struct ring *r, const uint8_t **at)
{
    *at = r->buf + (r->tail & (r->size - 1));
    return before_end(r, r->tail, ring_used(r));
}
