/*
 * role=reader: a second client beside the suite (tests/system/disk/run
 * boots both; proc gives each program a handle of its own badge, so the
 * driver keeps a buffer for each).  It makes READ_REQUESTS reads of
 * 1..128 sectors to offsets all over its buffer while the suite makes its
 * own requests, and checks each: the sectors asked for, where asked, and
 * the rest of its buffer as it was, so that no sector of the suite's
 * lands in it.  One line at the end, "disk-reader: ... all right", which
 * the script looks for, or a line saying what went wrong and status 1.
 */
#include "disktest.h"

#define READ_REQUESTS 300u
#define READ_SPAN 4096u           /* sectors [0, READ_SPAN): the suite never writes there */
#define FILL 0xEEu

ROLE(reader)
{
    uint32_t seed = utest_arg_u32(argc, argv, "seed", 1);
    int err = block_attach(&disk, startup_handle("disk"), buf, sizeof buf);
    if (err) {
        printf("disk-reader: attach: %s\n", strerror(err));
        return 1;
    }
    for (uint32_t k = 0; k < READ_REQUESTS; k++) {
        uint32_t count = 1 + k * 7 % BLOCK_SECTORS_MAX;
        uint32_t lba = k * 37 % (READ_SPAN - count);
        uint32_t offset = k * 5 % (BLOCK_SECTORS_MAX - count + 1) * BLOCK_SECTOR_SIZE;
        uint32_t end = offset + count * BLOCK_SECTOR_SIZE;
        memset(buf, FILL, sizeof buf);
        err = block_read(&disk, lba, count, offset);
        for (uint32_t i = 0; !err && i < count; i++)
            if (pattern_differs(seed, lba + i, buf + offset + i * BLOCK_SECTOR_SIZE) >= 0)
                err = ERR_INVALID;
        for (uint32_t i = 0; !err && i < sizeof buf; i++)
            if ((i < offset || i >= end) && buf[i] != FILL)
                err = ERR_RANGE;
        if (err) {
            printf("disk-reader: request %u (sector %u, %u sectors, to offset %u): %s\n", k, lba,
                   count, offset, err == ERR_INVALID ? "not the image's sectors"
                                  : err == ERR_RANGE ? "bytes changed outside them" : strerror(err));
            return 1;
        }
    }
    printf("disk-reader: %u reads of 1..128 sectors beside the suite, each into its own buffer: "
           "all right\n", READ_REQUESTS);
    return 0;
}
