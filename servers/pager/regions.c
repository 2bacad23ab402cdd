/* The default pager's pure bookkeeping: see regions.h. */
#include "regions.h"
#include <relay/error.h>
#include <relay/pager_proto.h>

#define ALIGNED(a) (((a) & (REGION_PAGE - 1)) == 0)

void space_init(struct space *s)
{
    for (uint32_t i = 0; i < REGIONS_MAX; i++)
        s->region[i] = (struct region){ 0 };
    s->region[0] = (struct region){ .kind = REGION_HEAP, .lo = PAGER_HEAP_BASE,
                                    .hi = PAGER_HEAP_BASE + PAGER_HEAP_MAX,
                                    .start = PAGER_HEAP_BASE, .end = PAGER_HEAP_BASE };
    s->brk = PAGER_HEAP_BASE;
}

/* Whether [lo, hi) is inside [low, high) and clear of every region. */
static int room_in(const struct space *s, uint32_t low, uint32_t high, uint32_t lo, uint32_t hi)
{
    if (lo < low || hi > high || lo >= hi)
        return 0;
    for (uint32_t i = 0; i < REGIONS_MAX; i++) {
        const struct region *r = &s->region[i];
        if (r->kind != REGION_NONE && lo < r->hi && r->lo < hi)
            return 0;
    }
    return 1;
}

static int room(const struct space *s, uint32_t lo, uint32_t hi)
{
    return room_in(s, PAGER_USER_LOW, PAGER_USER_HIGH, lo, hi);
}

static int add(struct space *s, struct region r)
{
    if (!room_in(s, r.kind == REGION_IMAGE ? PAGER_IMAGE_LOW : PAGER_USER_LOW,
                 r.kind == REGION_STACK ? PAGER_STACK_HIGH : PAGER_USER_HIGH, r.lo, r.hi))
        return ERR_RANGE;
    for (uint32_t i = 1; i < REGIONS_MAX; i++)
        if (s->region[i].kind == REGION_NONE) {
            s->region[i] = r;
            return ERR_NONE;
        }
    return ERR_NO_MEMORY;
}

/* pages * REGION_PAGE bytes from start, without wrapping: the end, or 0. */
static uint32_t span_end(uint32_t start, uint32_t pages)
{
    if (pages == 0 || pages > 0x100000u - (start / REGION_PAGE))
        return 0;
    return start + pages * REGION_PAGE;
}

int space_add_anon(struct space *s, uint32_t start, uint32_t pages)
{
    uint32_t end = span_end(start, pages);
    if (!ALIGNED(start) || end == 0)
        return ERR_INVALID;
    return add(s, (struct region){ .kind = REGION_ANON, .lo = start, .hi = end, .start = start, .end = end });
}

int space_add_stack(struct space *s, uint32_t top, uint32_t pages)
{
    if (!ALIGNED(top) || pages == 0 || pages >= top / REGION_PAGE)
        return ERR_INVALID;
    uint32_t limit = top - pages * REGION_PAGE;
    return add(s, (struct region){ .kind = REGION_STACK, .lo = limit - REGION_PAGE, .hi = top,
                                   .start = limit, .end = top, .grown = top });
}

int space_add_image(struct space *s, uint32_t image, uint32_t vaddr, uint32_t memsz,
                    uint32_t offset, uint32_t filesz, uint32_t writable)
{
    if (memsz == 0 || filesz > memsz || vaddr + memsz < vaddr || offset + filesz < offset ||
        ((vaddr ^ offset) & (REGION_PAGE - 1)))
        return ERR_INVALID;
    uint32_t lo = vaddr & ~(REGION_PAGE - 1), end = vaddr + memsz;
    uint32_t hi = (end + REGION_PAGE - 1) & ~(REGION_PAGE - 1);
    if (hi < end)
        return ERR_RANGE;
    struct region r = { .kind = REGION_IMAGE, .lo = lo, .hi = hi, .start = lo, .end = hi };
    r.image = image;
    r.file_lo = vaddr;
    r.file_hi = vaddr + filesz;
    r.bias = offset - vaddr;
    r.writable = writable != 0;
    return add(s, r);
}

int space_map_anon(struct space *s, uint32_t pages, uint32_t addr, uint32_t *out)
{
    if (addr != 0) {
        int err = space_add_anon(s, addr, pages);
        if (!err)
            *out = addr;
        return err;
    }
    if (pages == 0 || span_end(PAGER_ANON_BASE, pages) == 0)
        return ERR_INVALID;
    /* First fit from PAGER_ANON_BASE: try the base and the end of every region above it. */
    uint32_t best = 0;
    for (uint32_t i = 0; i <= REGIONS_MAX; i++) {
        uint32_t at = i == REGIONS_MAX ? PAGER_ANON_BASE : s->region[i].hi;
        if (i < REGIONS_MAX && (s->region[i].kind == REGION_NONE || at < PAGER_ANON_BASE))
            continue;
        uint32_t end = span_end(at, pages);
        if (end && room(s, at, end) && (best == 0 || at < best))
            best = at;
    }
    if (best == 0)
        return ERR_RANGE;
    int err = space_add_anon(s, best, pages);
    if (!err)
        *out = best;
    return err;
}

int space_remove(struct space *s, uint32_t start, uint32_t pages, struct region *gone)
{
    uint32_t end = span_end(start, pages);
    for (uint32_t i = 1; i < REGIONS_MAX; i++) {
        struct region *r = &s->region[i];
        if (r->kind == REGION_ANON && r->start == start && r->end == end) {
            *gone = *r;
            *r = (struct region){ 0 };
            return ERR_NONE;
        }
    }
    return ERR_NOT_MAPPED;
}

#define PAGE_ROUND_UP(a) (((a) + REGION_PAGE - 1) & ~(REGION_PAGE - 1))

int space_sbrk(struct space *s, int32_t inc, uint32_t *old, uint32_t *drop_lo, uint32_t *drop_hi)
{
    struct region *heap = &s->region[0];
    uint32_t brk = s->brk, next;
    if (inc >= 0 ? (uint32_t)inc > heap->hi - brk : (uint32_t)-(int64_t)inc > brk - heap->lo)
        return ERR_RANGE;
    next = brk + (uint32_t)inc;
    *old = brk;
    *drop_lo = *drop_hi = PAGE_ROUND_UP(next);
    if (next < brk)
        *drop_hi = PAGE_ROUND_UP(brk);
    s->brk = next;
    heap->end = PAGE_ROUND_UP(next);
    return ERR_NONE;
}

struct region *space_find(struct space *s, uint32_t addr)
{
    for (uint32_t i = 0; i < REGIONS_MAX; i++) {
        struct region *r = &s->region[i];
        if (r->kind != REGION_NONE && addr >= r->start && addr < r->end)
            return r;
    }
    return 0;
}

enum fault_plan space_plan(struct space *s, uint32_t addr, uint32_t err)
{
    struct region *r = space_find(s, addr);
    if (!r) {
        for (uint32_t i = 0; i < REGIONS_MAX; i++)
            if (s->region[i].kind == REGION_STACK && addr >= s->region[i].lo && addr < s->region[i].start)
                return PLAN_GUARD;
        return PLAN_SEGV;
    }
    uint32_t page = addr & ~(REGION_PAGE - 1);
    if (r->kind == REGION_IMAGE) {
        if (err & PF_PRESENT)
            return (err & PF_WRITE) && r->writable ? PLAN_COW : PLAN_SEGV;
        if ((err & PF_WRITE) && !r->writable)
            return PLAN_SEGV;                       /* a write to text or rodata */
        if (!r->writable && page >= r->file_lo && page + REGION_PAGE <= r->file_hi &&
            page + REGION_PAGE > page)
            return PLAN_SHARE;
        return PLAN_FILL;
    }
    if (err & PF_PRESENT)
        return err & PF_WRITE ? PLAN_COW : PLAN_SEGV;
    if (r->kind == REGION_STACK && page < r->grown)
        r->grown = page;
    return PLAN_ZERO;
}

int holders_trackable(uint32_t pa)
{
    return pa / REGION_PAGE < HOLDER_FRAMES;
}

void holders_add(struct frame_holders *h, uint32_t pa, uint32_t client)
{
    if (holders_trackable(pa) && client < PAGER_CLIENTS_MAX)
        h->mask[pa / REGION_PAGE] |= 1u << client;
}

uint32_t holders_drop(struct frame_holders *h, uint32_t pa, uint32_t client)
{
    if (!holders_trackable(pa) || client >= PAGER_CLIENTS_MAX)
        return 0;
    h->mask[pa / REGION_PAGE] &= ~(1u << client);
    return holders_count(h, pa);
}

uint32_t holders_count(const struct frame_holders *h, uint32_t pa)
{
    if (!holders_trackable(pa))
        return 0;
    return (uint32_t)__builtin_popcount(h->mask[pa / REGION_PAGE]);
}

int holders_has(const struct frame_holders *h, uint32_t pa, uint32_t client)
{
    return holders_trackable(pa) && client < PAGER_CLIENTS_MAX &&
           (h->mask[pa / REGION_PAGE] >> client & 1u);
}
