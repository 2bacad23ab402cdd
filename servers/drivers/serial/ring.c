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

uint32_t ring_put(struct ring *r, const uint8_t *bytes, uint32_t n)
{
    uint32_t room = ring_room(r), k = n < room ? n : room;
    for (uint32_t i = 0; i < k; i++)
        ring_put1(r, bytes[i]);
    return k;
}

uint32_t ring_get(struct ring *r, uint8_t *out, uint32_t n)
{
    uint32_t used = ring_used(r), k = n < used ? n : used;
    for (uint32_t i = 0; i < k; i++)
        out[i] = ring_get1(r);
    return k;
}
