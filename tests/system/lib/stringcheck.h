/*
 * The check both memcpy/memset pairs (the kernel's, kstring.c, and libos',
 * string.c) get: every size from 0 to 40 bytes at every alignment, each
 * must write exactly its bytes, with the right values.  Header-only, so
 * that the kernel's self-tests and libos' suite each build it with their
 * own functions.
 */
#ifndef RELAY_TESTS_STRINGCHECK_H
#define RELAY_TESTS_STRINGCHECK_H

#include <stddef.h>
#include <stdint.h>

/* How many bytes came out wrong (0: none). */
static inline uint32_t copy_fill_errors(void *(*copy)(void *, const void *, size_t),
                                        void *(*fill)(void *, int, size_t))
{
    unsigned char src[64], dst[64];
    uint32_t wrong = 0;
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 1);
    for (unsigned off = 0; off < 4; off++)
        for (unsigned n = 0; n <= 40; n++) {
            fill(dst, 0xA5, sizeof dst);
            wrong += copy(dst + off, src + (3 - off), n) != dst + off;
            for (unsigned i = 0; i < sizeof dst; i++)
                wrong += dst[i] != (i >= off && i < off + n ? src[3 - off + i - off] : 0xA5);
            fill(dst, 0xA5, sizeof dst);
            wrong += fill(dst + off, 0x3C, n) != dst + off;
            for (unsigned i = 0; i < sizeof dst; i++)
                wrong += dst[i] != (i >= off && i < off + n ? 0x3C : 0xA5);
        }
    return wrong;
}

#endif
