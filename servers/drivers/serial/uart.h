/*
 * The 16550A UART of COM1: its registers and bits, as the serial driver
 * uses them.  Port I/O works only while the driver holds its "ports"
 * handle (docs/DRIVERS.md): without it, in/out is a #GP.
 */
#ifndef SERIAL_UART_H
#define SERIAL_UART_H

#include <stdint.h>
#include <relay/port_io.h>

#define COM1_BASE   0x3F8u
#define COM1_PORTS  8u
#define COM1_IRQ    4u

/* Registers, as offsets from the base (DLAB 0 unless said). */
#define UART_DATA   0u     /* read: receive buffer; write: transmit holding */
#define UART_IER    1u     /* interrupt enable */
#define UART_IIR    2u     /* read: interrupt identification */
#define UART_FCR    2u     /* write: FIFO control */
#define UART_LCR    3u     /* line control */
#define UART_MCR    4u     /* modem control */
#define UART_LSR    5u     /* line status */
#define UART_MSR    6u     /* modem status */
#define UART_DLL    0u     /* DLAB 1: divisor, low byte */
#define UART_DLM    1u     /* DLAB 1: divisor, high byte */

#define IER_RX      0x01u  /* received data available (or the FIFO timeout) */
#define IER_TX      0x02u  /* transmit holding register (FIFO) empty */

#define IIR_NONE    0x01u  /* no interrupt pending */
#define IIR_CAUSE   0x0Eu
#define IIR_MODEM   0x00u
#define IIR_TX      0x02u
#define IIR_RX      0x04u
#define IIR_LINE    0x06u
#define IIR_TIMEOUT 0x0Cu  /* bytes wait in the FIFO below the trigger level */

#define FCR_ENABLE  0x01u
#define FCR_TRIG_8  0x80u  /* interrupt at 8 bytes in the receive FIFO */

#define LCR_8N1     0x03u
#define LCR_DLAB    0x80u

#define MCR_DTR     0x01u
#define MCR_RTS     0x02u
#define MCR_OUT2    0x08u  /* gates the UART's interrupt onto the ISA line on a PC */

#define LSR_DR      0x01u  /* a received byte waits */
#define LSR_THRE    0x20u  /* the transmit FIFO is empty */
#define LSR_TEMT    0x40u  /* ... and so is the shift register: all sent */

#define UART_FIFO   16u    /* bytes the transmit FIFO takes once THRE is set */
#define UART_DIVISOR 1u    /* 115,200 baud */

static inline uint8_t uart_in(uint32_t reg)           { return inb((uint16_t)(COM1_BASE + reg)); }
static inline void uart_out(uint32_t reg, uint8_t v)  { outb((uint16_t)(COM1_BASE + reg), v); }

/* n bytes to one register, one after the other (rep outsb). */
static inline void uart_out_bytes(uint32_t reg, const uint8_t *p, uint32_t n)
{
    outsb((uint16_t)(COM1_BASE + reg), p, n);
}

#endif
