/* The frame allocator: see bootmem.h. */
#include "bootmem.h"
#include "kstring.h"

static int bit_get(const uint32_t *map, uint32_t i) { return (map[i / 32] >> (i % 32)) & 1; }
static void bit_set(uint32_t *map, uint32_t i) { map[i / 32] |= 1u << (i % 32); }
static void bit_clear(uint32_t *map, uint32_t i) { map[i / 32] &= ~(1u << (i % 32)); }

/* The second bitmap: which in-use frames frame_alloc handed out. */
static uint32_t *allocated(const struct frame_pool *pool)
{
    return pool->bitmap + FRAME_WORDS(pool->nframes);
}

void frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t nframes)
{
    for (uint32_t w = 0; w < FRAME_WORDS(nframes); w++) {
        bitmap[w] = ~0u;
        bitmap[FRAME_WORDS(nframes) + w] = 0;
    }
    *pool = (struct frame_pool){ bitmap, nframes, 0, nframes };
}

static void add_one(struct frame_pool *pool, uint32_t i)
{
    if (bit_get(pool->bitmap, i)) {
        bit_clear(pool->bitmap, i);
        bit_clear(allocated(pool), i);
        pool->free++;
    }
}

void frame_pool_add(struct frame_pool *pool, uint64_t start, uint64_t end)
{
    uint64_t first64 = (start + FRAME_SIZE - 1) / FRAME_SIZE, last64 = end / FRAME_SIZE;
    uint32_t last = last64 > pool->nframes ? pool->nframes : (uint32_t)last64;
    uint32_t first = first64 > last ? last : (uint32_t)first64, i = first;
    for (; i < last && i % 32; i++)
        add_one(pool, i);
    uint32_t w0 = i / 32, w1 = last / 32;
    if (w1 > w0) {                             /* whole words at once */
        for (uint32_t w = w0; w < w1; w++)
            pool->free += pool->bitmap[w] == ~0u ? 32 : (uint32_t)__builtin_popcount(pool->bitmap[w]);
        memset(&pool->bitmap[w0], 0, (w1 - w0) * sizeof(uint32_t));
        memset(&allocated(pool)[w0], 0, (w1 - w0) * sizeof(uint32_t));
        i = w1 * 32;
    }
    for (; i < last; i++)
        add_one(pool, i);
    if (first < last && first < pool->hint)
        pool->hint = first;
}

void frame_pool_reserve(struct frame_pool *pool, uint64_t start, uint64_t end)
{
    uint64_t first = start / FRAME_SIZE;
    uint64_t last = (end + FRAME_SIZE - 1) / FRAME_SIZE;
    if (last > pool->nframes)
        last = pool->nframes;
    for (uint64_t i = first; i < last; i++) {
        bit_clear(allocated(pool), (uint32_t)i);      /* reserved for good: never freed */
        if (bit_get(pool->bitmap, (uint32_t)i))
            continue;
        bit_set(pool->bitmap, (uint32_t)i);
        pool->free--;
    }
}

enum relay_error frame_alloc(struct frame_pool *pool, uint32_t *frame)
{
    if (pool->free == 0)
        return ERR_NO_MEMORY;
    uint32_t w = pool->hint / 32;
    while (pool->bitmap[w] == ~0u)       /* free > 0: a clear bit exists at or past the hint */
        w++;
    uint32_t i = w * 32 + (uint32_t)__builtin_ctz(~pool->bitmap[w]);
    bit_set(pool->bitmap, i);
    bit_set(allocated(pool), i);
    pool->free--;
    pool->hint = i + 1;
    *frame = i * FRAME_SIZE;
    return ERR_NONE;
}

enum relay_error frame_free(struct frame_pool *pool, uint32_t frame)
{
    uint32_t i = frame / FRAME_SIZE;
    if (frame % FRAME_SIZE || i >= pool->nframes || !bit_get(allocated(pool), i))
        return ERR_INVALID;
    bit_clear(allocated(pool), i);
    bit_clear(pool->bitmap, i);
    pool->free++;
    if (i < pool->hint)
        pool->hint = i;
    return ERR_NONE;
}

int frame_in_use(const struct frame_pool *pool, uint32_t pa)
{
    uint32_t i = pa / FRAME_SIZE;
    return i >= pool->nframes || bit_get(pool->bitmap, i);
}

int frame_allocated(const struct frame_pool *pool, uint32_t pa)
{
    uint32_t i = pa / FRAME_SIZE;
    return i < pool->nframes && bit_get(allocated(pool), i);
}
