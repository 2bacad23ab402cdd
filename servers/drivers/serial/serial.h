/*
 * The serial driver's state: what it has received and not yet handed out,
 * what it has been given and not yet sent, and who waits for what.
 *
 * Threads: the main thread takes the UART's interrupts (uart.c); WORKERS
 * threads receive requests on the "serve" endpoint (requests.c).  A worker
 * whose request must wait -- a READ with no input, a WRITE with no room, a
 * FLUSH with bytes still going out -- waits on a notification of its own
 * and keeps the caller's reply; at most CHARDEV_WAITERS_MAX do, so one
 * worker is always free to receive, and INPUT or a WRITE that fits never
 * waits behind a READ.  Everything here is used under the lock.
 */
#ifndef SERIAL_SERIAL_H
#define SERIAL_SERIAL_H

#include <relay/libos.h>
#include <relay/chardev.h>
#include "ring.h"

#define RX_BYTES 4096u            /* received, not yet read */
#define TX_BYTES 4096u            /* written, not yet sent */
#define WORKERS  (CHARDEV_WAITERS_MAX + 1u)

struct worker {
    relay_handle wake;            /* signalled when what it waits for may have come */
    uint32_t bit;                 /* its bit in the wait masks */
};

struct serial {
    struct ring rx, tx;
    uint8_t ier;                  /* what the UART's IER holds */
    uint8_t mcr;                  /* and its MCR (RTS off while rx is full) */
    uint32_t readers;             /* workers waiting for input (a mask) */
    uint32_t writers;             /* ... for room to write */
    uint32_t drainers;            /* ... for the transmitter to empty */
    uint32_t waiting;             /* how many workers wait */
};

extern struct serial serial;
extern struct worker workers[WORKERS];

/* The lock over all of it (a notification used as a binary semaphore). */
void serial_lock(void);
void serial_unlock(void);

/* Wake every worker in *mask and clear it. */
void wake_all(uint32_t *mask);

/* uart.c: the device.  Each runs under the lock. */
void uart_init(void);
void uart_service(void);          /* after an interrupt: every cause the IIR shows */
void uart_tx_push(void);          /* send what the UART takes now; keep the TX interrupt right */
void uart_rx_pull(void);          /* take what the UART holds into rx while there is room */
int uart_tx_idle(void);           /* nothing buffered, the transmit FIFO empty */
void uart_tx_wait_sent(void);     /* spin until the shift register is empty too */

/* requests.c: a worker's loop on the serve endpoint. */
void worker_main(void *arg);
extern relay_handle serve;

#endif
