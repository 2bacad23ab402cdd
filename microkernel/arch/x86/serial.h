/* The kernel's console: COM1, polled, 115200 8N1. */
#ifndef RELAY_SERIAL_H
#define RELAY_SERIAL_H

#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
/* Write from s[0..n) only what the UART takes without waiting (its FIFO, when
 * empty): the number of bytes taken, 0 if it is busy. */
uint32_t serial_write_some(const char *s, uint32_t n);

#endif
