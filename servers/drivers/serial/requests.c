/*
 * The chardev requests (ipc/relay/chardev.h), served by WORKERS threads on
 * the "serve" endpoint.  A request runs under the lock; one that must wait
 * gives the lock up while its worker sleeps, and checks again when woken.
 */
#include "serial.h"
#include "uart.h"

relay_handle serve;

/* Sleep until someone wakes this worker through *mask; under the lock on
 * entry and on return.  ERR_STATE if CHARDEV_WAITERS_MAX already wait. */
static int wait_on(struct worker *w, uint32_t *mask)
{
    if (serial.waiting >= CHARDEV_WAITERS_MAX)
        return ERR_STATE;
    *mask |= w->bit;
    serial.waiting++;
    serial_unlock();
    uint32_t bits;
    notify_wait(w->wake, &bits, TIMEOUT_FOREVER);
    serial_lock();
    serial.waiting--;
    *mask &= ~w->bit;             /* woken by a signal left from before: no longer waiting */
    return ERR_NONE;
}

/* WRITE count, bytes -> count taken: all, unless no worker could wait for room. */
static int op_write(struct worker *w, const struct msg *in, struct msg *reply)
{
    int err = chardev_check(in->w, in->length);
    if (err)
        return err;
    uint8_t bytes[CHARDEV_BYTES_MAX];
    uint32_t n = in->w[0], put = 0;
    chardev_unpack(bytes, in->w, n);
    for (;;) {
        put += ring_put(&serial.tx, bytes + put, n - put);
        uart_tx_push();
        if (put == n)
            break;
        if ((err = wait_on(w, &serial.writers)) != ERR_NONE)
            break;
    }
    if (put == 0)
        return err;
    reply->w[0] = put;
    reply->length = 1;
    return ERR_NONE;
}

/* READ most, flags -> count, bytes: waits for the first byte unless CHARDEV_NOWAIT. */
static int op_read(struct worker *w, const struct msg *in, struct msg *reply)
{
    if (in->length < 2 || (in->w[1] & ~CHARDEV_READ_FLAGS))
        return ERR_INVALID;
    uint32_t most = in->w[0];
    if (most == 0 || most > CHARDEV_BYTES_MAX)
        return ERR_RANGE;
    while (ring_used(&serial.rx) == 0) {
        if (in->w[1] & CHARDEV_NOWAIT)
            return ERR_TIMEOUT;
        int err = wait_on(w, &serial.readers);
        if (err)
            return err;
    }
    uint8_t bytes[CHARDEV_BYTES_MAX];
    uint32_t got = ring_get(&serial.rx, bytes, most);
    uart_rx_pull();               /* there is room now for what the UART held back */
    chardev_pack(reply->w, bytes, got);
    reply->length = chardev_words(got);
    return ERR_NONE;
}

/* FLUSH: replies once everything written has left the UART. */
static int op_flush(struct worker *w, const struct msg *in, struct msg *reply)
{
    (void)in, (void)reply;
    for (;;) {
        uart_tx_push();           /* the TX interrupt on while anything is left to go, */
        if (uart_tx_idle())       /* even bytes the kernel wrote itself */
            break;
        int err = wait_on(w, &serial.drainers);
        if (err)
            return err;
    }
    uart_tx_wait_sent();
    return ERR_NONE;
}

/* INPUT count, bytes -> count taken: what fits in rx; never waits. */
static int op_input(struct worker *w, const struct msg *in, struct msg *reply)
{
    (void)w;
    int err = chardev_check(in->w, in->length);
    if (err)
        return err;
    uint8_t bytes[CHARDEV_BYTES_MAX];
    chardev_unpack(bytes, in->w, in->w[0]);
    uint32_t put = ring_put(&serial.rx, bytes, in->w[0]);
    if (put)
        wake_all(&serial.readers);
    reply->w[0] = put;
    reply->length = 1;
    return ERR_NONE;
}

typedef int (*op_handler)(struct worker *w, const struct msg *in, struct msg *reply);

static const struct {
    uint32_t label;
    op_handler handler;
} ops[] = {
    { CHARDEV_WRITE, op_write },
    { CHARDEV_READ, op_read },
    { CHARDEV_FLUSH, op_flush },
    { CHARDEV_INPUT, op_input },
};

static void dispatch(struct worker *w, const struct msg *in, struct msg *reply)
{
    int err = ERR_INVALID;
    msg_set(reply, ERR_NONE, NULL, 0);
    if (in->flags & MSGINFO_HANDLE)
        handle_delete(in->handle);        /* nothing here takes a handle */
    serial_lock();
    for (uint32_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].label == in->label)
            err = ops[i].handler(w, in, reply);
    serial_unlock();
    if (err)
        msg_set(reply, (uint32_t)err, NULL, 0);
    reply->label = (uint32_t)err;
}

/* The errors that mean the endpoint itself is gone: the worker ends. */
static int endpoint_gone(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

void worker_main(void *arg)
{
    struct worker *w = arg;
    struct msg in, reply;
    int err = ipc_recv(serve, &in, TIMEOUT_FOREVER);
    for (;;) {
        if (endpoint_gone(err))
            return;
        if (err || (in.flags & MSGINFO_NOTIFY)) {
            err = ipc_recv(serve, &in, TIMEOUT_FOREVER);
            continue;
        }
        dispatch(w, &in, &reply);
        err = ipc_reply_recv(serve, &reply, &in, TIMEOUT_FOREVER);
    }
}
