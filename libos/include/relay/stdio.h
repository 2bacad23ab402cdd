/*
 * Formatted output.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%; flags '-' (left-justify) and
 * '0' (pad with zeros); a width and a precision (digits or '*'); length
 * modifiers l, ll and z.  They mean what they mean in C's printf, with two
 * choices C leaves open: %p prints "0x" and every hex digit of the pointer
 * (0x0040a000), and a %s of NULL prints "(null)".  Anything else after a
 * '%' is printed as written.
 *
 * vsnprintf/snprintf behave like C's: they write at most size bytes
 * including the terminating NUL (nothing if size is 0, when buf may be
 * NULL) and return the length the whole output would have had.
 * printf/vprintf write to the kernel console (debug_write) in chunks and
 * return the number of bytes formatted; puts writes s and a newline and
 * returns a relay error code (ERR_NONE, or the first write's error).
 *
 * On the host (HOST_TEST) the formatter's names get a libos_ prefix, so
 * unit tests can link it beside the C library and call both (libos_snprintf
 * and snprintf).
 */
#ifndef LIBOS_STDIO_H
#define LIBOS_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#ifdef HOST_TEST
#define LIBOS_NAME(name) libos_##name
#define vformat libos_vformat
#else
#define LIBOS_NAME(name) name
#endif

/* The formatter: emit(ctx, s, n) receives the output in pieces; returns its length. */
typedef void (*format_emit)(void *ctx, const char *s, size_t n);
int vformat(format_emit emit, void *ctx, const char *fmt, va_list ap);

int LIBOS_NAME(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap);
int LIBOS_NAME(snprintf)(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);

#endif
