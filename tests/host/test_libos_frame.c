/*
 * libos' frame pool (libos/frame_pool.c, relay/frame_pool.h): the spans it
 * takes, single frames, contiguous ranges and runs, and what freeing
 * refuses.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "relay/error.h"
#include "relay/frame_pool.h"

#define K 4096u

static struct frame_pool *pool;

static void setup(void)    { pool = calloc(1, sizeof *pool); }
static void teardown(void) { free(pool); }
TestSuite(frame_pool, .init = setup, .fini = teardown);

Test(frame_pool, takes_spans_rounded_inwards)
{
    const struct phys_span spans[] = {
        { 0x100000, 0x104000 },                 /* 4 frames */
        { 0x200800, 0x203800 },                 /* rounded to 0x201000..0x203000: 2 */
        { 0x300000, 0x300000 },                 /* empty */
        { 0x301000, 0x300000 },                 /* backwards */
        { 0x102000, 0x106000 },                 /* overlaps the first */
        { 0xFFFFF800, 0xFFFFFFFF },             /* rounds to nothing (start would wrap) */
    };
    frame_pool_init(pool, spans, 6);
    cr_assert_eq(pool->total, 6);
    cr_assert_eq(pool->free, 6);
    cr_assert_eq(pool->span_count, 2);
    cr_assert_eq(pool->spans[1].start, 0x201000);
    cr_assert_eq(pool->spans[1].end, 0x203000);
}

Test(frame_pool, caps_at_the_maximum)
{
    const struct phys_span spans[] = {
        { 0x1000000, 0x1000000 + (FRAME_POOL_MAX - 2) * K },
        { 0x30000000, 0x30000000 + 10 * K },      /* only 2 of these fit */
        { 0x31000000, 0x31000000 + 10 * K },      /* none of these */
    };
    frame_pool_init(pool, spans, 3);
    cr_assert_eq(pool->total, FRAME_POOL_MAX);
    cr_assert_eq(pool->span_count, 2);
    cr_assert_eq(pool->spans[1].end, 0x30000000 + 2 * K);
}

Test(frame_pool, allocates_every_frame_once_then_runs_out)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 40 * K }, { 0x800000, 0x800000 + 30 * K } };
    frame_pool_init(pool, spans, 2);
    static uint8_t seen[70];
    for (unsigned i = 0; i < 70; i++) {
        uint32_t pa;
        cr_assert_eq(frame_pool_alloc(pool, &pa), ERR_NONE, "frame %u", i);
        unsigned idx = pa >= 0x800000 ? 40 + (pa - 0x800000) / K : (pa - 0x100000) / K;
        cr_assert_lt(idx, 70);
        cr_assert_eq(seen[idx]++, 0, "frame %08x twice", pa);
    }
    uint32_t pa = 0x12345;
    cr_assert_eq(frame_pool_alloc(pool, &pa), ERR_NO_MEMORY);
    cr_assert_eq(pa, 0x12345, "untouched on failure");
    cr_assert_eq(pool->free, 0);
}

Test(frame_pool, free_returns_a_frame_and_refuses_nonsense)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 4 * K } };
    frame_pool_init(pool, spans, 1);
    uint32_t a, b;
    cr_assert_eq(frame_pool_alloc(pool, &a), ERR_NONE);
    cr_assert_eq(frame_pool_alloc(pool, &b), ERR_NONE);
    cr_assert_eq(frame_pool_free(pool, a + 1), ERR_INVALID, "unaligned");
    cr_assert_eq(frame_pool_free(pool, 0x100000 + 4 * K), ERR_NOT_OWNER, "past the span");
    cr_assert_eq(frame_pool_free(pool, 0x50000), ERR_NOT_OWNER, "below it");
    cr_assert_eq(frame_pool_free(pool, 0x100000 + 3 * K), ERR_INVALID, "never allocated");
    cr_assert_eq(frame_pool_free(pool, a), ERR_NONE);
    cr_assert_eq(frame_pool_free(pool, a), ERR_INVALID, "twice");
    cr_assert_eq(pool->free, 3);
    uint32_t c;
    cr_assert_eq(frame_pool_alloc(pool, &c), ERR_NONE);
    cr_assert_eq(c, a, "the lowest free frame comes first");
}

Test(frame_pool, ranges_are_contiguous_and_stay_in_one_span)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 3 * K }, { 0x103000, 0x103000 + 8 * K } };
    frame_pool_init(pool, spans, 2);            /* physically adjacent, but two spans */
    uint32_t pa;
    cr_assert_eq(frame_pool_alloc_range(pool, 0, &pa), ERR_INVALID);
    cr_assert_eq(frame_pool_alloc_range(pool, 12, &pa), ERR_NO_MEMORY, "more than there is");
    cr_assert_eq(frame_pool_alloc_range(pool, 5, &pa), ERR_NONE);
    cr_assert_eq(pa, 0x103000, "the first span is too short; runs do not cross spans");
    cr_assert_eq(frame_pool_alloc_range(pool, 3, &pa), ERR_NONE);
    cr_assert_eq(pa, 0x100000);
    cr_assert_eq(frame_pool_alloc_range(pool, 4, &pa), ERR_NO_MEMORY, "3 are left");
    cr_assert_eq(frame_pool_alloc_range(pool, 3, &pa), ERR_NONE);
    cr_assert_eq(pa, 0x108000);
    cr_assert_eq(pool->free, 0);
}

Test(frame_pool, ranges_skip_holes)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 10 * K } };
    frame_pool_init(pool, spans, 1);
    uint32_t pa[10];
    for (int i = 0; i < 10; i++)
        frame_pool_alloc(pool, &pa[i]);
    frame_pool_free(pool, pa[1]);               /* holes: 1, 3-4, 6-8 */
    frame_pool_free(pool, pa[3]);
    frame_pool_free(pool, pa[4]);
    frame_pool_free(pool, pa[6]);
    frame_pool_free(pool, pa[7]);
    frame_pool_free(pool, pa[8]);
    uint32_t got;
    cr_assert_eq(frame_pool_alloc_range(pool, 3, &got), ERR_NONE);
    cr_assert_eq(got, pa[6]);
    cr_assert_eq(frame_pool_alloc_range(pool, 2, &got), ERR_NONE);
    cr_assert_eq(got, pa[3]);
    cr_assert_eq(frame_pool_alloc_range(pool, 2, &got), ERR_NO_MEMORY, "one frame is left");
    cr_assert_eq(frame_pool_free_range(pool, pa[3], 2), ERR_NONE);
    cr_assert_eq(frame_pool_free_range(pool, pa[3], 2), ERR_INVALID, "already free");
    cr_assert_eq(pool->free, 3);
}

Test(frame_pool, runs_take_the_first_free_stretch)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 6 * K }, { 0x200000, 0x200000 + 64 * K } };
    frame_pool_init(pool, spans, 2);
    uint32_t pa;
    cr_assert_eq(frame_pool_alloc_run(pool, 0, &pa), 0);
    cr_assert_eq(frame_pool_alloc_run(pool, 4, &pa), 4);
    cr_assert_eq(pa, 0x100000);
    cr_assert_eq(frame_pool_alloc_run(pool, 100, &pa), 2, "the rest of the first span");
    cr_assert_eq(pa, 0x104000);
    cr_assert_eq(frame_pool_alloc_run(pool, 100, &pa), 64);
    cr_assert_eq(pa, 0x200000);
    cr_assert_eq(frame_pool_alloc_run(pool, 1, &pa), 0, "nothing left");
}

Test(frame_pool, whole_words_in_use_are_skipped_correctly)
{
    const struct phys_span spans[] = { { 0, 100 * K } };
    frame_pool_init(pool, spans, 1);
    uint32_t pa;
    for (int i = 0; i < 100; i++)
        frame_pool_alloc(pool, &pa);
    cr_assert_eq(frame_pool_free(pool, 70 * K), ERR_NONE);
    cr_assert_eq(frame_pool_free(pool, 33 * K), ERR_NONE);
    cr_assert_eq(frame_pool_alloc(pool, &pa), ERR_NONE);
    cr_assert_eq(pa, 33 * K);
    cr_assert_eq(frame_pool_alloc(pool, &pa), ERR_NONE);
    cr_assert_eq(pa, 70 * K);
}

Test(frame_pool, a_freed_range_may_cross_into_the_next_span_and_stops_at_the_first_error)
{
    const struct phys_span spans[] = { { 0x100000, 0x100000 + 4 * K }, { 0x104000, 0x104000 + 4 * K } };
    frame_pool_init(pool, spans, 2);
    uint32_t pa;
    cr_assert_eq(frame_pool_alloc_range(pool, 4, &pa), ERR_NONE);
    cr_assert_eq(frame_pool_alloc_range(pool, 4, &pa), ERR_NONE);
    cr_assert_eq(pool->free, 0);
    cr_assert_eq(frame_pool_free_range(pool, 0x102000, 4), ERR_NONE, "two frames of each span");
    cr_assert_eq(pool->free, 4);
    cr_assert_eq(frame_pool_free(pool, 0x102000), ERR_INVALID, "it is free");
    cr_assert_eq(frame_pool_free_range(pool, 0x100000, 3), ERR_INVALID, "the third is free already");
    cr_assert_eq(pool->free, 6, "the two before it were freed");
    cr_assert_eq(frame_pool_free_range(pool, 0x107000, 2), ERR_NOT_OWNER, "past the pool");
    cr_assert_eq(pool->free, 7, "the last frame was freed first");
    cr_assert_eq(frame_pool_free_range(pool, 0x100800, 1), ERR_INVALID, "not page-aligned");
    cr_assert_eq(frame_pool_free_range(pool, 0x100800, 0), ERR_NONE, "nothing to free");
    uint32_t got;
    cr_assert_eq(frame_pool_alloc_range(pool, 7, &got), ERR_NO_MEMORY, "0x106000 is still in use");
    cr_assert_eq(frame_pool_alloc(pool, &got), ERR_NONE);
    cr_assert_eq(got, 0x100000, "the lowest free frame first");
}

/* The pool against a plain array of flags, over random takes and frees in
 * three spans, two of them touching: every answer and every frame's state
 * the same. */
#define MODEL_FRAMES (70 + 37 + 100)
static const struct phys_span model_spans[] = {
    { 0x100000, 0x100000 + 70 * K }, { 0x100000 + 70 * K, 0x100000 + 107 * K },
    { 0x800000, 0x800000 + 100 * K },
};
static int model_used[MODEL_FRAMES];

static uint32_t model_pa(uint32_t i)
{
    return i < 107 ? 0x100000 + i * K : 0x800000 + (i - 107) * K;
}

/* The model's span: [0, 70), [70, 107), [107, 207). */
static uint32_t model_span_end(uint32_t i)
{
    return i < 70 ? 70 : i < 107 ? 107 : MODEL_FRAMES;
}

Test(frame_pool, random_takes_and_frees_agree_with_a_plain_model)
{
    frame_pool_init(pool, model_spans, 3);
    cr_assert_eq(pool->total, MODEL_FRAMES);
    srand(77);
    for (int step = 0; step < 20000; step++) {
        uint32_t count = 1 + (uint32_t)rand() % 40, i = (uint32_t)rand() % MODEL_FRAMES, pa;
        int op = rand() % 4;
        if (op == 0) {                               /* a run: the first free stretch */
            uint32_t n = frame_pool_alloc_run(pool, count, &pa), first = 0;
            while (first < MODEL_FRAMES && model_used[first])
                first++;
            uint32_t want = 0;
            while (first + want < model_span_end(first) && want < count && !model_used[first + want])
                want++;
            cr_assert_eq(n, want, "step %d: run of %u", step, count);
            if (n)
                cr_assert_eq(pa, model_pa(first));
            for (uint32_t k = 0; k < n; k++)
                model_used[first + k] = 1;
        } else if (op == 1) {                        /* a range: the first fit in one span */
            int err = frame_pool_alloc_range(pool, count, &pa);
            uint32_t first = 0, fit = MODEL_FRAMES;
            for (; first < MODEL_FRAMES && fit == MODEL_FRAMES; first++) {
                uint32_t k = 0;
                while (k < count && first + k < model_span_end(first) && !model_used[first + k])
                    k++;
                if (k == count)
                    fit = first;
            }
            cr_assert_eq(err, fit < MODEL_FRAMES ? ERR_NONE : ERR_NO_MEMORY, "step %d", step);
            if (fit < MODEL_FRAMES) {
                cr_assert_eq(pa, model_pa(fit));
                for (uint32_t k = 0; k < count; k++)
                    model_used[fit + k] = 1;
            }
        } else {                                     /* a free of a range, maybe partly free */
            if (count > MODEL_FRAMES - i)
                count = MODEL_FRAMES - i;
            if (i < 107 && i + count > 107)
                count = 107 - i;                     /* (107 and 0x800000 are not contiguous) */
            int err = frame_pool_free_range(pool, model_pa(i), count), want = ERR_NONE;
            for (uint32_t k = 0; k < count; k++) {
                if (!model_used[i + k]) {
                    want = ERR_INVALID;
                    break;
                }
                model_used[i + k] = 0;
            }
            cr_assert_eq(err, want, "step %d: free %u at %u", step, count, i);
        }
        uint32_t free = 0;
        for (uint32_t k = 0; k < MODEL_FRAMES; k++) {  /* (the spans' bits follow in order) */
            free += !model_used[k];
            cr_assert_eq(pool->used[k / 32] >> k % 32 & 1, (uint32_t)model_used[k], "step %d: frame %u", step, k);
        }
        cr_assert_eq(pool->free, free, "step %d", step);
    }
}
