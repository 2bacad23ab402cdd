/*
 * The block-device protocol: a disk of 512-byte sectors served by a driver
 * (servers/drivers/disk, docs/DRIVERS.md "Disk"); libos' client is
 * relay/block_client.h.
 *
 * Requests are RPCs (libos relay/rpc.h): the label names the operation, the
 * reply's label is a relay error code and its words the results.  Data
 * never travels in messages.  A client shares a buffer with the driver
 * once: BLOCK_ATTACH is a message with MSGINFO_MAP (ipc.h, struct utcb)
 * that maps up to BLOCK_BUFFER_PAGES of the client's pages into a window
 * the driver keeps for that client.  READ and WRITE then move whole
 * sectors between the disk and an offset in that buffer, up to
 * BLOCK_SECTORS_MAX a request.  The client is its badge: every request
 * made through handles with one badge works on one buffer.
 *
 *   op         words in                     map in          reply words
 *   ATTACH     -                            1..16 pages     bytes shared, BLOCK_SHARED_* flags
 *   DETACH     -                            -               -
 *   INFO       -                            -               struct block_info
 *   READ       struct block_request         -               sectors moved
 *   WRITE      struct block_request         -               sectors moved
 *
 * A READ or WRITE moves all its sectors or fails; a request refused for
 * any error but ERR_TIMEOUT (and ERR_STATE for a buffer lost mid-way)
 * touched neither the disk nor the buffer.
 * Errors, checked in this order:
 *   ERR_NO_DEVICE  there is no disk (none on the channel, or not an ATA
 *                  disk): every request gets it, ATTACH and INFO included
 *   ERR_INVALID    an unknown label; ATTACH without pages; count 0; an
 *                  offset that is not a multiple of BLOCK_SECTOR_SIZE
 *   ERR_STATE      READ, WRITE or DETACH with no buffer shared: never
 *                  attached, detached, displaced, or attached to a driver
 *                  that has since been restarted (attach again)
 *   ERR_RANGE      count over BLOCK_SECTORS_MAX; sectors past the end of
 *                  the buffer (offset + count * 512 > bytes shared); sectors
 *                  past the disk's last (lba + count > sectors)
 *   ERR_NO_RIGHTS  READ into a buffer shared read-only
 *   ERR_TIMEOUT    the disk did not answer within BLOCK_DISK_TICKS, or it
 *                  reported an error: then reply word 0 is BLOCK_DISK_ERROR
 *                  with the ATA error register in bits 0..7 (a WRITE may
 *                  have written some of its sectors)
 * and, after all of those, ERR_STATE for a READ or WRITE whose buffer the
 * client took back (frame_revoke, or by ending), before or during the
 * transfer: the driver drops the buffer (a WRITE that lost it mid-way may
 * have written a page's sectors with what the driver put in its place).
 * A driver keeps BLOCK_CLIENTS_MAX buffers: an ATTACH from a new client when
 * all are taken frees the one whose last request is the oldest, and that
 * client's next READ or WRITE gets ERR_STATE.  ATTACH from a client that has
 * a buffer replaces it.
 * A client whose driver died during its call gets ERR_NO_PARTNER from the
 * kernel; the driver manager starts a new one on the same endpoint, which
 * knows no buffers: attach again, then repeat the request (libos' client
 * does both).
 */
#ifndef RELAY_BLOCK_H
#define RELAY_BLOCK_H

#include <stdint.h>
#include "ipc.h"

#define BLOCK_SECTOR_SIZE  512u
#define BLOCK_PAGE_SIZE    4096u
#define BLOCK_BUFFER_PAGES MSG_MAP_PAGES_MAX                        /* 16 */
#define BLOCK_BUFFER_MAX   (BLOCK_BUFFER_PAGES * BLOCK_PAGE_SIZE)   /* 64 KiB */
#define BLOCK_SECTORS_MAX  (BLOCK_BUFFER_MAX / BLOCK_SECTOR_SIZE)   /* 128 a request */
#define BLOCK_CLIENTS_MAX  16u    /* buffers a driver keeps at once */
#define BLOCK_MODEL_MAX    40u    /* bytes of the model name (ATA IDENTIFY's) */
#define BLOCK_DISK_TICKS   200u   /* how long a driver waits for the disk (clock ticks) */

/* X(name, label, what): the one list of the protocol's operations. */
#define BLOCK_OPS(X) \
    X(BLOCK_ATTACH, 0x7B01, "share a buffer: the message maps its pages (MSGINFO_MAP)") \
    X(BLOCK_DETACH, 0x7B02, "stop sharing the buffer: the driver unmaps it") \
    X(BLOCK_INFO,   0x7B03, "the disk's size in sectors and its model") \
    X(BLOCK_READ,   0x7B04, "sectors from the disk into the buffer") \
    X(BLOCK_WRITE,  0x7B05, "sectors from the buffer onto the disk")

enum block_op {
#define BLOCK_OP_ENUM(name, label, what) name = label,
    BLOCK_OPS(BLOCK_OP_ENUM)
#undef BLOCK_OP_ENUM
};

/* ATTACH's reply word 1. */
#define BLOCK_SHARED_WRITABLE 0x1u   /* the driver can READ into the buffer */

/* READ and WRITE: words 0..2. */
struct block_request {
    uint32_t lba;                 /* the first sector */
    uint32_t count;               /* sectors, 1..BLOCK_SECTORS_MAX */
    uint32_t offset;              /* bytes into the shared buffer, a multiple of 512 */
};
#define BLOCK_REQUEST_WORDS (sizeof(struct block_request) / 4)
_Static_assert(sizeof(struct block_request) == 3 * 4, "a request is three words");

/* INFO's reply words. */
struct block_info {
    uint32_t sectors;             /* the disk's size: sectors 0..sectors-1 */
    uint32_t sector_size;         /* BLOCK_SECTOR_SIZE */
    char model[BLOCK_MODEL_MAX];  /* as the disk names itself, space-padded, not terminated */
};
#define BLOCK_INFO_WORDS (sizeof(struct block_info) / 4)
_Static_assert(sizeof(struct block_info) == 12 * 4 && BLOCK_INFO_WORDS <= MSG_WORDS_MAX,
               "INFO's reply is twelve words");

/* An ERR_TIMEOUT reply's word 0 when the disk reported an error rather
 * than staying silent: this bit, and the ATA error register in bits 0..7. */
#define BLOCK_DISK_ERROR 0x100u

#endif
