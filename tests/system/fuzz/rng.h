/*
 * The fuzzer's random numbers: splitmix64 (Steele, Lea and Flood, 2014).
 * The state moves by a constant and each step's output is a strong mix of
 * it, so a stream can start anywhere: call k's stream starts from a hash of
 * (seed, k).  Shared by gen.c and values.c.
 */
#ifndef FUZZ_RNG_H
#define FUZZ_RNG_H

#include <stdint.h>

#define GOLDEN 0x9E3779B97F4A7C15ull

static inline uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The stream of call k of the run with this seed; domain tells streams of one call apart. */
static inline uint64_t stream(uint32_t seed, uint32_t k, uint64_t domain)
{
    return mix(((uint64_t)seed << 32 | k) ^ domain);
}

static inline uint32_t draw(uint64_t *s)
{
    *s += GOLDEN;
    return (uint32_t)(mix(*s) >> 32);
}

/* A number in [0, n), n > 0. */
static inline uint32_t below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(((uint64_t)draw(s) * n) >> 32);
}

static inline uint32_t pick(uint64_t *s, const uint32_t *table, uint32_t n)
{
    return table[below(s, n)];
}
#define PICK(s, table) pick((s), (table), sizeof(table) / sizeof(table)[0])

#endif
