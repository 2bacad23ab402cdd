/*
 * Scancode set 1 to characters, US layout: what the PS/2 controller hands
 * over (it translates the keyboard's set 2 to set 1, as PCs do).
 *
 * A make code is the key's number, its break code the same | 0x80; 0xE0
 * prefixes the keys added later (right ctrl, keypad enter and slash,
 * arrows), 0xE1 the three-byte Pause.  keymap_feed takes the bytes one at
 * a time and keeps the state: which shift and ctrl keys are down, caps
 * lock, a pending prefix.  A key that makes a character gives it on its
 * make code (and again on each repeat):
 *   - letters: lower case; upper case with shift or caps lock (not both);
 *   - digits and punctuation: shifted with shift ('1' '!', '/' '?'); caps
 *     lock does not touch them;
 *   - with ctrl: a character in '@'..'_' or 'a'..'z' (and DEL's '?')
 *     becomes its control code, c & 0x1F (ctrl-a 0x01, ctrl-[ ESC,
 *     ctrl-shift-2 NUL), others stay as they are;
 *   - Enter (either) '\n', Backspace 0x08, Tab '\t', Esc 0x1B, space,
 *     keypad '*' '-' '+' '/'.
 * Every other key (function keys, arrows, alt, num lock, the keypad's
 * digits) gives nothing.  Pure: host-tested.
 */
#ifndef KEYBOARD_KEYMAP_H
#define KEYBOARD_KEYMAP_H

#include <stdint.h>

#define KEYMAP_NONE (-1)

struct keymap_state {
    uint8_t shift;                /* bit 0 left shift down, bit 1 right */
    uint8_t ctrl;                 /* bit 0 left ctrl down, bit 1 right */
    uint8_t caps;                 /* caps lock is on */
    uint8_t prefix;               /* 0xE0 came before this byte */
    uint8_t skip;                 /* bytes of a Pause sequence still to come */
};

/* The next scancode byte: the character it makes (0..255), or KEYMAP_NONE. */
int keymap_feed(struct keymap_state *s, uint8_t code);

#endif
