/*
 * Drawing a call: its number, timeout and arguments, from (seed, index).
 *
 * Each call has its own stream of numbers, splitmix64 started from a hash
 * of (seed, index), so any worker can make call k without the ones before
 * it.  Numbers are mostly the calls of RELAY_SYSCALLS (exit and
 * kernel_check rarely: every exit costs a new worker, and on the test
 * kernel every kernel_check a walk of the whole kernel, which the run makes
 * every 10,000 calls anyway), sometimes any number 0..255; the timeout is
 * mostly TIMEOUT_POLL, never TIMEOUT_FOREVER; the arguments come from
 * values.c.
 */
#include "fuzz.h"
#include "rng.h"

uint32_t fuzz_side_draw(uint32_t seed, uint32_t k)
{
    uint64_t s = stream(seed, k, 0x5151515151515151ull);
    return draw(&s);
}

struct call_kind {
    uint8_t nr, nargs;
};

static const struct call_kind calls[] = {
#define FUZZ_CALL_KIND(name, nr, nargs, doc) { nr, nargs },
    RELAY_SYSCALLS(FUZZ_CALL_KIND)
#undef FUZZ_CALL_KIND
};
#define CALL_KINDS (sizeof calls / sizeof calls[0])

uint32_t fuzz_call_args(uint32_t nr)
{
    for (uint32_t i = 0; i < CALL_KINDS; i++)
        if (calls[i].nr == nr)
            return calls[i].nargs;
    return 6;                              /* not a call: show every register */
}

#define ANY_NUMBER_ONE_IN 16u   /* calls whose number is any 0..255 */
#define EXIT_KEPT_ONE_IN  64u     /* of the draws of exit, those kept */
#define CHECK_KEPT_ONE_IN 1024u   /* of the draws of kernel_check, those kept */

/* Whether to draw again instead of making call nr: it is a rare one. */
static int redraw(uint64_t *s, uint32_t nr)
{
    if (nr == SYS_exit)
        return below(s, EXIT_KEPT_ONE_IN) != 0;
    if (nr == SYS_kernel_check)
        return below(s, CHECK_KEPT_ONE_IN) != 0;
    return 0;
}

static struct call_kind draw_kind(uint64_t *s)
{
    if (below(s, ANY_NUMBER_ONE_IN) == 0)
        return (struct call_kind){ (uint8_t)below(s, 256), 6 };
    struct call_kind k = calls[below(s, CALL_KINDS)];
    while (redraw(s, k.nr))
        k = calls[below(s, CALL_KINDS)];
    return k;
}

/* TIMEOUT_POLL mostly, else 1..FUZZ_TIMEOUT_MAX ticks; never TIMEOUT_FOREVER. */
static uint32_t draw_timeout(uint64_t *s)
{
    return below(s, 8) ? TIMEOUT_POLL : 1 + below(s, FUZZ_TIMEOUT_MAX);
}

void fuzz_draw(uint32_t seed, uint32_t k, const struct fuzz_pools *p, struct fuzz_call *c)
{
    uint64_t s = stream(seed, k, 0);
    struct call_kind kind = draw_kind(&s);
    const struct call_shape *shape = call_shape(kind.nr);
    c->index = k;
    c->eax = RELAY_SYSNR(kind.nr, draw_timeout(&s));
    for (uint32_t i = 0; i < 6; i++)      /* unused ones too: the kernel must ignore them */
        c->arg[i] = fuzz_argument(&s, p, shape->param[i]);
    c->send_handle = fuzz_argument(&s, p, P_HANDLE);
    c->map[0] = fuzz_argument(&s, p, P_ADDRESS);
    c->map[1] = below(&s, MSG_MAP_PAGES_MAX + 4);
    c->map[2] = below(&s, 4);
    c->map[3] = fuzz_argument(&s, p, P_ADDRESS);
    c->map[4] = below(&s, MSG_MAP_PAGES_MAX + 4);
    c->error = FUZZ_PENDING;
    c->result = 0;
}
