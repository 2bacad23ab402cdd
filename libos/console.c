/* The console client: see relay/console.h. */
#include <relay/console.h>
#include <relay/fork.h>
#include <relay/msg.h>
#include <relay/object.h>
#include <relay/start.h>
#include <relay/error.h>

static int wrote;                 /* this program wrote to its console */
static relay_handle chosen;       /* console_use's, or HANDLE_NULL: the startup handle */
static uint32_t wait_ticks = TIMEOUT_FOREVER;   /* how long a console request may wait */

/* One request, sent again while the driver restarts or is busy. */
static int request(relay_handle dev, struct msg *m, uint32_t timeout)
{
    struct msg sent = *m;
    uint32_t restarts = 0;
    for (;;) {
        int err = ipc_call(dev, m, timeout);
        if (!err)
            err = (int)m->label;
        if (err == ERR_NO_PARTNER && restarts++ < CHARDEV_RESTARTS)
            ;
        else if (err == ERR_STATE)
            yield();
        else
            return err;
        *m = sent;
    }
}

static int write_waiting(relay_handle dev, const void *buf, size_t n, uint32_t timeout);

int chardev_write(relay_handle dev, const void *buf, size_t n)
{
    return write_waiting(dev, buf, n, TIMEOUT_FOREVER);
}

static int write_waiting(relay_handle dev, const void *buf, size_t n, uint32_t timeout)
{
    const uint8_t *p = buf;
    while (n) {
        uint32_t part = n < CHARDEV_BYTES_MAX ? (uint32_t)n : CHARDEV_BYTES_MAX;
        struct msg m = { .label = CHARDEV_WRITE, .length = chardev_words(part) };
        chardev_pack(m.w, p, part);
        int err = request(dev, &m, timeout);
        if (err)
            return err;
        uint32_t took = m.length >= 1 && m.w[0] <= part ? m.w[0] : 0;
        if (took == 0)
            return ERR_INVALID;           /* a driver that breaks the protocol */
        p += took, n -= took;
    }
    return ERR_NONE;
}

int chardev_read(relay_handle dev, void *buf, size_t n, uint32_t flags, size_t *got)
{
    *got = 0;
    if (n == 0)
        return ERR_RANGE;
    struct msg m = { .label = CHARDEV_READ, .length = 2 };
    m.w[0] = n < CHARDEV_BYTES_MAX ? (uint32_t)n : CHARDEV_BYTES_MAX;
    m.w[1] = flags;
    uint32_t most = m.w[0];
    int err = request(dev, &m, TIMEOUT_FOREVER);
    if (err)
        return err;
    if (chardev_check(m.w, m.length) != ERR_NONE || m.w[0] > most)
        return ERR_INVALID;
    chardev_unpack(buf, m.w, m.w[0]);
    *got = m.w[0];
    return ERR_NONE;
}

int chardev_flush(relay_handle dev)
{
    struct msg m = { .label = CHARDEV_FLUSH, .length = 0 };
    return request(dev, &m, TIMEOUT_FOREVER);
}

void console_fork_child(void)
{
    if (chosen != HANDLE_NULL || wait_ticks != TIMEOUT_FOREVER)
        console_use(HANDLE_NULL, TIMEOUT_FOREVER);
    if (wrote)
        wrote = 0;
}

relay_handle console_handle(void)
{
    return chosen != HANDLE_NULL ? chosen : startup_handle("console");
}

void console_use(relay_handle dev, uint32_t timeout)
{
    chosen = dev;
    wait_ticks = timeout;
}

int console_write(const void *buf, size_t n)
{
    relay_handle c = console_handle();
    if (c == HANDLE_NULL)
        return ERR_BAD_HANDLE;
    wrote = 1;
    return write_waiting(c, buf, n, wait_ticks);
}

int console_read(void *buf, size_t n, uint32_t flags, size_t *got)
{
    relay_handle c = console_handle();
    *got = 0;
    return c == HANDLE_NULL ? ERR_BAD_HANDLE : chardev_read(c, buf, n, flags, got);
}

int console_flush(void)
{
    relay_handle c = console_handle();
    return c == HANDLE_NULL ? ERR_BAD_HANDLE : chardev_flush(c);
}

void console_exit_flush(void)
{
    relay_handle c = console_handle();
    if (c != HANDLE_NULL && wrote) {
        struct msg m = { .label = CHARDEV_FLUSH, .length = 0 };
        request(c, &m, CONSOLE_EXIT_TICKS);
    }
}
