/* Memory and string functions: see relay/string.h. */
#include <stdint.h>
#include <relay/string.h>
#include <relay/error.h>

/* rep movs/stos, a dword a step and the last 0..3 bytes a byte a step: the
 * compiler cannot turn these back into calls to themselves. */
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
    if ((uintptr_t)dst - (uintptr_t)src >= n)    /* dst below src, or past its end */
        return memcpy(dst, src, n);
    void *d = (char *)dst + n - 1;
    const void *s = (const char *)src + n - 1;
    asm volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    size_t words = n / 4;
    asm volatile("rep stosl\n\tmov %[rest], %%ecx\n\trep stosb"
                 : "+D"(d), "+c"(words) : "a"(0x01010101u * (uint8_t)c), [rest] "r"(n % 4) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
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

int strcmp(const char *a, const char *b)
{
    for (; *a && *a == *b; a++, b++)
        ;
    return (unsigned char)*a - (unsigned char)*b;
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

char *strcpy(char *dst, const char *src)
{
    return memcpy(dst, src, strlen(src) + 1);
}

/* As C's: copies at most n bytes, pads with NULs, and does not terminate a long src. */
char *strncpy(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

const char *strerror(int err)
{
    return relay_error_name(err);
}
