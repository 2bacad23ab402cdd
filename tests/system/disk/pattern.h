/*
 * The disk suite's sector patterns, one source for the guest (which reads
 * and writes them) and the host (tests/system/disk/pattern-tool, which
 * makes the image the guest reads and checks what it wrote).
 *
 * Sector s of pattern seed holds 128 words: word 0 is s, word 1 is seed,
 * and each other word a mix of (seed, s, its index), so that a sector read
 * from the wrong place, or a word shifted within one, does not match.
 */
#ifndef DISK_PATTERN_H
#define DISK_PATTERN_H

#include <stdint.h>

#define PATTERN_SECTOR 512u
#define PATTERN_WORDS  (PATTERN_SECTOR / 4u)

static inline uint32_t pattern_word(uint32_t seed, uint32_t sector, uint32_t i)
{
    if (i == 0)
        return sector;
    if (i == 1)
        return seed;
    uint32_t x = seed * 0x9E3779B9u ^ sector * 0x85EBCA6Bu ^ i * 0xC2B2AE35u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 12;
    return x;
}

/* Sector `sector` of pattern seed, into 512 bytes at out. */
static inline void pattern_fill(uint32_t seed, uint32_t sector, void *out)
{
    uint8_t *p = out;
    for (uint32_t i = 0; i < PATTERN_WORDS; i++) {
        uint32_t w = pattern_word(seed, sector, i);
        p[4 * i] = (uint8_t)w;
        p[4 * i + 1] = (uint8_t)(w >> 8);
        p[4 * i + 2] = (uint8_t)(w >> 16);
        p[4 * i + 3] = (uint8_t)(w >> 24);
    }
}

/* -1 if the 512 bytes at in are sector `sector` of pattern seed, else the first byte that differs. */
static inline int pattern_differs(uint32_t seed, uint32_t sector, const void *in)
{
    uint8_t want[PATTERN_SECTOR];
    const uint8_t *got = in;
    pattern_fill(seed, sector, want);
    for (uint32_t i = 0; i < PATTERN_SECTOR; i++)
        if (got[i] != want[i])
            return (int)i;
    return -1;
}

#endif
