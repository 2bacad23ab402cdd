/*
 * The chardev protocol's packing (ipc/relay/chardev.h): bytes four to a
 * word after the count, and the checks a driver makes of a request.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "relay/chardev.h"

Test(chardev, pack_and_unpack_every_length)
{
    uint8_t in[CHARDEV_BYTES_MAX], out[CHARDEV_BYTES_MAX];
    for (uint32_t i = 0; i < CHARDEV_BYTES_MAX; i++)
        in[i] = (uint8_t)(i * 37 + 11);
    for (uint32_t n = 1; n <= CHARDEV_BYTES_MAX; n++) {
        uint32_t w[MSG_WORDS_MAX];
        for (uint32_t i = 0; i < MSG_WORDS_MAX; i++)
            w[i] = 0xDEADBEEF;                       /* old words do not leak in */
        chardev_pack(w, in, n);
        cr_assert_eq(w[0], n);
        cr_assert_eq(chardev_words(n), 1 + (n + 3) / 4);
        cr_assert(chardev_words(n) <= MSG_WORDS_MAX);
        cr_assert_eq(chardev_check(w, chardev_words(n)), ERR_NONE, "n %u", n);
        if (n % 4)
            cr_assert_eq(w[chardev_words(n) - 1] >> (8 * (n % 4)), 0, "n %u: padding", n);
        chardev_unpack(out, w, n);
        cr_assert_arr_eq(out, in, n, "n %u", n);
    }
}

Test(chardev, little_endian_in_words)
{
    uint32_t w[3];
    chardev_pack(w, (const uint8_t *)"abcde", 5);
    cr_assert_eq(w[1], 0x64636261u);
    cr_assert_eq(w[2], 0x65u);
}

Test(chardev, bad_counts_and_short_messages)
{
    uint32_t w[MSG_WORDS_MAX] = { 0 };
    cr_assert_eq(chardev_check(w, 0), ERR_INVALID);            /* no count */
    cr_assert_eq(chardev_check(w, 1), ERR_RANGE);              /* count 0 */
    w[0] = CHARDEV_BYTES_MAX + 1;
    cr_assert_eq(chardev_check(w, MSG_WORDS_MAX), ERR_RANGE);
    w[0] = 9;                                                  /* needs 1 + 3 words */
    cr_assert_eq(chardev_check(w, 3), ERR_INVALID);
    cr_assert_eq(chardev_check(w, 4), ERR_NONE);
    w[0] = CHARDEV_BYTES_MAX;
    cr_assert_eq(chardev_check(w, MSG_WORDS_MAX), ERR_NONE);
}
