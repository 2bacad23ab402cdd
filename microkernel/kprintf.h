/*
 * The kernel's printf, on the serial console.  Formats: %c %s %d %u %x %p %%,
 * with an optional '0' flag and width, and the 'll' length for 64-bit %u/%x.
 */
#ifndef RELAY_KPRINTF_H
#define RELAY_KPRINTF_H

#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

#endif
