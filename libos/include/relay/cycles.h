/*
 * Counting instructions, for benchmarks: under qemu-system-i386 -icount
 * shift=0 the time-stamp counter advances one per guest instruction, so a
 * difference of rdtsc() readings is the instructions run between them.
 */
#ifndef LIBOS_CYCLES_H
#define LIBOS_CYCLES_H

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The median of v[0..n) (n > 0), which it leaves sorted. */
static inline uint32_t median_u32(uint32_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

#endif
