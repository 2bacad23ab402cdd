/* COM1 (16550 UART) output, polled: the kernel never waits on an interrupt to print. */
#include "serial.h"
#include "cpu.h"

#define COM1        0x3F8
#define UART_DATA   0
#define UART_IER    1
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define LCR_DLAB    0x80
#define LCR_8N1     0x03
#define LSR_THRE    0x20   /* transmit holding register empty */

void serial_init(void)
{
    outb(COM1 + UART_IER, 0);             /* no UART interrupts */
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, 1);            /* divisor 1: 115200 baud */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xC7);          /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03);          /* DTR, RTS */
}

#define FIFO_BYTES 16u      /* a 16550A's transmit FIFO, empty when THRE is set */

uint32_t serial_write_some(const char *s, uint32_t n)
{
    if (!(inb(COM1 + UART_LSR) & LSR_THRE))
        return 0;
    uint32_t room = FIFO_BYTES, taken = 0;
    for (; taken < n && room; taken++) {
        if (s[taken] == '\n') {
            if (room < 2)
                break;
            outb(COM1 + UART_DATA, '\r');
            room--;
        }
        outb(COM1 + UART_DATA, (uint8_t)s[taken]);
        room--;
    }
    return taken;
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(COM1 + UART_LSR) & LSR_THRE))
        ;
    outb(COM1 + UART_DATA, (uint8_t)c);
}
