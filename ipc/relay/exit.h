/*
 * How a Relay image tells the host it is done.
 *
 * Under QEMU an `isa-debug-exit` device sits at port RELAY_EXIT_PORT; writing a
 * byte v there ends QEMU with status (v << 1) | 1.  The host test runner
 * (tools/qemu-test) reads these values from this file, so it is the one source.
 * On real hardware the write does nothing and the kernel halts instead.
 */
#ifndef RELAY_EXIT_H
#define RELAY_EXIT_H

#define RELAY_EXIT_PORT  0xf4
#define RELAY_EXIT_PASS  0x10   /* every test passed: QEMU status 33 */
#define RELAY_EXIT_FAIL  0x11   /* a test failed: QEMU status 35 */
#define RELAY_EXIT_PANIC 0x12   /* kernel panic or double fault: QEMU status 37 */

#endif
