/*
 * serial: the system console, a driver for the 16550A UART of COM1
 * (docs/DRIVERS.md, "Console (serial)").  It serves the chardev protocol
 * (ipc/relay/chardev.h) on its "serve" endpoint.
 *
 * Its creator (proc's driver manager) gives it, by name: "irq" (IRQ 4,
 * RIGHT_CONTROL), "ports" (0x3F8..0x3FF) and "serve" (the service
 * endpoint, RIGHT_RECV; kept by the manager across restarts).  The main
 * thread binds the IRQ to a notification of its own, sets the UART up and
 * then handles interrupts for ever; WORKERS threads serve requests.
 */
#include "serial.h"
#include "uart.h"

struct serial serial;
struct worker workers[WORKERS];

static uint8_t rx_bytes[RX_BYTES], tx_bytes[TX_BYTES];
static relay_handle lock_n;       /* holds bit 1 while nobody holds the lock */

void serial_lock(void)
{
    uint32_t bits;
    notify_wait(lock_n, &bits, TIMEOUT_FOREVER);
}

void serial_unlock(void)
{
    notify_signal(lock_n, 1);
}

void wake_all(uint32_t *mask)
{
    for (uint32_t i = 0; i < WORKERS && *mask; i++)
        if (*mask & workers[i].bit) {
            *mask &= ~workers[i].bit;
            notify_signal(workers[i].wake, 1);
        }
}

static int need(const char *name, relay_handle *h)
{
    *h = startup_handle(name);
    if (*h == HANDLE_NULL)
        printf("serial: no \"%s\" handle: a driver is started by proc's driver manager\n", name);
    return *h != HANDLE_NULL;
}

static int start_workers(relay_handle factory)
{
    for (uint32_t i = 0; i < WORKERS; i++) {
        workers[i].bit = 1u << i;
        int err = notification_create(factory, &workers[i].wake);
        struct thread_spec spec = { .fn = worker_main, .arg = &workers[i],
                                    .priority = thread_priority_max() };
        struct thread *t;
        if (!err)
            err = thread_spawn(&spec, &t);
        if (err)
            return err;
    }
    return ERR_NONE;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    relay_handle irq, ports, irq_n, factory = startup_info()->factory;
    if (!need("irq", &irq) || !need("ports", &ports) || !need("serve", &serve))
        return 1;
    ring_init(&serial.rx, rx_bytes, RX_BYTES);
    ring_init(&serial.tx, tx_bytes, TX_BYTES);
    int err = notification_create(factory, &lock_n);
    if (!err)
        err = notification_create(factory, &irq_n);
    if (!err)
        err = irq_bind(irq, irq_n, 1);
    if (!err) {
        uart_init();
        uart_rx_pull();           /* what came before this instance */
        serial_unlock();          /* the lock is free */
        err = start_workers(factory);
    }
    if (err) {
        printf("serial: cannot start: %s\n", strerror(err));
        return 1;
    }
    for (;;) {
        uint32_t bits;
        err = notify_wait(irq_n, &bits, TIMEOUT_FOREVER);
        if (err) {
            printf("serial: interrupts stopped: %s\n", strerror(err));
            return 1;
        }
        serial_lock();
        uart_service();
        serial_unlock();
        irq_ack(irq);
    }
}
