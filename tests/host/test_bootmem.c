/*
 * The physical frame allocator (microkernel/bootmem.c).  Each pool's bitmap is
 * allocated to exactly FRAME_BITMAP_WORDS(nframes) words so that ASan catches
 * any access past it.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bootmem.h"

#define PAGE 0x1000u

static uint32_t *bitmap;

static void pool_new(struct frame_pool *pool, uint32_t nframes)
{
    free(bitmap);
    bitmap = calloc(FRAME_BITMAP_WORDS(nframes), sizeof *bitmap);
    cr_assert_not_null(bitmap);
    frame_pool_init(pool, bitmap, nframes);
}

static void pool_done(void)
{
    free(bitmap);
    bitmap = NULL;
}

TestSuite(frame, .fini = pool_done);

/* Take every free frame; returns how many, each stored in out[] (if given). */
static uint32_t drain(struct frame_pool *pool, uint32_t *out, uint32_t max)
{
    uint32_t n = 0, f;
    while (frame_alloc(pool, &f) == ERR_NONE) {
        cr_assert_lt(n, max, "more frames handed out than exist");
        if (out)
            out[n] = f;
        n++;
    }
    return n;
}

/*
 * A pool shaped like a small PC: 1000 frames (not a multiple of 32), RAM at
 * [4K, 512K) and [1M, 1000 * 4K), a reserved scrap inside the low RAM and a
 * kernel image at 1 MiB.  Worked out by hand:
 *   added   frames 0x001..0x07F (127) + 0x100..0x3E7 (744)   = 871
 *   reserved [0x20800, 0x22001) -> frames 0x20, 0x21, 0x22      =   3
 *   reserved [0x100000, 0x180123) -> frames 0x100..0x180        = 129
 *   free                                                        = 739
 */
#define PC_FRAMES 1000u
#define PC_FREE   739u
static const struct { uint64_t start, end; } pc_ram[] = {
    { 0x1000, 0x80000 }, { 0x100000, PC_FRAMES * (uint64_t)PAGE },
};
static const struct { uint64_t start, end; } pc_reserved[] = {
    { 0x20800, 0x22001 }, { 0x100000, 0x180123 },
};

static void pc_pool(struct frame_pool *pool)
{
    pool_new(pool, PC_FRAMES);
    for (size_t i = 0; i < sizeof pc_ram / sizeof pc_ram[0]; i++)
        frame_pool_add(pool, pc_ram[i].start, pc_ram[i].end);
    for (size_t i = 0; i < sizeof pc_reserved / sizeof pc_reserved[0]; i++)
        frame_pool_reserve(pool, pc_reserved[i].start, pc_reserved[i].end);
}

static bool in_ram(uint32_t f)
{
    for (size_t i = 0; i < sizeof pc_ram / sizeof pc_ram[0]; i++)
        if (pc_ram[i].start <= f && f + PAGE <= pc_ram[i].end)
            return true;
    return false;
}

static bool touches_reserved(uint32_t f)
{
    for (size_t i = 0; i < sizeof pc_reserved / sizeof pc_reserved[0]; i++)
        if (f < pc_reserved[i].end && pc_reserved[i].start < f + PAGE)
            return true;
    return false;
}

Test(frame, fresh_pool_has_nothing_free)
{
    struct frame_pool pool;
    pool_new(&pool, 100);
    uint32_t f;
    cr_assert_eq(pool.free, 0);
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NO_MEMORY);
    for (uint32_t a = 0; a < 100 * PAGE; a += PAGE)
        cr_assert(frame_in_use(&pool, a));
}

Test(frame, free_count_matches_hand_count)
{
    struct frame_pool pool;
    pc_pool(&pool);
    cr_assert_eq(pool.free, PC_FREE);
}

Test(frame, every_frame_is_ram_unreserved_aligned_and_unique)
{
    struct frame_pool pool;
    pc_pool(&pool);
    uint32_t start_free = pool.free;
    uint32_t frames[PC_FRAMES];
    uint32_t n = drain(&pool, frames, PC_FRAMES);
    cr_assert_eq(n, start_free);
    cr_assert_eq(n, PC_FREE);

    static bool seen[PC_FRAMES];
    memset(seen, 0, sizeof seen);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f = frames[i];
        cr_assert_eq(f % PAGE, 0, "frame %#x is misaligned", f);
        cr_assert(in_ram(f), "frame %#x is not in an added range", f);
        cr_assert_not(touches_reserved(f), "frame %#x overlaps a reserved range", f);
        cr_assert_not(seen[f / PAGE], "frame %#x handed out twice", f);
        seen[f / PAGE] = true;
        cr_assert(frame_in_use(&pool, f));
    }
}

Test(frame, exhaustion_returns_no_memory_and_stays_consistent)
{
    struct frame_pool pool;
    pc_pool(&pool);
    drain(&pool, NULL, PC_FRAMES);
    cr_assert_eq(pool.free, 0);
    uint32_t f = 0xDEAD0000;
    for (int i = 0; i < 3; i++)
        cr_assert_eq(frame_alloc(&pool, &f), ERR_NO_MEMORY);
    cr_assert_eq(pool.free, 0);
    for (uint32_t a = 0; a < PC_FRAMES * PAGE; a += PAGE)
        cr_assert(frame_in_use(&pool, a), "%#x free after exhaustion", a);
}

Test(frame, free_then_alloc_round_trips)
{
    struct frame_pool pool;
    pc_pool(&pool);
    uint32_t frames[PC_FRAMES];
    uint32_t n = drain(&pool, frames, PC_FRAMES);
    uint32_t victim = frames[n / 2];

    cr_assert_eq(frame_free(&pool, victim), ERR_NONE);
    cr_assert_eq(pool.free, 1);
    cr_assert_not(frame_in_use(&pool, victim));

    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NONE);
    cr_assert_eq(f, victim, "the only free frame is %#x, got %#x", victim, f);
    cr_assert_eq(pool.free, 0);
    cr_assert(frame_in_use(&pool, victim));
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NO_MEMORY);
}

Test(frame, freeing_everything_restores_the_pool)
{
    struct frame_pool pool;
    pc_pool(&pool);
    uint32_t frames[PC_FRAMES];
    uint32_t n = drain(&pool, frames, PC_FRAMES);
    for (uint32_t i = n; i-- > 0;)          /* in reverse, to move the hint around */
        cr_assert_eq(frame_free(&pool, frames[i]), ERR_NONE);
    cr_assert_eq(pool.free, PC_FREE);
    cr_assert_eq(drain(&pool, NULL, PC_FRAMES), PC_FREE);
}

Test(frame, double_free_is_refused)
{
    struct frame_pool pool;
    pc_pool(&pool);
    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NONE);
    cr_assert_eq(frame_free(&pool, f), ERR_NONE);
    uint32_t before = pool.free;
    cr_assert_eq(frame_free(&pool, f), ERR_INVALID);
    cr_assert_eq(pool.free, before);
}

Test(frame, freeing_a_never_allocated_free_frame_is_refused)
{
    struct frame_pool pool;
    pc_pool(&pool);
    cr_assert_not(frame_in_use(&pool, 0x200000));
    cr_assert_eq(frame_free(&pool, 0x200000), ERR_INVALID);
    cr_assert_eq(pool.free, PC_FREE);
}

Test(frame, misaligned_free_is_refused)
{
    struct frame_pool pool;
    pc_pool(&pool);
    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NONE);
    cr_assert_eq(frame_free(&pool, f + 1), ERR_INVALID);
    cr_assert_eq(frame_free(&pool, f + PAGE / 2), ERR_INVALID);
    cr_assert_eq(frame_free(&pool, f + PAGE - 1), ERR_INVALID);
    cr_assert(frame_in_use(&pool, f), "a refused free must not free anything");
    cr_assert_eq(pool.free, PC_FREE - 1);
}

Test(frame, untracked_free_is_refused)
{
    struct frame_pool pool;
    pc_pool(&pool);
    cr_assert_eq(frame_free(&pool, PC_FRAMES * PAGE), ERR_INVALID);
    cr_assert_eq(frame_free(&pool, 0x40000000), ERR_INVALID);
    cr_assert_eq(frame_free(&pool, 0xFFFFF000), ERR_INVALID);
    cr_assert_eq(pool.free, PC_FREE);
}

/*
 * bootmem.h: reserve marks frames "in use for good".  Freeing one (a stray
 * free of the kernel image, say) must not put it in the pool.
 */
Test(frame, reserved_frames_cannot_be_freed)
{
    struct frame_pool pool;
    pc_pool(&pool);
    cr_assert_eq(frame_free(&pool, 0x21000), ERR_INVALID, "frame 0x21000 is reserved");
    cr_assert_eq(frame_free(&pool, 0x140000), ERR_INVALID, "frame 0x140000 is reserved");
    cr_assert_eq(pool.free, PC_FREE);
    cr_assert(frame_in_use(&pool, 0x21000));
    uint32_t frames[PC_FRAMES];
    uint32_t n = drain(&pool, frames, PC_FRAMES);
    for (uint32_t i = 0; i < n; i++)
        cr_assert_not(touches_reserved(frames[i]), "reserved frame %#x handed out", frames[i]);
}

Test(frame, add_rounds_inward)
{
    struct frame_pool pool;
    pool_new(&pool, 16);
    frame_pool_add(&pool, 0x1001, 0x3FFF);   /* whole frames inside: only 0x2000 */
    cr_assert_eq(pool.free, 1);
    cr_assert(frame_in_use(&pool, 0x1000));
    cr_assert_not(frame_in_use(&pool, 0x2000));
    cr_assert_not(frame_in_use(&pool, 0x2FFF));
    cr_assert(frame_in_use(&pool, 0x3000));
    frame_pool_add(&pool, 0x5800, 0x6800);   /* no whole frame */
    cr_assert_eq(pool.free, 1);
    cr_assert(frame_in_use(&pool, 0x5000));
    cr_assert(frame_in_use(&pool, 0x6000));
}

Test(frame, reserve_rounds_outward)
{
    struct frame_pool pool;
    pool_new(&pool, 16);
    frame_pool_add(&pool, 0, 16 * PAGE);
    frame_pool_reserve(&pool, 0x3001, 0x4001);   /* touches frames 3 and 4 */
    cr_assert_eq(pool.free, 14);
    cr_assert_not(frame_in_use(&pool, 0x2000));
    cr_assert(frame_in_use(&pool, 0x3000));
    cr_assert(frame_in_use(&pool, 0x4000));
    cr_assert_not(frame_in_use(&pool, 0x5000));
    frame_pool_reserve(&pool, 0x8000, 0x8001);   /* one byte: one frame */
    cr_assert_eq(pool.free, 13);
    cr_assert(frame_in_use(&pool, 0x8000));
    frame_pool_reserve(&pool, 0xA000, 0xA000);   /* empty: nothing */
    cr_assert_eq(pool.free, 13);
    cr_assert_not(frame_in_use(&pool, 0xA000));
}

Test(frame, add_and_reserve_are_idempotent)
{
    struct frame_pool pool;
    pool_new(&pool, 16);
    frame_pool_add(&pool, 0, 8 * PAGE);
    frame_pool_add(&pool, 4 * PAGE, 12 * PAGE);   /* overlaps the first */
    cr_assert_eq(pool.free, 12);
    frame_pool_reserve(&pool, 2 * PAGE, 6 * PAGE);
    frame_pool_reserve(&pool, 4 * PAGE, 8 * PAGE);
    cr_assert_eq(pool.free, 6);
    cr_assert_eq(drain(&pool, NULL, 16), 6);
}

/* Adding over words that are partly free already counts each frame once. */
Test(frame, add_over_partly_free_words_counts_each_frame_once)
{
    struct frame_pool pool;
    pool_new(&pool, 200);
    frame_pool_add(&pool, 3 * PAGE, 40 * PAGE);      /* frames 3..39 */
    frame_pool_add(&pool, 64 * PAGE, 65 * PAGE);     /* frame 64, alone in its word */
    frame_pool_add(&pool, 100 * PAGE, 170 * PAGE);   /* frames 100..169 */
    cr_assert_eq(pool.free, 37 + 1 + 70);
    frame_pool_add(&pool, 0, 200 * PAGE);
    cr_assert_eq(pool.free, 200);
    static bool seen[200];
    memset(seen, 0, sizeof seen);
    uint32_t frames[200];
    cr_assert_eq(drain(&pool, frames, 200), 200);
    for (uint32_t i = 0; i < 200; i++) {
        cr_assert_lt(frames[i], 200 * PAGE);
        cr_assert_not(seen[frames[i] / PAGE], "frame %#x twice", frames[i]);
        seen[frames[i] / PAGE] = true;
    }
}

/* Adding a range below the lowest free frame makes alloc find it. */
Test(frame, a_later_lower_range_is_found)
{
    struct frame_pool pool;
    pool_new(&pool, 256);
    frame_pool_add(&pool, 200 * PAGE, 256 * PAGE);
    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NONE);
    cr_assert_geq(f, 200 * PAGE);
    frame_pool_add(&pool, 5 * PAGE, 6 * PAGE);
    uint32_t frames[256];
    uint32_t n = drain(&pool, frames, 256);
    cr_assert_eq(n, 56);
    bool found = false;
    for (uint32_t i = 0; i < n; i++)
        found |= frames[i] == 5 * PAGE;
    cr_assert(found, "frame 0x5000 was added but never handed out");
}

Test(frame, ranges_past_nframes_are_ignored)
{
    struct frame_pool pool;
    pool_new(&pool, 40);                        /* 2 words, 24 bits of padding */
    frame_pool_add(&pool, 0, 0x100000000ull);   /* all of 4 GiB */
    cr_assert_eq(pool.free, 40);
    cr_assert(frame_in_use(&pool, 40 * PAGE));
    cr_assert(frame_in_use(&pool, 0xFFFFF000));
    frame_pool_add(&pool, 64 * PAGE, 128 * PAGE);   /* wholly past the end */
    cr_assert_eq(pool.free, 40);
    frame_pool_reserve(&pool, 30 * PAGE, 0x100000000ull);
    cr_assert_eq(pool.free, 30);
    frame_pool_reserve(&pool, 64 * PAGE, 128 * PAGE);
    cr_assert_eq(pool.free, 30);
    uint32_t frames[40];
    uint32_t n = drain(&pool, frames, 40);
    cr_assert_eq(n, 30);
    for (uint32_t i = 0; i < n; i++)
        cr_assert_lt(frames[i], 30 * PAGE);
}

Test(frame, a_range_straddling_nframes_stops_at_nframes)
{
    struct frame_pool pool;
    pool_new(&pool, 40);
    frame_pool_add(&pool, 30 * PAGE, 50 * PAGE);    /* frames 30..49; 40.. untracked */
    cr_assert_eq(pool.free, 10);
    frame_pool_reserve(&pool, 38 * PAGE, 45 * PAGE);
    cr_assert_eq(pool.free, 8);
    uint32_t frames[40];
    cr_assert_eq(drain(&pool, frames, 40), 8);
    for (uint32_t i = 0; i < 8; i++)
        cr_assert(frames[i] >= 30 * PAGE && frames[i] < 38 * PAGE, "frame %#x", frames[i]);
}

/* Reserving a frame that was handed out makes it permanent too. */
Test(frame, reserving_an_allocated_frame_makes_it_permanent)
{
    struct frame_pool pool;
    pool_new(&pool, 16);
    frame_pool_add(&pool, 0, 16 * PAGE);
    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NONE);
    frame_pool_reserve(&pool, f, f + PAGE);
    cr_assert_eq(pool.free, 15);
    cr_assert_eq(frame_free(&pool, f), ERR_INVALID);
    cr_assert(frame_in_use(&pool, f));
    cr_assert_eq(pool.free, 15);
}

Test(frame, nframes_a_multiple_of_32_drains_cleanly)
{
    struct frame_pool pool;
    pool_new(&pool, 64);
    frame_pool_add(&pool, 0, 64 * PAGE);
    uint32_t frames[64];
    cr_assert_eq(drain(&pool, frames, 64), 64);
    cr_assert_eq(frames[63], 63 * PAGE);
    uint32_t f;
    cr_assert_eq(frame_alloc(&pool, &f), ERR_NO_MEMORY);
    /* the first untracked frame sits right past the bitmap's last word */
    cr_assert_eq(frame_free(&pool, 64 * PAGE), ERR_INVALID);
    cr_assert(frame_in_use(&pool, 64 * PAGE));
}

/* Random allocs and frees against a model of which frames are taken. */
Test(frame, random_alloc_free_matches_a_model)
{
    struct frame_pool pool;
    pc_pool(&pool);
    static bool taken[PC_FRAMES];
    uint32_t held[PC_FRAMES], nheld = 0;
    memset(taken, 0, sizeof taken);
    uint32_t rng = 99;
    for (int step = 0; step < 20000; step++) {
        rng = rng * 1103515245u + 12345u;
        uint32_t f;
        if ((rng >> 16) % 3 != 0) {
            enum relay_error err = frame_alloc(&pool, &f);
            if (nheld == PC_FREE) {
                cr_assert_eq(err, ERR_NO_MEMORY, "step %d", step);
                continue;
            }
            cr_assert_eq(err, ERR_NONE, "step %d", step);
            cr_assert(in_ram(f) && !touches_reserved(f), "step %d frame %#x", step, f);
            cr_assert_not(taken[f / PAGE], "step %d: %#x handed out twice", step, f);
            taken[f / PAGE] = true;
            held[nheld++] = f;
        } else if (nheld) {
            uint32_t k = (rng >> 8) % nheld;
            f = held[k];
            held[k] = held[--nheld];
            cr_assert_eq(frame_free(&pool, f), ERR_NONE, "step %d", step);
            taken[f / PAGE] = false;
        }
        cr_assert_eq(pool.free, PC_FREE - nheld, "step %d", step);
    }
}
