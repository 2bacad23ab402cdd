/* The kernel's console: COM1, polled, 115200 8N1. */
#ifndef RELAY_SERIAL_H
#define RELAY_SERIAL_H

void serial_init(void);
void serial_putc(char c);

#endif
