/* Memory and string functions for the kernel: see kstring.h. */
#include <stdint.h>
#include "kstring.h"

/* A dword a step, and the last 0..3 bytes a byte a step. */
void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    size_t words = n / 4;
    asm volatile("rep stosl\n\tmov %[rest], %%ecx\n\trep stosb"
                 : "+D"(d), "+c"(words) : "a"(0x01010101u * (uint8_t)c), [rest] "r"(n % 4) : "memory");
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t words = n / 4;
    asm volatile("rep movsl\n\tmov %[rest], %%ecx\n\trep movsb"
                 : "+D"(d), "+S"(src), "+c"(words) : [rest] "r"(n % 4) : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}
