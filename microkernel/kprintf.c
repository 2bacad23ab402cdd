/* A small printf for the kernel: see kprintf.h. */
#include <stdint.h>
#include "kprintf.h"
#include "arch/x86/serial.h"

static void put_number(uint64_t v, unsigned base, int width, char pad, int negative)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (negative)
        digits[n++] = '-';
    for (; width > n; width--)
        serial_putc(pad);
    while (n)
        serial_putc(digits[--n]);
}

void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            serial_putc(*fmt);
            continue;
        }
        char pad = ' ';
        int width = 0, longs = 0;
        if (*++fmt == '0')
            pad = '0', fmt++;
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l'; fmt++)
            longs++;
        switch (*fmt) {
        case 'c':
            serial_putc((char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            for (const char *p = s ? s : "(null)"; *p; p++, len++)
                serial_putc(*p);
            for (; width > len; width--)
                serial_putc(' ');
            break;
        }
        case 'd': {
            int v = va_arg(ap, int);
            put_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_number(v, *fmt == 'x' ? 16 : 10, width, pad, 0);
            break;
        }
        case 'p':
            serial_putc('0'), serial_putc('x');
            put_number((uintptr_t)va_arg(ap, void *), 16, 8, '0', 0);
            break;
        case '%':
            serial_putc('%');
            break;
        default:            /* unknown: print it as written */
            serial_putc('%');
            serial_putc(*fmt);
            if (!*fmt)
                return;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
