/*
 * A byte ring: what the console has received and not yet handed to a
 * reader, or has been given and not yet sent.  The size is a power of two;
 * head and tail count bytes put and taken since the start (they wrap at
 * 2^32, which a power-of-two size keeps consistent), so the ring holds
 * head - tail bytes and never needs a spare slot.  Pure: host-tested.
 */
#ifndef SERIAL_RING_H
#define SERIAL_RING_H

#include <stdint.h>

struct ring {
    uint8_t *buf;                 /* size bytes */
    uint32_t size;                /* a power of two */
    uint32_t head;                /* bytes ever put */
    uint32_t tail;                /* bytes ever taken */
};

/* An empty ring over buf; 0 unless size is a power of two (>= 1). */
int ring_init(struct ring *r, uint8_t *buf, uint32_t size);

static inline uint32_t ring_used(const struct ring *r) { return r->head - r->tail; }
static inline uint32_t ring_room(const struct ring *r) { return r->size - ring_used(r); }

/* Put up to n bytes, as many as there is room for; returns how many. */
uint32_t ring_put(struct ring *r, const uint8_t *bytes, uint32_t n);
/* Take up to n bytes, oldest first; returns how many. */
uint32_t ring_get(struct ring *r, uint8_t *out, uint32_t n);

/* The oldest bytes as far as they lie in one run (before the end of buf):
 * *at points at them; returns how many (0 when empty).  ring_drop then
 * takes n of them (n <= ring_used). */
uint32_t ring_run(const struct ring *r, const uint8_t **at);
static inline void ring_drop(struct ring *r, uint32_t n) { r->tail += n; }

/* One byte each way; the caller has checked room (put) or used (get). */
static inline void ring_put1(struct ring *r, uint8_t b) { r->buf[r->head++ & (r->size - 1)] = b; }
static inline uint8_t ring_get1(struct ring *r) { return r->buf[r->tail++ & (r->size - 1)]; }

#endif
