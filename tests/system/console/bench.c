/*
 * consolebench: serial_tx_4k, the guest instructions (rdtsc under QEMU's
 * -icount shift=0, make bench) a program takes to write 4 KiB through the
 * console driver (servers/drivers/serial) and flush it: console_write of
 * 4,096 bytes (33 WRITE requests of up to 124 bytes), then console_flush,
 * which returns once the UART's transmitter is empty.  Everything the
 * driver does meanwhile -- its interrupts, its threads, the port I/O --
 * runs inside the measurement.  The median of ROUNDS rounds, after one
 * round to warm up.  The bytes are 64-character lines of text.
 */
#include <relay/libos.h>
#include <relay/cycles.h>

#define ROUNDS 9
#define BYTES  4096u
#define LINE   64u

static char text[BYTES];

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (uint32_t i = 0; i < BYTES; i++)
        text[i] = i % LINE == LINE - 1 ? '\n' : (char)('a' + (i / LINE + i) % 26);
    uint32_t cost[ROUNDS];
    int err = console_handle() == HANDLE_NULL ? ERR_BAD_HANDLE : ERR_NONE;
    for (int round = -1; round < ROUNDS && !err; round++) {
        uint64_t t0 = rdtsc();
        err = console_write(text, BYTES);
        if (!err)
            err = console_flush();
        uint64_t t1 = rdtsc();
        if (round >= 0)
            cost[round] = (uint32_t)(t1 - t0);
    }
    if (err) {
        printf("FAIL serial_tx_4k: %s\nconsolebench: 0 passed, 1 failed\n", strerror(err));
        return 1;
    }
    printf("BENCH serial_tx_4k %u\n", median_u32(cost, ROUNDS));
    printf("PASS serial_tx_4k: 4 KiB written through the console driver and flushed\n");
    printf("consolebench: 1 passed, 0 failed\n");
    return 0;
}
