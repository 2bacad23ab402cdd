/*
 * The block client: reading and writing a disk through its driver
 * (ipc/relay/block.h, the protocol; docs/DRIVERS.md "Disk"; docs/LIBOS.md
 * "The disk").  proc gives a program a send handle to the disk driver as
 * startup_handle("disk").
 *
 *   static uint8_t buf[BLOCK_BUFFER_MAX] __attribute__((aligned(4096)));
 *   struct block_client disk;
 *   block_attach(&disk, startup_handle("disk"), buf, sizeof buf);
 *   block_read(&disk, lba, 8, 0);         -- sectors lba..lba+7 now in buf[0..4096)
 *
 * block_attach shares the buffer with the driver once (a message that maps
 * its pages, MSGINFO_MAP); block_read and block_write then move whole
 * sectors between the disk and an offset in it, BLOCK_SECTORS_MAX a
 * request.  block_load and block_store move any number of sectors between
 * the disk and memory of the caller's, through the buffer.
 *
 * Drivers that come back: when the driver dies during a request the kernel
 * ends the call with ERR_NO_PARTNER, and proc's driver manager starts a new
 * driver on the same endpoint, which knows no buffer; a request made after
 * such a restart gets ERR_STATE.  Either way the client shares its buffer
 * again and repeats the request, up to BLOCK_RETRIES times in one call (a
 * call blocks until the new driver receives), and counts it in restarts.
 * A READ or WRITE is repeated whole, which is safe: the buffer still holds
 * what a WRITE is to write, and a READ fills it afresh.  Any other error
 * is the caller's to see.
 *
 * Every function returns a relay error code: the driver's (block.h lists
 * them), the kernel's for the IPC, or, before anything is sent,
 * ERR_INVALID (a buffer not page-aligned, or of 0 bytes or not whole pages)
 * and ERR_RANGE (a buffer over BLOCK_BUFFER_MAX).  Functions other than
 * block_attach and block_info need an attached client (ERR_STATE).  A
 * client is used by one thread at a time.
 */
#ifndef LIBOS_BLOCK_CLIENT_H
#define LIBOS_BLOCK_CLIENT_H

#include <stdint.h>
#include <relay/ipc.h>
#include <relay/block.h>

#define BLOCK_RETRIES 8u   /* driver restarts one call lives through */

struct block_client {
    relay_handle driver;          /* the driver's endpoint: RIGHT_SEND | RIGHT_GRANT */
    uint8_t *buffer;              /* shared with the driver; NULL: not attached */
    uint32_t bytes;               /* its size, whole pages */
    uint32_t share;               /* MAP_WRITABLE, or 0 for block_attach_read_only */
    uint32_t flags;               /* BLOCK_SHARED_WRITABLE: the driver may READ into it */
    uint32_t restarts;            /* requests repeated: the driver restarted, or dropped the buffer */
};

/* Share buffer (page-aligned, bytes whole pages up to BLOCK_BUFFER_MAX) with the
 * driver behind endpoint driver, writable if this task could map it writable
 * (c->flags says what the driver got); each page is read first so that it
 * is mapped. */
int block_attach(struct block_client *c, relay_handle driver, void *buffer, uint32_t bytes);
/* The same, read-only for the driver: block_write from it, never block_read into it. */
int block_attach_read_only(struct block_client *c, relay_handle driver, const void *buffer,
                           uint32_t bytes);
/* The driver unmaps the buffer; c is unattached again. */
int block_detach(struct block_client *c);
/* The disk's size and model (c need not be attached: c->driver is enough). */
int block_info(struct block_client *c, struct block_info *info);

/* count sectors from sector lba into the buffer at offset, or from the buffer at
 * offset onto the disk (offset a multiple of 512, within the buffer). */
int block_read(struct block_client *c, uint32_t lba, uint32_t count, uint32_t offset);
int block_write(struct block_client *c, uint32_t lba, uint32_t count, uint32_t offset);

/* Any number of sectors from lba to dst, or from src to lba, through the
 * buffer (from offset 0), a buffer's worth a request. */
int block_load(struct block_client *c, uint32_t lba, uint32_t count, void *dst);
int block_store(struct block_client *c, uint32_t lba, uint32_t count, const void *src);

#endif
