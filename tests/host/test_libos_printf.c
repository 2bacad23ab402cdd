/*
 * libos' formatter (libos/format.c, relay/stdio.h): every conversion, flag,
 * width and precision against the C library's snprintf, then what C leaves
 * to the implementation (%p, NULL strings, unknown conversions), truncation
 * and the return value.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "relay/stdio.h"

/* libos_snprintf and the C library's snprintf agree on output and return value. */
#define SAME(fmt, ...)                                                                   \
    do {                                                                                 \
        char want[256], got[256];                                                        \
        int wn = snprintf(want, sizeof want, fmt, __VA_ARGS__);                          \
        memset(got, 'Z', sizeof got);                                                    \
        int gn = libos_snprintf(got, sizeof got, fmt, __VA_ARGS__);                      \
        cr_assert_str_eq(got, want, "format \"%s\"", fmt);                               \
        cr_assert_eq(gn, wn, "format \"%s\": returned %d, C says %d", fmt, gn, wn);     \
    } while (0)

/* The output, and its length as the return value. */
#define GIVES(expect, fmt, ...)                                                          \
    do {                                                                                 \
        char got[256];                                                                   \
        int gn = libos_snprintf(got, sizeof got, fmt, __VA_ARGS__);                      \
        cr_assert_str_eq(got, expect, "format \"%s\"", fmt);                             \
        cr_assert_eq(gn, (int)strlen(expect), "format \"%s\"", fmt);                     \
    } while (0)

Test(printf, plain_text_and_percent)
{
    SAME("%s", "");
    SAME("hello, world%s", "");
    SAME("100%% sure%s", "");
    SAME("%%%d%%", 5);
}

Test(printf, signed_decimal)
{
    static const int values[] = { 0, 1, -1, 7, -42, 123456789, INT_MAX, INT_MIN };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        SAME("%d", values[i]);
        SAME("%i", values[i]);
        SAME("[%5d]", values[i]);
        SAME("[%-5d]", values[i]);
        SAME("[%05d]", values[i]);
        SAME("[%012i]", values[i]);
        SAME("[%.3d]", values[i]);
        SAME("[%8.3d]", values[i]);
        SAME("[%-8.3d]", values[i]);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"       /* on purpose: "0 flag ignored with precision" */
        SAME("[%08.3d]", values[i]);            /* a precision turns the 0 flag off */
#pragma GCC diagnostic pop
        SAME("[%.0d]", values[i]);              /* zero with precision 0: no digits */
    }
}

Test(printf, unsigned_and_hex)
{
    static const unsigned values[] = { 0, 1, 9, 10, 15, 16, 255, 0xDEADBEEF, UINT_MAX };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        SAME("%u", values[i]);
        SAME("%x", values[i]);
        SAME("%X", values[i]);
        SAME("[%08x]", values[i]);
        SAME("[%-10X]", values[i]);
        SAME("[%10u]", values[i]);
        SAME("[%.5x]", values[i]);
        SAME("[%.0x]", values[i]);
    }
}

Test(printf, length_modifiers)
{
    SAME("%ld %lu %lx", -1234567L, 4000000000UL, 0xABCDEFUL);
    SAME("%ld %ld", LONG_MAX, LONG_MIN);
    SAME("%lld %llu %llx %llX", LLONG_MIN, ULLONG_MAX, 0x123456789ABCDEFULL, 0xFEDCBA9876ULL);
    SAME("[%020lld]", -5LL);
    SAME("%zu %zx %zd", (size_t)12345, (size_t)0xFFFF, (size_t)-3);
}

Test(printf, strings_and_chars)
{
    SAME("%s", "abc");
    SAME("[%6s]", "abc");
    SAME("[%-6s]", "abc");
    SAME("[%2s]", "abcdef");
    SAME("[%.2s]", "abcdef");
    SAME("[%6.2s]", "abcdef");
    SAME("[%-6.10s]", "abcdef");
    SAME("[%.0s]", "abcdef");
    SAME("%c%c%c", 'a', 'B', '!');
    SAME("[%3c]", 'x');
    SAME("[%-3c]", 'x');
}

Test(printf, star_width_and_precision)
{
    SAME("[%*d]", 6, 42);
    SAME("[%*d]", -6, 42);                      /* a negative width means '-' */
    SAME("[%.*s]", 3, "abcdef");
    SAME("[%.*s]", -1, "abcdef");               /* a negative precision means none */
    SAME("[%*.*x]", 8, 4, 0xAB);
}

Test(printf, several_conversions_in_one_format)
{
    SAME("%s=%d (0x%08x) %c %u%%", "value", -17, 0xBEEFu, 'k', 99u);
}

Test(printf, pointers_print_every_hex_digit)
{
    char want[64];
    uintptr_t v = (uintptr_t)0x1234ABCD;
    snprintf(want, sizeof want, "0x%0*jx", (int)(2 * sizeof(void *)), (uintmax_t)v);
    GIVES(want, "%p", (void *)v);
    snprintf(want, sizeof want, "0x%0*x", (int)(2 * sizeof(void *)), 0);
    GIVES(want, "%p", (void *)NULL);
    char wide[96];
    snprintf(wide, sizeof wide, "[%-*s]", (int)(2 * sizeof(void *)) + 6, want);
    GIVES(wide, "[%-*p]", (int)(2 * sizeof(void *)) + 6, (void *)NULL);
}

/* Odd formats on purpose from here: NULL strings, unknown conversions, a lone '%'. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

Test(printf, null_string)
{
    GIVES("(null)", "%s", (char *)NULL);
    GIVES("[  (null)]", "[%8s]", (char *)NULL);
    GIVES("[(nu]", "[%.3s]", (char *)NULL);
}

Test(printf, unknown_conversions_are_printed_as_written)
{
    GIVES("%y", "%y%s", "");
    GIVES("a%5kb", "a%5kb%s", "");
    GIVES("x %y 3", "x %y %d", 3);
}

Test(printf, lone_percent_at_the_end)
{
    char got[8];
    cr_assert_eq(libos_snprintf(got, sizeof got, "ab%"), 3);
    cr_assert_str_eq(got, "ab%");
}
#pragma GCC diagnostic pop

Test(printf, truncation_keeps_the_full_length)
{
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    cr_assert_eq(libos_snprintf(buf, sizeof buf, "%s-%d", "abcdef", 12345), 12);
    cr_assert_str_eq(buf, "abcdef-");           /* size - 1 bytes and the NUL */

    memset(buf, 'Z', sizeof buf);
    cr_assert_eq(libos_snprintf(buf, 1, "%d", 42), 2);
    cr_assert_eq(buf[0], '\0');
    cr_assert_eq(buf[1], 'Z', "nothing past size is written");

    memset(buf, 'Z', sizeof buf);
    cr_assert_eq(libos_snprintf(buf, 4, "abc"), 3);
    cr_assert_str_eq(buf, "abc");               /* exactly fits */
    cr_assert_eq(buf[4], 'Z');
}

Test(printf, size_zero_writes_nothing)
{
    cr_assert_eq(libos_snprintf(NULL, 0, "%s %d", "count me", 100), 12);
    char buf[4] = "xyz";
    cr_assert_eq(libos_snprintf(buf, 0, "hello"), 5);
    cr_assert_str_eq(buf, "xyz");
}

Test(printf, long_output_pads_in_pieces)
{
    char want[200], got[200];
    int wn = snprintf(want, sizeof want, "[%150d]", 7);
    int gn = libos_snprintf(got, sizeof got, "[%150d]", 7);
    cr_assert_eq(gn, wn);
    cr_assert_str_eq(got, want);
}

/* vformat hands its output to a callback in pieces that add up to the whole. */
static void count_into(void *ctx, const char *s, size_t n)
{
    char *dst = ctx;
    strncat(dst, s, n);
}

static int via_vformat(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dst[0] = '\0';
    int n = vformat(count_into, dst, fmt, ap);
    va_end(ap);
    return n;
}

Test(printf, vformat_emits_everything)
{
    char out[128];
    cr_assert_eq(via_vformat(out, "%s:%04d:%-3c|", "ab", 7, 'z'), 12);
    cr_assert_str_eq(out, "ab:0007:z  |");
}
