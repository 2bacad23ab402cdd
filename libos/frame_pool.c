/* A pool of physical frames: see relay/frame_pool.h. */
#include <relay/frame_pool.h>
#include <relay/layout.h>
#include <relay/error.h>

static int bit_used(const struct frame_pool *p, uint32_t bit)
{
    return p->used[bit / 32] >> (bit % 32) & 1;
}

static void set_used(struct frame_pool *p, uint32_t bit, int used)
{
    if (used)
        p->used[bit / 32] |= 1u << (bit % 32);
    else
        p->used[bit / 32] &= ~(1u << (bit % 32));
}

static int overlaps(const struct frame_pool *p, uint32_t start, uint32_t end)
{
    for (uint32_t i = 0; i < p->span_count; i++)
        if (start < p->spans[i].end && p->spans[i].start < end)
            return 1;
    return 0;
}

/* Only the words of the bitmap that hold the pool's bits are written (bits
   past total are never read): a pool of a few frames touches one page. */
void frame_pool_init(struct frame_pool *p, const struct phys_span *spans, uint32_t count)
{
    p->span_count = p->total = p->free = p->hint = 0;
    for (uint32_t i = 0; i < count && i < STARTUP_RANGES_MAX; i++) {
        uint32_t start = PAGE_UP(spans[i].start), end = PAGE_DOWN(spans[i].end);
        if (start < spans[i].start || end <= start || overlaps(p, start, end))
            continue;                            /* wrapped, empty or overlapping */
        uint32_t frames = (end - start) / PAGE_SIZE;
        if (frames > FRAME_POOL_MAX - p->total)
            frames = FRAME_POOL_MAX - p->total;
        if (!frames)
            break;
        p->spans[p->span_count] = (struct phys_span){ start, start + frames * PAGE_SIZE };
        p->first[p->span_count++] = p->total;
        p->total += frames;
    }
    for (uint32_t i = 0; i < (p->total + 31) / 32; i++)
        p->used[i] = 0;
    p->free = p->total;
}

/* The span holding bit (bit < total). */
static uint32_t span_of_bit(const struct frame_pool *p, uint32_t bit)
{
    uint32_t s = 0;
    while (s + 1 < p->span_count && p->first[s + 1] <= bit)
        s++;
    return s;
}

static uint32_t bit_to_pa(const struct frame_pool *p, uint32_t bit)
{
    uint32_t s = span_of_bit(p, bit);
    return p->spans[s].start + (bit - p->first[s]) * PAGE_SIZE;
}

/* The bit for pa, or total if pa is in no span. */
static uint32_t pa_to_bit(const struct frame_pool *p, uint32_t pa)
{
    for (uint32_t s = 0; s < p->span_count; s++)
        if (pa >= p->spans[s].start && pa < p->spans[s].end)
            return p->first[s] + (pa - p->spans[s].start) / PAGE_SIZE;
    return p->total;
}

/* The first free bit at or after from, or total. */
static uint32_t next_free(const struct frame_pool *p, uint32_t from)
{
    for (uint32_t b = from; b < p->total; b++) {
        if (b % 32 == 0 && p->used[b / 32] == ~0u) {
            b += 31;                             /* a whole word in use */
            continue;
        }
        if (!bit_used(p, b))
            return b;
    }
    return p->total;
}

/* Where bit's span ends (a bit number). */
static uint32_t span_end_of(const struct frame_pool *p, uint32_t bit)
{
    uint32_t s = span_of_bit(p, bit);
    return s + 1 < p->span_count ? p->first[s + 1] : p->total;
}

/* How many bits from bit on are used (used) or free (!used), up to max
 * (bit + max <= total): a word at a time. */
static uint32_t run_of(const struct frame_pool *p, uint32_t bit, uint32_t max, int used)
{
    uint32_t n = 0;
    while (n < max) {
        uint32_t b = bit + n, off = b % 32;
        uint32_t w = p->used[b / 32] >> off;     /* bit b now bit 0; zeros shifted in above */
        uint32_t x = used ? ~w : w;              /* (for used: ones shifted in, so it stops) */
        uint32_t run = x ? (uint32_t)__builtin_ctz(x) : 32 - off;
        if (run > 32 - off)
            run = 32 - off;
        n += run;
        if (b % 32 + run < 32)
            break;                               /* the run ended inside this word */
    }
    return n < max ? n : max;
}

/* Bits [bit, bit + n) used (used) or free, a word at a time. */
static void set_run(struct frame_pool *p, uint32_t bit, uint32_t n, int used)
{
    while (n) {
        uint32_t off = bit % 32, k = 32 - off < n ? 32 - off : n;
        uint32_t mask = (k == 32 ? ~0u : (1u << k) - 1) << off;
        if (used)
            p->used[bit / 32] |= mask;
        else
            p->used[bit / 32] &= ~mask;
        bit += k;
        n -= k;
    }
}

/* Free bits from bit on, in bit's span, up to max. */
static uint32_t free_run(const struct frame_pool *p, uint32_t bit, uint32_t max)
{
    uint32_t left = span_end_of(p, bit) - bit;
    return run_of(p, bit, max < left ? max : left, 0);
}

static void take(struct frame_pool *p, uint32_t bit, uint32_t n)
{
    set_run(p, bit, n, 1);
    p->free -= n;
    if (bit == p->hint)
        p->hint = next_free(p, bit + n);
}

int frame_pool_alloc(struct frame_pool *p, uint32_t *pa)
{
    return frame_pool_alloc_range(p, 1, pa);
}

int frame_pool_alloc_range(struct frame_pool *p, uint32_t count, uint32_t *pa)
{
    if (count == 0)
        return ERR_INVALID;
    if (count > p->free)
        return ERR_NO_MEMORY;
    uint32_t b = next_free(p, p->hint);
    while (b < p->total) {
        uint32_t n = free_run(p, b, count);
        if (n == count) {
            *pa = bit_to_pa(p, b);
            take(p, b, n);
            return ERR_NONE;
        }
        b = next_free(p, b + n);                 /* b + n is in use, or starts the next span */
    }
    return ERR_NO_MEMORY;
}

uint32_t frame_pool_alloc_run(struct frame_pool *p, uint32_t max, uint32_t *pa)
{
    uint32_t b = next_free(p, p->hint);
    if (max == 0 || b >= p->total)
        return 0;
    uint32_t n = free_run(p, b, max);
    *pa = bit_to_pa(p, b);
    take(p, b, n);
    return n;
}

int frame_pool_free(struct frame_pool *p, uint32_t pa)
{
    if (pa % PAGE_SIZE)
        return ERR_INVALID;
    uint32_t bit = pa_to_bit(p, pa);
    if (bit >= p->total)
        return ERR_NOT_OWNER;
    if (!bit_used(p, bit))
        return ERR_INVALID;
    set_used(p, bit, 0);
    p->free++;
    if (bit < p->hint)
        p->hint = bit;
    return ERR_NONE;
}

/* A span at a time: the frames' bits follow one another within a span. */
int frame_pool_free_range(struct frame_pool *p, uint32_t pa, uint32_t count)
{
    if (count && pa % PAGE_SIZE)
        return ERR_INVALID;
    for (uint32_t i = 0; i < count;) {
        uint32_t bit = pa_to_bit(p, pa + i * PAGE_SIZE);
        if (bit >= p->total)
            return ERR_NOT_OWNER;
        uint32_t left = span_end_of(p, bit) - bit, want = count - i < left ? count - i : left;
        uint32_t n = run_of(p, bit, want, 1);    /* in use, as they must be */
        set_run(p, bit, n, 0);
        p->free += n;
        if (bit < p->hint)
            p->hint = bit;
        if (n < want)
            return ERR_INVALID;                  /* the next is free already */
        i += n;
    }
    return ERR_NONE;
}
