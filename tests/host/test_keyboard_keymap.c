/*
 * The keyboard driver's scancode map (servers/drivers/keyboard/keymap.c):
 * set 1 make and break codes, US layout, shift, caps lock, ctrl, the 0xE0
 * prefix and the Pause sequence.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "../../servers/drivers/keyboard/keymap.h"

#define LSHIFT 0x2A
#define RSHIFT 0x36
#define LCTRL  0x1D
#define CAPS   0x3A
#define BRK    0x80

/* Feed codes[0..n) and collect the characters they make. */
static size_t feed(struct keymap_state *s, const uint8_t *codes, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = keymap_feed(s, codes[i]);
        if (c != KEYMAP_NONE)
            out[k++] = (char)c;
    }
    out[k] = '\0';
    return k;
}

#define FEED(s, out, ...) do { \
        const uint8_t codes_[] = { __VA_ARGS__ }; \
        feed(s, codes_, sizeof codes_, out); \
    } while (0)

Test(keyboard_keymap, letters_digits_and_punctuation)
{
    struct keymap_state s = { 0 };
    char out[64];
    /* "hello 42;" : h e l l o space 4 2 ; , each pressed and released */
    FEED(&s, out, 0x23, 0x23 | BRK, 0x12, 0x12 | BRK, 0x26, 0x26 | BRK, 0x26, 0x26 | BRK,
         0x18, 0x18 | BRK, 0x39, 0x39 | BRK, 0x05, 0x05 | BRK, 0x03, 0x03 | BRK, 0x27, 0x27 | BRK);
    cr_assert_str_eq(out, "hello 42;");
    FEED(&s, out, 0x1C, 0x0E, 0x0F, 0x01, 0x2B, 0x35, 0x29, 0x0C, 0x0D, 0x1A, 0x1B, 0x28, 0x33, 0x34);
    cr_assert_str_eq(out, "\n\b\t\x1b\\/`-=[]',.");
}

Test(keyboard_keymap, break_codes_and_unknown_keys_make_nothing)
{
    struct keymap_state s = { 0 };
    for (int code = 0x80; code <= 0xFF; code++)
        if (code != 0xE0 && code != 0xE1)
            cr_assert_eq(keymap_feed(&s, (uint8_t)code), KEYMAP_NONE, "code 0x%02x", code);
    uint8_t silent[] = { 0x3B, 0x44, 0x38, 0x45, 0x46, 0x47, 0x52, 0x57, 0x58, 0x00 };   /* F1, F10, alt, num lock... */
    for (size_t i = 0; i < sizeof silent; i++)
        cr_assert_eq(keymap_feed(&s, silent[i]), KEYMAP_NONE, "code 0x%02x", silent[i]);
}

Test(keyboard_keymap, shift_either_side_while_held)
{
    struct keymap_state s = { 0 };
    char out[64];
    FEED(&s, out, LSHIFT, 0x1E, 0x02, 0x35, LSHIFT | BRK, 0x1E,
         RSHIFT, 0x0D, 0x28, 0x29, RSHIFT | BRK, 0x0D);
    cr_assert_str_eq(out, "A!?a+\"~=");
    /* Both down, one let go: still shifted. */
    FEED(&s, out, LSHIFT, RSHIFT, LSHIFT | BRK, 0x10, RSHIFT | BRK, 0x10);
    cr_assert_str_eq(out, "Qq");
}

Test(keyboard_keymap, caps_lock_toggles_letters_only_and_shift_undoes_it)
{
    struct keymap_state s = { 0 };
    char out[64];
    FEED(&s, out, CAPS, CAPS | BRK, 0x1E, 0x02, 0x1A, LSHIFT, 0x1E, 0x02, LSHIFT | BRK,
         CAPS, CAPS | BRK, 0x1E);
    cr_assert_str_eq(out, "A1[a!a");
}

Test(keyboard_keymap, ctrl_makes_control_codes)
{
    struct keymap_state s = { 0 };
    char out[64];
    FEED(&s, out, LCTRL, 0x2E, 0x1E, 0x2C, 0x1A, 0x2B, LCTRL | BRK, 0x2E);
    cr_assert_eq(strlen(out), 6);
    cr_assert_arr_eq(out, "\x03\x01\x1a\x1b\x1c" "c", 6);
    /* Right ctrl (0xE0 0x1D), with shift and caps lock: ctrl-A is 0x01 whatever the case. */
    FEED(&s, out, 0xE0, LCTRL, CAPS, CAPS | BRK, 0x1E, LSHIFT, 0x03, 0x35, LSHIFT | BRK,
         0xE0, LCTRL | BRK, 0x1E);
    cr_assert_eq(out[0], 0x01);
    cr_assert_eq(out[1], 0x00);                      /* ctrl-@ (ctrl-shift-2) */
    cr_assert_eq(out[2], 0x7F);                      /* ctrl-? */
    cr_assert_eq(out[3], 'A');                       /* ctrl up, caps on */
    /* Digits keep themselves under ctrl. */
    FEED(&s, out, LCTRL, 0x04, LCTRL | BRK);
    cr_assert_str_eq(out, "3");
}

Test(keyboard_keymap, prefixed_keys)
{
    struct keymap_state s = { 0 };
    char out[64];
    /* Keypad enter and slash give theirs; arrows and the fake shifts nothing. */
    FEED(&s, out, 0xE0, 0x1C, 0xE0, 0x9C, 0xE0, 0x35, 0xE0, 0x48, 0xE0, 0xC8,
         0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xAA, 0x1E);
    cr_assert_str_eq(out, "\n/a");
    /* A prefix binds only the next byte: right ctrl up ends ctrl, left still counts. */
    FEED(&s, out, LCTRL, 0xE0, LCTRL, 0xE0, LCTRL | BRK, 0x1E, LCTRL | BRK, 0x1E);
    cr_assert_eq(out[0], 0x01);
    cr_assert_eq(out[1], 'a');
}

Test(keyboard_keymap, pause_sequence_is_skipped)
{
    struct keymap_state s = { 0 };
    char out[64];
    FEED(&s, out, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E);
    cr_assert_str_eq(out, "a");
    cr_assert_eq(s.ctrl, 0);
}
