/*
 * The user-range check (microkernel/usercopy.h): [addr, addr + len) must lie
 * in [0, USER_END) without wrapping around 2^32; a zero length is valid
 * anywhere.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "usercopy.h"

/* The same rule in 64-bit arithmetic, where nothing wraps. */
static int reference_ok(uint32_t addr, uint32_t len)
{
    return len == 0 || (uint64_t)addr + len <= USER_END;
}

struct range_case {
    uint32_t addr, len;
    int ok;
};

static void check_cases(const struct range_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(!!user_range_ok(c[i].addr, c[i].len), c[i].ok, "[%#x, +%#x): expected %s",
                     c[i].addr, c[i].len, c[i].ok ? "ok" : "refused");
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof cases[0])

Test(usercopy, user_end_is_kernbase)
{
    cr_assert_eq(USER_END, 0xC0000000u);
}

Test(usercopy, zero_length_is_valid_anywhere)
{
    static const struct range_case cases[] = {
        { 0x00000000, 0, 1 }, { 0x00001000, 0, 1 }, { 0xBFFFFFFF, 0, 1 },
        { 0xC0000000, 0, 1 }, { 0xC0100000, 0, 1 }, { 0xFFFFFFFF, 0, 1 },
    };
    CHECK(cases);
}

Test(usercopy, the_last_byte_of_user_space)
{
    static const struct range_case cases[] = {
        { 0xBFFFFFFF, 1, 1 },
        { 0xBFFFFFFF, 2, 0 },
        { 0xBFFFFFFE, 2, 1 },
        { 0xBFFFF000, 0x1000, 1 },          /* the last page */
        { 0xBFFFF001, 0x1000, 0 },
        { 0xBFFFFFFC, 4, 1 },               /* the last word */
        { 0xBFFFFFFD, 4, 0 },
    };
    CHECK(cases);
}

Test(usercopy, kernel_addresses_are_refused)
{
    static const struct range_case cases[] = {
        { 0xC0000000, 1, 0 },
        { 0xC0000000, 0x1000, 0 },
        { 0xC0100000, 4, 0 },
        { 0xFFFFF000, 0x1000, 0 },
        { 0xFFFFFFFF, 1, 0 },
    };
    CHECK(cases);
}

Test(usercopy, wrap_around_is_refused)
{
    static const struct range_case cases[] = {
        { 0xFFFFFFF0, 0x20, 0 },            /* ends at 0x10 after wrapping */
        { 0x00000001, 0xFFFFFFFF, 0 },      /* ends at 0 */
        { 0x80000000, 0x80000000, 0 },      /* ends at 0 */
        { 0x80000000, 0x80000001, 0 },
        { 0x00001000, 0xFFFFF001, 0 },      /* ends at 1 */
        { 0xBFFFFFFF, 0xFFFFFFFF, 0 },
        { 0x00000000, 0xFFFFFFFF, 0 },
    };
    CHECK(cases);
}

Test(usercopy, all_of_user_space)
{
    static const struct range_case cases[] = {
        { 0x00000000, 0xC0000000, 1 },
        { 0x00000000, 0xC0000001, 0 },
        { 0x00000001, 0xBFFFFFFF, 1 },
        { 0x00000001, 0xC0000000, 0 },
    };
    CHECK(cases);
}

Test(usercopy, ordinary_ranges)
{
    static const struct range_case cases[] = {
        { 0x00000000, 1, 1 },               /* page 0: whether it is mapped is the copy's concern */
        { 0x08048000, 0x1000, 1 },
        { 0x40000000, 0x40000000, 1 },
        { 0x7FFFFFFF, 0x40000001, 1 },
    };
    CHECK(cases);
}

/* Every pair of interesting values, against the 64-bit reference. */
Test(usercopy, boundary_grid_matches_the_reference)
{
    static const uint32_t edges[] = { 0, 0x1000, 0x40000000, 0x80000000, USER_END, 0xFFFFF000,
                                      0xFFFFFFFF };
    static const int32_t nudges[] = { -2, -1, 0, 1, 2 };
    uint32_t values[sizeof edges / sizeof edges[0] * 5];
    size_t n = 0;
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
        for (size_t d = 0; d < 5; d++)
            values[n++] = edges[e] + (uint32_t)nudges[d];
    for (size_t a = 0; a < n; a++)
        for (size_t l = 0; l < n; l++)
            cr_assert_eq(!!user_range_ok(values[a], values[l]), reference_ok(values[a], values[l]),
                         "[%#x, +%#x)", values[a], values[l]);
}

Test(usercopy, random_ranges_match_the_reference)
{
    uint32_t x = 0x2545F491u;
    for (unsigned i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t addr = x;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t len = i % 2 ? x : x >> (x & 31);   /* short lengths too */
        cr_assert_eq(!!user_range_ok(addr, len), reference_ok(addr, len), "[%#x, +%#x)", addr, len);
    }
}
