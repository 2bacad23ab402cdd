/*
 * The 16550A of COM1, driven by interrupts: received bytes go into the rx
 * ring, the tx ring goes out as fast as the FIFO takes it.
 *
 * Receive: the FIFO interrupts at 8 bytes (or after a pause of four
 * characters with fewer); every byte there is goes into rx.  When rx is
 * full the receive interrupt goes off, RTS drops (a sender that honours
 * hardware flow control pauses), and the bytes stay in the UART until a
 * reader makes room: input waits, it is never dropped by the driver.
 *
 * Transmit: whoever adds to tx (a WRITE) or hears the FIFO is empty (the
 * interrupt) pushes: while THRE says the FIFO is empty, up to 16 bytes
 * into it.  The transmit interrupt is on exactly while there is something
 * to hear about: bytes in tx, or bytes still in the FIFO; when both are
 * gone it goes off and the flushes waiting are woken.
 */
#include "serial.h"
#include "uart.h"

#define SERVICE_ROUNDS 64u        /* IIR causes handled per interrupt, at most */

static void set_ier(uint8_t ier)
{
    if (ier != serial.ier) {
        serial.ier = ier;
        uart_out(UART_IER, ier);
    }
}

static void set_mcr(uint8_t mcr)
{
    if (mcr != serial.mcr) {
        serial.mcr = mcr;
        uart_out(UART_MCR, mcr);
    }
}

void uart_init(void)
{
    uart_out(UART_IER, 0);
    uart_out(UART_LCR, LCR_DLAB);
    uart_out(UART_DLL, UART_DIVISOR & 0xFF);
    uart_out(UART_DLM, UART_DIVISOR >> 8);
    uart_out(UART_LCR, LCR_8N1);
    /* FIFOs on (they are already, from the kernel's boot: then nothing
       is cleared, and input that arrived before this instance is kept). */
    uart_out(UART_FCR, FCR_ENABLE | FCR_TRIG_8);
    serial.mcr = MCR_DTR | MCR_RTS | MCR_OUT2;
    uart_out(UART_MCR, serial.mcr);
    serial.ier = 0;
    set_ier(IER_RX);
}

int uart_tx_idle(void)
{
    return ring_used(&serial.tx) == 0 && (uart_in(UART_LSR) & LSR_THRE);
}

void uart_tx_wait_sent(void)
{
    while (!(uart_in(UART_LSR) & LSR_TEMT))
        ;                         /* at most one character's time: 87 us */
}

void uart_tx_push(void)
{
    uint32_t before = ring_used(&serial.tx);
    const uint8_t *run;
    uint32_t n;
    while ((n = ring_run(&serial.tx, &run)) && (uart_in(UART_LSR) & LSR_THRE)) {
        n = n < UART_FIFO ? n : UART_FIFO;
        uart_out_bytes(UART_DATA, run, n);
        ring_drop(&serial.tx, n);
    }
    if (ring_used(&serial.tx) < before)
        wake_all(&serial.writers);
    if (uart_tx_idle()) {
        set_ier(serial.ier & ~IER_TX);
        wake_all(&serial.drainers);
    } else {
        set_ier(serial.ier | IER_TX);
    }
}

void uart_rx_pull(void)
{
    uint32_t before = ring_used(&serial.rx);
    uint8_t lsr;
    while (((lsr = uart_in(UART_LSR)) & LSR_DR) && ring_room(&serial.rx))
        ring_put1(&serial.rx, uart_in(UART_DATA));
    /* Full with bytes still waiting: stop hearing about them, and ask the
       sender to pause (RTS off), until a reader makes room. */
    int hold = (lsr & LSR_DR) != 0;
    set_ier(hold ? serial.ier & ~IER_RX : serial.ier | IER_RX);
    set_mcr(hold ? MCR_DTR | MCR_OUT2 : MCR_DTR | MCR_RTS | MCR_OUT2);
    if (ring_used(&serial.rx) > before)
        wake_all(&serial.readers);
}

void uart_service(void)
{
    for (uint32_t round = 0; round < SERVICE_ROUNDS; round++) {
        uint8_t iir = uart_in(UART_IIR);
        if (iir & IIR_NONE)
            return;
        switch (iir & IIR_CAUSE) {
        case IIR_RX:
        case IIR_TIMEOUT:
            uart_rx_pull();
            break;
        case IIR_TX:              /* reading the IIR cleared it */
            uart_tx_push();
            break;
        case IIR_LINE:            /* not enabled; reading the LSR clears it */
            uart_in(UART_LSR);
            break;
        default:                  /* modem status, not enabled either */
            uart_in(UART_MSR);
            break;
        }
    }
}
