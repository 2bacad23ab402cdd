/*
 * The serial driver's byte ring (servers/drivers/serial/ring.c): checked
 * against a plain array model after every random step, and across the
 * wrap of its 32-bit counters.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../servers/drivers/serial/ring.h"

#define SIZE 64u

/* The model: a FIFO of bytes in a flat array. */
static uint8_t model[1 << 20];
static uint32_t m_head, m_tail;

Test(serial_ring, sizes_must_be_powers_of_two)
{
    uint8_t buf[64];
    struct ring r;
    cr_assert_eq(ring_init(&r, buf, 0), 0);
    cr_assert_eq(ring_init(&r, buf, 48), 0);
    cr_assert_eq(ring_init(&r, buf, 1), 1);
    cr_assert_eq(ring_init(&r, buf, 64), 1);
    cr_assert_eq(ring_used(&r), 0);
    cr_assert_eq(ring_room(&r), 64);
}

Test(serial_ring, full_ring_takes_nothing_and_empty_gives_nothing)
{
    uint8_t buf[8], in[12], out[12];
    struct ring r;
    ring_init(&r, buf, 8);
    for (int i = 0; i < 12; i++)
        in[i] = (uint8_t)(0xA0 + i);
    cr_assert_eq(ring_put(&r, in, 12), 8);          /* what fits */
    cr_assert_eq(ring_put(&r, in, 1), 0);
    cr_assert_eq(ring_room(&r), 0);
    cr_assert_eq(ring_get(&r, out, 12), 8);
    cr_assert_arr_eq(out, in, 8);                    /* oldest first */
    cr_assert_eq(ring_get(&r, out, 1), 0);
}

static void random_steps(struct ring *r, uint32_t steps, unsigned seed)
{
    srand(seed);
    m_head = m_tail = 0;
    uint8_t chunk[SIZE + 8], got[SIZE + 8];
    for (uint32_t step = 0; step < steps; step++) {
        uint32_t n = (uint32_t)rand() % (SIZE + 8);
        if (rand() & 1) {
            for (uint32_t i = 0; i < n; i++)
                chunk[i] = (uint8_t)rand();
            uint32_t room = SIZE - (m_head - m_tail), want = n < room ? n : room;
            cr_assert_eq(ring_put(r, chunk, n), want, "step %u: put %u with %u room", step, n, room);
            for (uint32_t i = 0; i < want; i++)
                model[m_head++ % sizeof model] = chunk[i];
        } else {
            uint32_t used = m_head - m_tail, want = n < used ? n : used;
            cr_assert_eq(ring_get(r, got, n), want, "step %u: get %u of %u", step, n, used);
            for (uint32_t i = 0; i < want; i++)
                cr_assert_eq(got[i], model[m_tail++ % sizeof model], "step %u byte %u", step, i);
        }
        cr_assert_eq(ring_used(r), m_head - m_tail);
        cr_assert_eq(ring_room(r), SIZE - (m_head - m_tail));
    }
}

Test(serial_ring, random_puts_and_gets_match_a_fifo)
{
    uint8_t buf[SIZE];
    struct ring r;
    ring_init(&r, buf, SIZE);
    random_steps(&r, 100000, 11);
}

Test(serial_ring, counters_wrap_at_2_to_the_32)
{
    uint8_t buf[SIZE];
    struct ring r;
    ring_init(&r, buf, SIZE);
    r.head = r.tail = 0xFFFFFFF0u;                   /* 16 bytes before the wrap */
    random_steps(&r, 10000, 12);
    cr_assert(r.head < 0xFFFFFFF0u, "the counters wrapped");
}

Test(serial_ring, runs_end_at_the_end_of_the_buffer)
{
    uint8_t buf[8], in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8];
    const uint8_t *at;
    struct ring r;
    ring_init(&r, buf, 8);
    cr_assert_eq(ring_run(&r, &at), 0);
    ring_put(&r, in, 6);
    ring_get(&r, out, 5);                            /* one byte left, at offset 5 */
    ring_put(&r, in, 5);                             /* offsets 6, 7, then 0, 1, 2 */
    cr_assert_eq(ring_run(&r, &at), 3);
    cr_assert_eq(at, buf + 5);
    cr_assert_eq(at[0], 6);
    cr_assert_eq(at[1], 1);
    ring_drop(&r, 3);
    cr_assert_eq(ring_run(&r, &at), 3);
    cr_assert_eq(at, buf);
    cr_assert_eq(at[0], 3);
    ring_drop(&r, 3);
    cr_assert_eq(ring_used(&r), 0);
}
