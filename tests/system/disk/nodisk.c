/*
 * role=nodisk: the driver found no disk (QEMU without --drive), and answers
 * every request with ERR_NO_DEVICE.  A role, so that it runs alone: it
 * prints its own PASS/FAIL lines and "disk-none: N passed, N failed".
 */
#include "disktest.h"

static unsigned passed, failed;

static void expect(const char *name, const char *what, int got, int want)
{
    if (got == want) {
        printf("PASS %s: %s\n", name, what);
        passed++;
    } else {
        printf("FAIL %s: %s\n  got %s (%d), want %s (%d)\n", name, what, strerror(got), got,
               strerror(want), want);
        failed++;
    }
}

ROLE(nodisk)
{
    (void)argc;
    (void)argv;
    struct block_info info;
    disk.driver = startup_handle("disk");
    expect("nodisk_info", "INFO without a disk: ERR_NO_DEVICE", block_info(&disk, &info),
           ERR_NO_DEVICE);
    expect("nodisk_attach", "ATTACH without a disk: ERR_NO_DEVICE, nothing kept",
           block_attach(&disk, disk.driver, buf, sizeof buf), ERR_NO_DEVICE);
    expect("nodisk_read", "READ without a disk: ERR_NO_DEVICE", block_raw(BLOCK_READ, 0, 1, 0),
           ERR_NO_DEVICE);
    expect("nodisk_write", "WRITE without a disk: ERR_NO_DEVICE", block_raw(BLOCK_WRITE, 0, 1, 0),
           ERR_NO_DEVICE);
    expect("nodisk_bad_request", "even a request it would refuse otherwise: ERR_NO_DEVICE",
           block_raw(BLOCK_READ, 0, 0, 1), ERR_NO_DEVICE);
    expect("nodisk_client_unattached", "libos' client stays unattached: its READ is ERR_STATE",
           block_read(&disk, 0, 1, 0), ERR_STATE);
    printf("disk-none: %u passed, %u failed\n", passed, failed);
    return (int)failed;
}
