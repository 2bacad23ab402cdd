/*
 * The Multiboot memory-map parser (microkernel/multiboot.c).  The maps are
 * laid out byte by byte here as the Multiboot spec (3.3) describes them:
 * u32 size (not counting itself), u64 base_addr, u64 length, u32 type, then
 * size - 20 bytes the parser must skip.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot.h"

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull
#define PAGE 0x1000ull

enum { RESERVED = 2, ACPI = 3, NVS = 4, BAD = 5 };

struct map {
    uint8_t bytes[4096];
    uint32_t len;
};

static void put_bytes(struct map *m, const void *p, size_t n)
{
    cr_assert_leq(m->len + n, sizeof m->bytes);
    memcpy(m->bytes + m->len, p, n);
    m->len += n;
}

/* Append an entry whose size field is `size` (20, or more with filler). */
static void entry_sized(struct map *m, uint32_t size, uint64_t addr, uint64_t len, uint32_t type)
{
    put_bytes(m, &size, 4);
    put_bytes(m, &addr, 8);
    put_bytes(m, &len, 8);
    put_bytes(m, &type, 4);
    for (uint32_t i = 20; i < size; i++)
        put_bytes(m, &(uint8_t){ 0xFF }, 1);   /* read as a size this would be huge */
}

static void entry(struct map *m, uint64_t addr, uint64_t len, uint32_t type)
{
    entry_sized(m, 20, addr, len, type);
}

/* Parse m into a heap copy of exactly m->len bytes, so ASan sees over-reads. */
static struct usable_ram parse(const struct map *m, uint64_t limit)
{
    uint8_t *copy = malloc(m->len ? m->len : 1);
    cr_assert_not_null(copy);
    memcpy(copy, m->bytes, m->len);
    struct usable_ram out;
    memset(&out, 0xA5, sizeof out);   /* mmap_usable must set every field */
    mmap_usable(copy, m->len, limit, &out);
    free(copy);
    return out;
}

static void assert_ranges(const struct usable_ram *u, const struct phys_range *want, unsigned n)
{
    cr_assert_eq(u->count, n, "got %u ranges, want %u", u->count, n);
    for (unsigned i = 0; i < n; i++) {
        cr_assert_eq(u->range[i].start, want[i].start, "range %u start %#llx, want %#llx", i,
                     (unsigned long long)u->range[i].start, (unsigned long long)want[i].start);
        cr_assert_eq(u->range[i].end, want[i].end, "range %u end %#llx, want %#llx", i,
                     (unsigned long long)u->range[i].end, (unsigned long long)want[i].end);
    }
}

#define ASSERT_RANGES(u, ...)                                                    \
    do {                                                                         \
        static const struct phys_range want_[] = { __VA_ARGS__ };               \
        assert_ranges(&(u), want_, sizeof want_ / sizeof want_[0]);             \
    } while (0)

/* ----------------------------------------------------------------- mmap_next */

Test(mmap_next, walks_entries_of_mixed_sizes)
{
    struct map m = { .len = 0 };
    entry_sized(&m, 20, 0x0, 0x9FC00, 1);
    entry_sized(&m, 24, 0x100000, 0x7EE0000, 1);
    entry_sized(&m, 20, 0xFFFC0000, 0x40000, RESERVED);
    cr_assert_eq(m.len, 24 + 28 + 24);

    uint32_t at = 0;
    bool truncated = false;
    struct mmap_entry e;
    cr_assert(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert_eq(at, 24);
    cr_assert_eq(e.addr, 0x0);
    cr_assert_eq(e.len, 0x9FC00);
    cr_assert_eq(e.type, 1);
    cr_assert(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert_eq(at, 24 + 28);
    cr_assert_eq(e.size, 24);
    cr_assert_eq(e.addr, 0x100000);
    cr_assert_eq(e.len, 0x7EE0000);
    cr_assert(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert_eq(e.addr, 0xFFFC0000);
    cr_assert_eq(e.type, RESERVED);
    cr_assert_not(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert_not(truncated);
}

Test(mmap_next, stops_at_a_cut_entry)
{
    struct map m = { .len = 0 };
    entry(&m, 0x0, 0x9FC00, 1);
    entry(&m, 0x100000, 0x100000, 1);
    m.len -= 5;
    uint32_t at = 0;
    bool truncated = false;
    struct mmap_entry e;
    cr_assert(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert_not(truncated);
    cr_assert_not(mmap_next(m.bytes, m.len, &at, &e, &truncated));
    cr_assert(truncated);
}

/* --------------------------------------------------------------- mmap_usable */

/* What QEMU's SeaBIOS reports for -m 128. */
static void qemu_128m(struct map *m)
{
    entry(m, 0x0, 0x9FC00, 1);
    entry(m, 0x9FC00, 0x400, RESERVED);
    entry(m, 0xF0000, 0x10000, RESERVED);
    entry(m, 0x100000, 0x7EE0000, 1);
    entry(m, 0x7FE0000, 0x20000, RESERVED);
    entry(m, 0xFFFC0000, 0x40000, RESERVED);
}

Test(mmap_usable, typical_qemu_map)
{
    struct map m = { .len = 0 };
    qemu_128m(&m);
    struct usable_ram u = parse(&m, 4 * GiB);
    /* 0x9FC00 rounds down to 0x9F000; 0x7FE0000 is already a page boundary */
    ASSERT_RANGES(u, { 0x0, 0x9F000 }, { 0x100000, 0x7FE0000 });
    cr_assert_not(u.truncated);
    cr_assert_not(u.overflow);
}

Test(mmap_usable, unsorted_entries_give_the_same_result)
{
    struct map m = { .len = 0 };
    entry(&m, 0xFFFC0000, 0x40000, RESERVED);
    entry(&m, 0x100000, 0x7EE0000, 1);
    entry(&m, 0x9FC00, 0x400, RESERVED);
    entry(&m, 0x7FE0000, 0x20000, RESERVED);
    entry(&m, 0x0, 0x9FC00, 1);
    entry(&m, 0xF0000, 0x10000, RESERVED);
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 0x0, 0x9F000 }, { 0x100000, 0x7FE0000 });
}

Test(mmap_usable, size_24_entries_are_skipped_whole)
{
    struct map m = { .len = 0 };
    entry_sized(&m, 24, 0x0, 0x9FC00, 1);
    entry_sized(&m, 24, 0x9FC00, 0x400, RESERVED);
    entry_sized(&m, 24, 0x100000, 0x7EE0000, 1);
    entry_sized(&m, 24, 0x7FE0000, 0x20000, RESERVED);
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 0x0, 0x9F000 }, { 0x100000, 0x7FE0000 });
    cr_assert_not(u.truncated);
}

Test(mmap_usable, overlapping_available_ranges_merge)
{
    struct map m = { .len = 0 };
    entry(&m, 2 * MiB, 3 * MiB, 1);        /* [2, 5) MiB */
    entry(&m, 1 * MiB, 2 * MiB, 1);        /* [1, 3) MiB */
    entry(&m, 3 * MiB, 1 * MiB, 1);        /* [3, 4) MiB: inside both */
    entry(&m, 5 * MiB, 1 * MiB, 1);        /* [5, 6) MiB: touches the end */
    entry(&m, 8 * MiB, 1 * MiB, 1);        /* [8, 9) MiB: apart */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 1 * MiB, 6 * MiB }, { 8 * MiB, 9 * MiB });
}

Test(mmap_usable, a_range_bridging_two_others_merges_all_three)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 1 * MiB, 1);        /* [1, 2) */
    entry(&m, 4 * MiB, 1 * MiB, 1);        /* [4, 5) */
    entry(&m, 7 * MiB, 1 * MiB, 1);        /* [7, 8) */
    entry(&m, 1 * MiB + PAGE, 4 * MiB, 1); /* [1 MiB + 4K, 5 MiB + 4K) */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 1 * MiB, 5 * MiB + PAGE }, { 7 * MiB, 8 * MiB });
}

Test(mmap_usable, reserved_punches_a_page_rounded_hole)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 15 * MiB, 1);           /* [0x100000, 0x1000000) */
    entry(&m, 0x400100, 0x100, RESERVED);      /* inside page 0x400000 */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 0x100000, 0x400000 }, { 0x401000, 0x1000000 });
}

Test(mmap_usable, reserved_wins_whatever_the_order)
{
    struct map m = { .len = 0 };
    entry(&m, 0x3FFFFF, 0x2, ACPI);            /* straddles pages 0x3FF000 and 0x400000 */
    entry(&m, 1 * MiB, 15 * MiB, 1);
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 0x100000, 0x3FF000 }, { 0x401000, 0x1000000 });
}

Test(mmap_usable, reserved_trims_ends_and_removes_whole_ranges)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 1 * MiB, 1);            /* [1, 2) MiB: wholly reserved below */
    entry(&m, 4 * MiB, 4 * MiB, 1);            /* [4, 8) MiB */
    entry(&m, 10 * MiB, 2 * MiB, 1);           /* [10, 12) MiB */
    entry(&m, 1 * MiB, 1 * MiB, RESERVED);     /* all of [1, 2) */
    entry(&m, 3 * MiB, 1 * MiB + 0x10, NVS);   /* [3 MiB, 4 MiB + 0x10): trims the start */
    entry(&m, 7 * MiB + 0x800, 4 * MiB, BAD);  /* [7 MiB + 2K, 11 MiB + 2K): spans two */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 4 * MiB + PAGE, 7 * MiB }, { 11 * MiB + PAGE, 12 * MiB });
}

Test(mmap_usable, available_rounds_inward_to_pages)
{
    struct map m = { .len = 0 };
    entry(&m, 0x1001, 0x4FFE, 1);              /* [0x1001, 0x5FFF) */
    entry(&m, 0x10800, 0x1000, 1);             /* [0x10800, 0x11800): no whole page */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 0x2000, 0x5000 });
}

Test(mmap_usable, entries_above_4gib_are_clipped)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 3 * GiB - 1 * MiB, 1);  /* [1 MiB, 3 GiB) */
    entry(&m, 4 * GiB, 4 * GiB, 1);            /* [4, 8) GiB: wholly above */
    entry(&m, 3 * GiB + 512 * MiB, 1 * GiB, 1);/* [3.5, 4.5) GiB: straddles 4 GiB */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 1 * MiB, 3 * GiB }, { 3 * GiB + 512 * MiB, 4 * GiB });
}

Test(mmap_usable, limit_clips_ranges)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 2 * GiB, 1);            /* [1 MiB, 2 GiB + 1 MiB) */
    entry(&m, 1 * GiB, 16 * MiB, 1);           /* wholly above the limit */
    struct usable_ram u = parse(&m, 0x30000000);
    ASSERT_RANGES(u, { 1 * MiB, 0x30000000 });
}

Test(mmap_usable, a_limit_inside_a_page_rounds_down)
{
    struct map m = { .len = 0 };
    entry(&m, 0, 16 * MiB, 1);
    struct usable_ram u = parse(&m, 8 * MiB + 0x800);
    ASSERT_RANGES(u, { 0, 8 * MiB });
}

Test(mmap_usable, a_length_that_wraps_2_to_the_64_ends_at_the_limit)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, UINT64_MAX, 1);         /* 1 MiB + (2^64 - 1) wraps */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 1 * MiB, 4 * GiB });
}

Test(mmap_usable, a_reserved_length_that_wraps_removes_to_the_limit)
{
    struct map m = { .len = 0 };
    entry(&m, 1 * MiB, 15 * MiB, 1);
    entry(&m, 8 * MiB, UINT64_MAX - 0x1000, RESERVED);   /* wraps past 2^64 */
    struct usable_ram u = parse(&m, 4 * GiB);
    ASSERT_RANGES(u, { 1 * MiB, 8 * MiB });
}

Test(mmap_usable, truncated_map_keeps_the_earlier_entries)
{
    struct map m = { .len = 0 };
    entry(&m, 0x0, 0x9FC00, 1);
    entry(&m, 0x100000, 0x100000, 1);
    entry(&m, 0x400000, 0x100000, 1);
    m.len -= 10;                               /* the last entry is cut short */
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.truncated);
    ASSERT_RANGES(u, { 0x0, 0x9F000 }, { 0x100000, 0x200000 });
}

Test(mmap_usable, truncated_inside_the_size_field)
{
    struct map m = { .len = 0 };
    entry(&m, 0x100000, 0x100000, 1);
    entry(&m, 0x400000, 0x100000, 1);
    m.len = 24 + 2;                            /* two bytes of the second size */
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.truncated);
    ASSERT_RANGES(u, { 0x100000, 0x200000 });
}

Test(mmap_usable, a_cut_reserved_entry_sets_the_flag)
{
    struct map m = { .len = 0 };
    entry(&m, 0x100000, 0x100000, 1);
    entry(&m, 0x180000, 0x1000, RESERVED);
    m.len -= 1;
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.truncated);
    ASSERT_RANGES(u, { 0x100000, 0x200000 });
}

Test(mmap_usable, size_field_below_20_is_truncation)
{
    struct map m = { .len = 0 };
    entry(&m, 0x100000, 0x100000, 1);
    entry_sized(&m, 16, 0x400000, 0x100000, 1);   /* claims 16 bytes: too short */
    entry(&m, 0x800000, 0x100000, 1);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.truncated);
    ASSERT_RANGES(u, { 0x100000, 0x200000 });
}

Test(mmap_usable, size_field_past_the_end_is_truncation)
{
    struct map m = { .len = 0 };
    entry(&m, 0x100000, 0x100000, 1);
    entry(&m, 0x400000, 0x100000, 1);
    uint32_t huge = 0xFFFFFFF0u;                   /* but only 20 bytes follow */
    memcpy(m.bytes + 24, &huge, sizeof huge);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.truncated);
    ASSERT_RANGES(u, { 0x100000, 0x200000 });
}

Test(mmap_usable, empty_map)
{
    struct map m = { .len = 0 };
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert_eq(u.count, 0);
    cr_assert_not(u.truncated);
    cr_assert_not(u.overflow);
}

Test(mmap_usable, only_reserved_entries)
{
    struct map m = { .len = 0 };
    entry(&m, 0, 4 * GiB, RESERVED);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert_eq(u.count, 0);
}

Test(mmap_usable, exactly_usable_max_ranges_fit)
{
    struct map m = { .len = 0 };
    for (uint64_t i = 0; i < USABLE_MAX; i++)
        entry(&m, i * 2 * MiB, 1 * MiB, 1);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert_eq(u.count, USABLE_MAX);
    cr_assert_not(u.overflow);
    for (unsigned i = 0; i < USABLE_MAX; i++) {
        cr_assert_eq(u.range[i].start, i * 2 * MiB);
        cr_assert_eq(u.range[i].end, i * 2 * MiB + 1 * MiB);
    }
}

Test(mmap_usable, more_than_usable_max_ranges_overflow)
{
    struct map m = { .len = 0 };
    for (uint64_t i = 0; i < USABLE_MAX + 5; i++)
        entry(&m, i * 2 * MiB, 1 * MiB, 1);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.overflow);
    cr_assert_eq(u.count, USABLE_MAX);
    /* what is kept is still real RAM, sorted and disjoint */
    for (unsigned i = 0; i < u.count; i++) {
        cr_assert_eq(u.range[i].start % (2 * MiB), 0);
        cr_assert_eq(u.range[i].end - u.range[i].start, 1 * MiB);
        if (i)
            cr_assert_gt(u.range[i].start, u.range[i - 1].end);
    }
}

Test(mmap_usable, holes_that_overflow_the_table_are_reported)
{
    struct map m = { .len = 0 };
    entry(&m, 0, 256 * MiB, 1);
    for (uint64_t i = 0; i < USABLE_MAX + 2; i++)
        entry(&m, i * 2 * MiB + 1 * MiB, PAGE, RESERVED);
    struct usable_ram u = parse(&m, 4 * GiB);
    cr_assert(u.overflow);
    cr_assert_leq(u.count, USABLE_MAX);
    /* no kept range may cover a reserved page */
    for (unsigned i = 0; i < u.count; i++)
        for (uint64_t r = 0; r < USABLE_MAX + 2; r++) {
            uint64_t hole = r * 2 * MiB + 1 * MiB;
            cr_assert(u.range[i].end <= hole || u.range[i].start >= hole + PAGE,
                      "range %u covers reserved page %#llx", i, (unsigned long long)hole);
        }
}

/* ---------------------------------------------- against a page-by-page model */

/*
 * Random maps over the first 64 pages, checked page by page against the
 * definition: a page is usable iff it lies wholly inside one available entry
 * and below the limit, and touches no entry of another type.
 */
#define MODEL_PAGES 64

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

struct model_entry {
    uint64_t addr, len;
    uint32_t type;
};

static bool model_usable(const struct model_entry *e, unsigned n, uint64_t limit, uint64_t page)
{
    uint64_t lo = page * PAGE, hi = lo + PAGE;
    if (hi > limit)
        return false;
    bool inside = false;
    for (unsigned i = 0; i < n; i++) {
        uint64_t s = e[i].addr, t = e[i].addr + e[i].len;
        if (e[i].type == 1 && s <= lo && hi <= t)
            inside = true;
        if (e[i].type != 1 && s < hi && lo < t)
            return false;
    }
    return inside;
}

static bool result_covers(const struct usable_ram *u, uint64_t page)
{
    for (unsigned i = 0; i < u->count; i++)
        if (u->range[i].start <= page * PAGE && page * PAGE + PAGE <= u->range[i].end)
            return true;
    return false;
}

Test(mmap_usable, random_maps_match_the_page_model)
{
    for (int round = 0; round < 2000; round++) {
        struct model_entry e[10];
        unsigned n = 1 + rng() % 10;
        struct map m = { .len = 0 };
        for (unsigned i = 0; i < n; i++) {
            e[i].addr = rng() % (MODEL_PAGES * PAGE);
            e[i].len = rng() % (24 * PAGE);
            e[i].type = rng() % 3 ? 1 : 1 + rng() % 4;
            if (rng() % 4 == 0) {                  /* often page-aligned */
                e[i].addr &= ~(PAGE - 1);
                e[i].len &= ~(PAGE - 1);
            }
            entry_sized(&m, rng() % 2 ? 20 : 24, e[i].addr, e[i].len, e[i].type);
        }
        uint64_t limit = (MODEL_PAGES / 2 + rng() % MODEL_PAGES) * PAGE + (rng() % 2 ? 0x123 : 0);
        struct usable_ram u = parse(&m, limit);
        cr_assert_not(u.truncated);
        cr_assert_not(u.overflow);
        for (unsigned i = 0; i < u.count; i++) {
            cr_assert_eq(u.range[i].start % PAGE, 0, "round %d", round);
            cr_assert_eq(u.range[i].end % PAGE, 0, "round %d", round);
            cr_assert_lt(u.range[i].start, u.range[i].end, "round %d", round);
            if (i)   /* sorted, disjoint, and merged: a gap between neighbours */
                cr_assert_gt(u.range[i].start, u.range[i - 1].end, "round %d", round);
        }
        for (uint64_t p = 0; p < 2 * MODEL_PAGES; p++)
            cr_assert_eq(result_covers(&u, p), model_usable(e, n, limit, p),
                         "round %d page %llu", round, (unsigned long long)p);
    }
}
