/*
 * What the console suite's host side feeds into COM1, generated the same
 * way on both sides (feed.c on the host, main.c in the guest):
 *   1. PATTERN_BYTES bytes of xorshift32 from PATTERN_SEED, the low byte of
 *      each step: every byte value, control characters and all;
 *   2. ECHO_LINES lines of text, echo_line(i), which the guest writes back.
 */
#ifndef CONSOLE_PATTERN_H
#define CONSOLE_PATTERN_H

#include <stdint.h>

#define PATTERN_SEED  0x2545F491u
#define PATTERN_BYTES 65536u
#define ECHO_LINES    128u
#define ECHO_LINE_LEN 64u          /* "echo NNNN " + 53 letters + '\n' */

static inline uint8_t pattern_next(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return (uint8_t)x;
}

/* Line i of the echo text, ECHO_LINE_LEN bytes (no NUL). */
static inline void echo_line(uint32_t i, char line[ECHO_LINE_LEN])
{
    static const char digits[] = "0123456789";
    uint32_t state = PATTERN_SEED + i;
    const char head[] = "echo ";
    for (uint32_t k = 0; k < 5; k++)
        line[k] = head[k];
    line[5] = digits[i / 1000 % 10];
    line[6] = digits[i / 100 % 10];
    line[7] = digits[i / 10 % 10];
    line[8] = digits[i % 10];
    line[9] = ' ';
    for (uint32_t k = 10; k < ECHO_LINE_LEN - 1; k++)
        line[k] = (char)('a' + pattern_next(&state) % 26);
    line[ECHO_LINE_LEN - 1] = '\n';
}

#endif
