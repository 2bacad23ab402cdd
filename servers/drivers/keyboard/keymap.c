/* Scancode set 1, US layout: see keymap.h. */
#include "keymap.h"

#define SC_ESC       0x01
#define SC_LCTRL     0x1D         /* 0xE0 0x1D: right ctrl */
#define SC_LSHIFT    0x2A
#define SC_RSHIFT    0x36
#define SC_CAPS      0x3A
#define SC_ENTER     0x1C         /* 0xE0 0x1C: keypad enter */
#define SC_SLASH     0x35         /* 0xE0 0x35: keypad slash */
#define SC_BREAK     0x80
#define SC_PREFIX    0xE0
#define SC_PAUSE     0xE1         /* 0xE1 0x1D 0x45, then the same broken */
#define PAUSE_BYTES  2u

/* Each key's character without and with shift; 0 for none. */
static const char plain[0x59] = {
    [0x01] = 0x1B, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', 0x08, '\t',
    [0x10] = 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
    [0x1E] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
    [0x2B] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
    [0x37] = '*', [0x39] = ' ', [0x4A] = '-', [0x4E] = '+',
};
static const char shifted[0x59] = {
    [0x01] = 0x1B, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', 0x08, '\t',
    [0x10] = 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
    [0x1E] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
    [0x2B] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
    [0x37] = '*', [0x39] = ' ', [0x4A] = '-', [0x4E] = '+',
};

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Shift and ctrl, left (bit 0) and right (bit 1): whether the byte was one. */
static int modifier(struct keymap_state *s, uint8_t key, int prefixed, int down)
{
    uint8_t *mods, bit;
    if (key == SC_LSHIFT && !prefixed)
        mods = &s->shift, bit = 1;
    else if (key == SC_RSHIFT && !prefixed)
        mods = &s->shift, bit = 2;
    else if (key == SC_LCTRL)
        mods = &s->ctrl, bit = prefixed ? 2 : 1;
    else if (key == SC_CAPS && !prefixed) {
        s->caps ^= down;
        return 1;
    } else
        return 0;
    *mods = down ? (*mods | bit) : (*mods & ~bit);
    return 1;
}

/* The character a make code gives with the state as it is. */
static int character(const struct keymap_state *s, uint8_t key, int prefixed)
{
    char c;
    if (prefixed)
        c = key == SC_ENTER ? '\n' : key == SC_SLASH ? '/' : 0;
    else
        c = key < sizeof plain ? plain[key] : 0;
    if (!c)
        return KEYMAP_NONE;
    if (!prefixed) {
        int upper = s->shift != 0;
        if (is_letter(c))
            upper ^= s->caps;
        c = upper ? shifted[key] : plain[key];
    }
    if (s->ctrl && ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z') || c == '?'))
        c = c == '?' ? 0x7F : (char)(c & 0x1F);
    return (uint8_t)c;
}

int keymap_feed(struct keymap_state *s, uint8_t code)
{
    if (s->skip) {
        s->skip--;
        return KEYMAP_NONE;
    }
    if (code == SC_PREFIX) {
        s->prefix = 1;
        return KEYMAP_NONE;
    }
    if (code == SC_PAUSE) {
        s->skip = PAUSE_BYTES;
        return KEYMAP_NONE;
    }
    int prefixed = s->prefix, down = !(code & SC_BREAK);
    uint8_t key = code & ~SC_BREAK;
    s->prefix = 0;
    if (modifier(s, key, prefixed, down) || !down)
        return KEYMAP_NONE;
    return character(s, key, prefixed);
}
