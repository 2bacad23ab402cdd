/*
 * The console client: bytes to and from a character device that speaks
 * the chardev protocol (ipc/relay/chardev.h) -- the serial driver, which
 * is the system console, or any other.
 *
 * A program finds its console through the startup handle "console", which
 * proc gives every program it starts, and libos' spawn passes on to a
 * child unless spawn_args.handles names a "console" of its own.  printf
 * and puts (relay/stdio.h) write through it when there is one, and through
 * the kernel's debug_write when there is not.
 *
 * chardev_write sends n bytes (any n; CHARDEV_BYTES_MAX a message) and
 * returns once the device has taken them all; chardev_read waits for input
 * (unless flags has CHARDEV_NOWAIT: then ERR_TIMEOUT if there is none) and
 * returns what there is, between 1 and n bytes, in *got; chardev_flush
 * returns once every byte written has left the device.  Each returns a
 * relay error: the request's (chardev.h), or the IPC's.  They retry on
 * their own when
 *   - the driver died holding the request (ERR_NO_PARTNER): the driver
 *     manager starts a new instance on the same endpoint, and the call
 *     waits for it; up to CHARDEV_RESTARTS times;
 *   - the driver had CHARDEV_WAITERS_MAX requests waiting (ERR_STATE):
 *     after a yield.
 * A write the dead driver had taken in part is sent again whole: its
 * bytes may then come out twice.  (Earlier writes the dead driver had
 * taken but not yet sent are lost with it.)
 *
 * console_* are the same on the startup handle "console"; with none they
 * return ERR_BAD_HANDLE.  console_use makes dev the console instead, each
 * write waiting at most timeout ticks for it (then ERR_TIMEOUT, and printf
 * writes the rest of that output through debug_write): for a program that
 * must not hang on its console, such as proc, which restarts it.  console_exit_flush is what exit() runs: a flush,
 * waiting at most CONSOLE_EXIT_TICKS, if this program wrote to the console,
 * so that its output is out before it ends.
 */
#ifndef LIBOS_CONSOLE_H
#define LIBOS_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <relay/ipc.h>
#include <relay/chardev.h>

#define CHARDEV_RESTARTS   3u     /* driver deaths one request survives */
#define CONSOLE_EXIT_TICKS 200u   /* 2 s */

int chardev_write(relay_handle dev, const void *buf, size_t n);
int chardev_read(relay_handle dev, void *buf, size_t n, uint32_t flags, size_t *got);
int chardev_flush(relay_handle dev);

/* console_use's device, else the startup handle "console", or HANDLE_NULL. */
relay_handle console_handle(void);
void console_use(relay_handle dev, uint32_t timeout);
int console_write(const void *buf, size_t n);
int console_read(void *buf, size_t n, uint32_t flags, size_t *got);
int console_flush(void);
void console_exit_flush(void);

#endif
