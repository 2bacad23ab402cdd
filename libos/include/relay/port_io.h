/*
 * Port I/O for drivers: in and out, bytes and words, and the string forms.
 * They work for a task whose handle table holds an I/O-port range with the
 * port (docs/ABI.md section 11); any other port is #GP, forwarded to the
 * thread's exception handler like any fault.
 */
#ifndef LIBOS_PORT_IO_H
#define LIBOS_PORT_IO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

/* words 16-bit words from one port into buf, in order (rep insw). */
static inline void insw(uint16_t port, void *buf, uint32_t words)
{
    asm volatile("cld; rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

/* words 16-bit words from buf to one port (rep outsw). */
static inline void outsw(uint16_t port, const void *buf, uint32_t words)
{
    asm volatile("cld; rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

/* n bytes from buf to one port, one after the other (rep outsb). */
static inline void outsb(uint16_t port, const void *buf, uint32_t n)
{
    asm volatile("cld; rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

#endif
