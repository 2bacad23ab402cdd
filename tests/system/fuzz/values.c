/*
 * An argument's value.  Half are drawn from classes of interesting values,
 * whatever the parameter: the worker's handles, whole or with a generation
 * or slot bit flipped, 0, ~0, small numbers, kernel addresses, the edges of
 * user space, buffers across the end of the straddle page, the worker's
 * frames, message info words, any number.  The other half are drawn for
 * what the call's doc string says the parameter is (shape.c): a handle of
 * that kind, an address in the play area, a frame, a pointer into the
 * straddle page, a priority, a small number.
 */
#include "fuzz.h"
#include "rng.h"

typedef uint32_t value_fn(uint64_t *s, const struct fuzz_pools *p);

static uint32_t v_handle(uint64_t *s, const struct fuzz_pools *p)
{
    return p->handle[below(s, p->handles)];
}

/* A handle with one generation bit (8..31) flipped: stale, or never made. */
static uint32_t v_handle_generation(uint64_t *s, const struct fuzz_pools *p)
{
    return v_handle(s, p) ^ 1u << (8 + below(s, 24));
}

/* A handle with one slot bit (0..7) flipped: another slot, this generation. */
static uint32_t v_handle_slot(uint64_t *s, const struct fuzz_pools *p)
{
    return v_handle(s, p) ^ 1u << below(s, 8);
}

static uint32_t v_zero(uint64_t *s, const struct fuzz_pools *p)
{
    (void)s, (void)p;
    return 0;
}

static uint32_t v_ones(uint64_t *s, const struct fuzz_pools *p)
{
    (void)s, (void)p;
    return 0xFFFFFFFFu;
}

static uint32_t v_small(uint64_t *s, const struct fuzz_pools *p)
{
    (void)p;
    return 1 + below(s, 32);
}

static uint32_t v_kernel(uint64_t *s, const struct fuzz_pools *p)
{
    static const uint32_t kernel[] = { USER_TOP, 0xC0100000u, 0xFFFFF000u, 0xFFFFFFFCu };
    (void)p;
    return below(s, 4) ? PICK(s, kernel) : USER_TOP | (draw(s) & (0xFFFFFFFFu - USER_TOP));
}

/* Edges of user space and of the worker's own regions (none it writes to
 * through a pointer of more than 4 bytes). */
static uint32_t v_boundary(uint64_t *s, const struct fuzz_pools *p)
{
    static const uint32_t edges[] = {
        PAGE_SIZE, PAGE_SIZE - 1, STARTUP_VADDR, USER_TOP - 1, USER_TOP - 4,
        STACK_TOP, STACK_TOP - 4, PROGRAM_BASE, PROGRAM_BASE - PAGE_SIZE, UTCB_BASE,
    };
    (void)p;
    return PICK(s, edges);
}

/* Buffers ending in, starting in, or at the edge of the unmapped page after
 * the worker's straddle page. */
static uint32_t v_straddle(uint64_t *s, const struct fuzz_pools *p)
{
    static const uint32_t back[] = { 1, 2, 4, 8, 16, 24, 28, 40, 64, 100, PAGE_SIZE, 0 };
    (void)p;
    return FUZZ_STRADDLE_VA + PAGE_SIZE - PICK(s, back);
}

static uint32_t v_frame(uint64_t *s, const struct fuzz_pools *p)
{
    uint32_t pa = p->frames ? p->frame[below(s, p->frames)] : PAGE_SIZE;
    return below(s, 8) ? pa : pa + below(s, PAGE_SIZE);
}

/* A message info word: any label, a length around MSG_WORDS_MAX, sometimes
 * a handle or a map item, sometimes the kernel's own bits (which a send
 * must lose). */
static uint32_t v_msginfo(uint64_t *s, const struct fuzz_pools *p)
{
    (void)p;
    uint32_t label = below(s, 4) ? below(s, 16) : draw(s) & MSGINFO_LABEL_MAX;
    uint32_t flags = below(s, 4) ? 0 : MSGINFO_HANDLE;
    if (below(s, 4) == 0)
        flags |= MSGINFO_MAP;
    if (below(s, 8) == 0)
        flags |= draw(s) & MSGINFO_RESERVED;
    return label << MSGINFO_LABEL_SHIFT | flags | below(s, MSG_WORDS_MAX + 4);
}

/* Whether v lies in memory the worker lives on: its image, its stacks, the
 * shared page.  A kernel write there would change the fuzzer, not test it. */
static int own_memory(uint32_t v)
{
    return v - PROGRAM_BASE < FUZZ_PROGRAM_SPAN || v - (STACK_TOP - STACK_SIZE) < STACK_SIZE
        || v - THREAD_STACKS_BASE < THREADS_MAX * THREAD_STACK_SIZE
        || v - FUZZ_SHARED_VA < PAGE_SIZE;
}

/* Any number; one in the worker's own memory moves out of it (bit 30). */
static uint32_t v_random(uint64_t *s, const struct fuzz_pools *p)
{
    (void)p;
    uint32_t v = draw(s);
    return own_memory(v) ? v ^ 0x40000000u : v;
}

static uint32_t v_random_page(uint64_t *s, const struct fuzz_pools *p)
{
    return v_random(s, p) & ~(PAGE_SIZE - 1);
}

/* The classes and their weights: how many of VALUE_WEIGHTS draws each gets. */
#define VALUE_CLASSES(X)                                                          \
    X(v_handle, 8) X(v_handle_generation, 2) X(v_handle_slot, 2)                  \
    X(v_zero, 3) X(v_ones, 1) X(v_small, 4) X(v_kernel, 2) X(v_boundary, 2)       \
    X(v_straddle, 2) X(v_frame, 2) X(v_msginfo, 2) X(v_random, 1) X(v_random_page, 1)

static const struct value_class {
    value_fn *fn;
    uint32_t weight;
} value_classes[] = {
#define VALUE_CLASS(fn, weight) { fn, weight },
    VALUE_CLASSES(VALUE_CLASS)
#undef VALUE_CLASS
};

enum {
#define VALUE_WEIGHT(fn, weight) + weight
    VALUE_WEIGHTS = 0 VALUE_CLASSES(VALUE_WEIGHT)
#undef VALUE_WEIGHT
};

static uint32_t draw_value(uint64_t *s, const struct fuzz_pools *p)
{
    uint32_t w = below(s, VALUE_WEIGHTS);
    const struct value_class *v = value_classes;
    while (w >= v->weight)
        w -= v++->weight;
    return v->fn(s, p);
}

/* ---------------------------------------------------------------- by kind */

/* A pool handle as it is, or (one in four) with a generation or slot bit flipped. */
static uint32_t maybe_flip(uint64_t *s, uint32_t h)
{
    uint32_t r = below(s, 8);
    return r == 0 ? h ^ 1u << (8 + below(s, 24)) : r == 1 ? h ^ 1u << below(s, 8) : h;
}

/* Whether a handle of this kind will do for a parameter of that kind.  The
 * fuzzing thread's own handle is a thread one time in SELF_THREAD_ONE_IN:
 * suspending or killing itself ends a worker, which is worth doing, but
 * not in one of every few hundred calls. */
#define SELF_THREAD_ONE_IN 8u
static int fits(uint64_t *s, uint8_t have, uint8_t want)
{
    if (have == K_SELF_THREAD)
        return (want == P_THREAD || want == P_HANDLE) && below(s, SELF_THREAD_ONE_IN) == 0;
    return want == P_HANDLE ? have != K_UNKNOWN : have == want;
}

/* A handle of the kind wanted (any known kind for P_HANDLE), if the pools have one. */
static uint32_t t_handle(uint64_t *s, const struct fuzz_pools *p, uint8_t kind)
{
    uint32_t start = below(s, p->handles);
    for (uint32_t i = 0, j = start; i < p->handles; i++, j = j + 1 == p->handles ? 0 : j + 1)
        if (fits(s, p->kind[j], kind))
            return maybe_flip(s, p->handle[j]);
    return maybe_flip(s, p->handle[start]);
}

static uint32_t t_address(uint64_t *s, const struct fuzz_pools *p)
{
    return below(s, 4) ? FUZZ_PLAY_VA + below(s, FUZZ_PLAY_PAGES) * PAGE_SIZE : v_boundary(s, p);
}

/* Inside the straddle page (writable, the worker's), or across its end. */
static uint32_t t_pointer(uint64_t *s, const struct fuzz_pools *p)
{
    return below(s, 2) ? FUZZ_STRADDLE_VA + below(s, 64) * 4 : v_straddle(s, p);
}

static uint32_t t_priority(uint64_t *s, const struct fuzz_pools *p)
{
    static const uint32_t beyond[] = { THREAD_PRIORITIES - 1, THREAD_PRIORITIES, 0xFFu };
    (void)p;
    return below(s, 4) ? below(s, PARTNER_PRIORITY + 2) : PICK(s, beyond);
}

static uint32_t t_small(uint64_t *s, const struct fuzz_pools *p)
{
    return below(s, 4) ? below(s, 4) : v_small(s, p);
}

static uint32_t draw_for(uint64_t *s, const struct fuzz_pools *p, uint8_t kind)
{
    switch (kind) {
    case P_ADDRESS:  return t_address(s, p);
    case P_FRAME:    return v_frame(s, p);
    case P_POINTER:  return t_pointer(s, p);
    case P_INFO:     return v_msginfo(s, p);
    case P_PRIORITY: return t_priority(s, p);
    case P_SMALL:    return t_small(s, p);
    case P_ANY:      return draw_value(s, p);
    default:         return t_handle(s, p, kind);
    }
}

/* Half the arguments for what the parameter is, half from any class. */
uint32_t fuzz_argument(uint64_t *s, const struct fuzz_pools *p, uint8_t kind)
{
    return below(s, 2) ? draw_value(s, p) : draw_for(s, p, kind);
}

