/*
 * keyboard: the PS/2 keyboard on IRQ 1 (docs/DRIVERS.md, "Keyboard").  It
 * turns scancodes into characters (keymap.c) and feeds them to the console
 * with the chardev INPUT request (ipc/relay/chardev.h), so a program reads
 * keys and serial input alike from the console.
 *
 * Its creator (proc's driver manager) gives it, by name: "irq" (IRQ 1,
 * RIGHT_CONTROL), "ports" (0x60, the data port), "ports2" (0x64, status
 * and command), "serve" (its service endpoint) and "console" (a send
 * handle to the console's).  Its main thread has the IRQ's notification
 * bound, so one recv on "serve" returns either a request or a key.  It
 * has no input of its own to serve: every request on "serve" is refused
 * with ERR_INVALID (read the console).
 */
#include <relay/libos.h>
#include <relay/port_io.h>
#include <relay/chardev.h>
#include "keymap.h"

#define PS2_DATA      0x60u
#define PS2_STATUS    0x64u       /* read */
#define PS2_COMMAND   0x64u       /* write */
#define STATUS_OUT    0x01u       /* a byte waits in the data port */
#define STATUS_IN     0x02u       /* the controller has not taken the last byte written */
#define STATUS_AUX    0x20u       /* the waiting byte is the mouse's */
#define CMD_READ_CONFIG  0x20u
#define CMD_WRITE_CONFIG 0x60u
#define CONFIG_IRQ1   0x01u       /* interrupt on keyboard bytes */
#define CONFIG_XLATE  0x40u       /* translate set 2 to set 1 */
#define SPINS         100000u     /* polls of the status port before giving up */
#define KEYS_MAX      64u         /* characters read in one interrupt, at most */

static int wait_status(uint8_t bit, int set)
{
    for (uint32_t i = 0; i < SPINS; i++)
        if (((inb(PS2_STATUS) & bit) != 0) == set)
            return 1;
    return 0;
}

/* Interrupts for keys, translated to set 1 (firmware usually has it so already). */
static void controller_init(void)
{
    while (inb(PS2_STATUS) & STATUS_OUT)
        inb(PS2_DATA);                    /* stale bytes from before */
    if (!wait_status(STATUS_IN, 0))
        return;
    outb(PS2_COMMAND, CMD_READ_CONFIG);
    if (!wait_status(STATUS_OUT, 1))
        return;
    uint8_t config = inb(PS2_DATA), want = config | CONFIG_IRQ1 | CONFIG_XLATE;
    if (want == config || !wait_status(STATUS_IN, 0))
        return;
    outb(PS2_COMMAND, CMD_WRITE_CONFIG);
    if (wait_status(STATUS_IN, 0))
        outb(PS2_DATA, want);
}

/* Give the console keys[0..n): what it does not take is dropped (its input is full). */
static void feed_console(relay_handle console, const uint8_t *keys, uint32_t n)
{
    uint32_t words[MSG_WORDS_MAX];
    struct msg m;
    chardev_pack(words, keys, n);
    for (int tries = 0; tries < 2; tries++) {
        int err = rpc_call(console, CHARDEV_INPUT, words, chardev_words(n), &m);
        if (err != ERR_NO_PARTNER)        /* the console restarted: once more */
            return;
    }
}

static relay_handle need(const char *name)
{
    relay_handle h = startup_handle(name);
    if (h == HANDLE_NULL)
        printf("keyboard: no \"%s\" handle: a driver is started by proc's driver manager\n", name);
    return h;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct keymap_state state = { 0 };
    relay_handle irq = need("irq"), serve = need("serve"), console = need("console"), irq_n;
    if (!irq || !serve || !console || !need("ports") || !need("ports2"))
        return 1;
    int err = notification_create(startup_info()->factory, &irq_n);
    if (!err)
        err = notify_bind(startup_info()->self_thread, irq_n);
    if (!err)
        err = irq_bind(irq, irq_n, 1);
    if (err) {
        printf("keyboard: cannot start: %s\n", strerror(err));
        return 1;
    }
    controller_init();
    struct msg in, reply;
    msg_set(&reply, ERR_INVALID, NULL, 0);
    err = ipc_recv(serve, &in, TIMEOUT_FOREVER);
    for (;;) {
        if (err == ERR_NONE && !(in.flags & MSGINFO_NOTIFY)) {
            if (in.flags & MSGINFO_HANDLE)
                handle_delete(in.handle);
            err = ipc_reply_recv(serve, &reply, &in, TIMEOUT_FOREVER);
            continue;
        }
        if (err == ERR_NONE) {            /* the IRQ: every byte the controller has */
            uint8_t keys[KEYS_MAX];
            uint32_t n = 0;
            uint8_t status;
            while (n < KEYS_MAX && ((status = inb(PS2_STATUS)) & STATUS_OUT)) {
                uint8_t code = inb(PS2_DATA);
                int c = (status & STATUS_AUX) ? KEYMAP_NONE : keymap_feed(&state, code);
                if (c != KEYMAP_NONE)
                    keys[n++] = (uint8_t)c;
            }
            irq_ack(irq);
            for (uint32_t at = 0; at < n; at += CHARDEV_BYTES_MAX)
                feed_console(console, keys + at, n - at < CHARDEV_BYTES_MAX ? n - at : CHARDEV_BYTES_MAX);
        } else if (err != ERR_TIMEOUT && err != ERR_CANCELLED && err != ERR_NO_PARTNER) {
            printf("keyboard: serve endpoint unusable: %s\n", strerror(err));
            return 1;
        }
        err = ipc_recv(serve, &in, TIMEOUT_FOREVER);
    }
}
