/*
 * The disk driver (docs/DRIVERS.md "Disk"): an ATA PIO driver for the
 * primary IDE channel serving the block protocol (ipc/relay/block.h).
 *
 *   main.c      the receive loop and the operations
 *   clients.c   which client holds which window, and what a request may do
 *               (pure: host-tested in tests/host/test_disk.c)
 *   identify.c  what ATA IDENTIFY's 256 words say (pure, host-tested)
 *   ata.c       the disk itself: ports, commands, the interrupt
 *   guard.c     a client's page that goes away mid-transfer: a stand-in, not a crash
 *
 * Windows.  Each client's buffer is mapped in a window of its own, one of
 * WINDOWS windows of BLOCK_BUFFER_MAX bytes from WINDOW_BASE.  A client
 * holds one; the rest are free, and one free window (the landing window) is
 * always where the next message's pages land (utcb->recv_map_va), since the
 * driver cannot know before a receive who will send.  An ATTACH keeps the
 * window its pages landed in, and the window its client held before (or
 * the one of the client it displaced) is unmapped and freed.
 */
#ifndef DISK_H
#define DISK_H

#include <stdint.h>
#include <relay/block.h>

#define WINDOW_BASE 0x90000000u              /* between the images and the scratch window */
#define WINDOWS     (BLOCK_CLIENTS_MAX + 1u) /* one per client, and one to land in */
#define NO_WINDOW   0xFFFFFFFFu

static inline uint32_t window_va(uint32_t window)
{
    return WINDOW_BASE + window * BLOCK_BUFFER_MAX;
}

struct client {
    uint32_t badge;               /* who: the badge of the handle its requests come through */
    uint32_t window;              /* where its buffer is mapped */
    uint32_t bytes;               /* how much of it: pages * 4096 */
    uint32_t writable;            /* READ may fill it */
    uint32_t last_used;           /* clients.clock at its last request */
    uint32_t in_use;
};

struct clients {
    struct client client[BLOCK_CLIENTS_MAX];
    uint32_t window_used[WINDOWS];   /* held by a client */
    uint32_t landing;                /* a free window: where the next pages land */
    uint32_t clock;                  /* counts requests, for least recently used */
};

/* A window to unmap: pages mapped there that nobody holds any more. */
struct window_release {
    uint32_t window;              /* NO_WINDOW: nothing to unmap */
    uint32_t bytes;
};

void clients_init(struct clients *c);

/* The client with this badge, its last use stamped now; NULL if it has no buffer. */
struct client *clients_find(struct clients *c, uint32_t badge);

/* An ATTACH from badge whose bytes (1..BLOCK_BUFFER_MAX, whole pages) landed
 * in the landing window: the client holds that window from now on.  The
 * window it held before, or that of the least recently used client it
 * displaced when every slot was taken, goes in *release; a new landing
 * window is chosen.  ERR_INVALID for bytes 0, past BLOCK_BUFFER_MAX or not
 * whole pages (then nothing changes: the caller unmaps what landed). */
int clients_attach(struct clients *c, uint32_t badge, uint32_t bytes, uint32_t writable,
                   struct window_release *release);

/* The client with badge gives its buffer up: its window in *release.
 * ERR_STATE if it has none. */
int clients_detach(struct clients *c, uint32_t badge, struct window_release *release);

enum block_direction { BLOCK_TO_BUFFER, BLOCK_TO_DISK };

/* Whether client (NULL: none shared) may move r's sectors on a disk of
 * disk_sectors, in the order of block.h: ERR_INVALID, ERR_STATE, ERR_RANGE,
 * ERR_NO_RIGHTS, else ERR_NONE. */
int block_check(const struct block_request *r, const struct client *client, uint32_t disk_sectors,
                enum block_direction dir);

/* --- IDENTIFY DEVICE's answer (ATA/ATAPI-6 §8.15). */
#define ATA_IDENTIFY_WORDS 256u

/* The sectors 28-bit LBA reaches (words 60-61) and the model (words 27-46,
 * each word's high byte first).  ERR_NO_DEVICE for a packet (ATAPI)
 * device, one without LBA, or one of 0 sectors. */
int identify_parse(const uint16_t id[ATA_IDENTIFY_WORDS], uint32_t *sectors,
                   char model[BLOCK_MODEL_MAX]);

/* --- The windows' guard (guard.c). */
/* A frame to stand in for lost pages, and the handler of this thread's faults. */
int guard_start(void);
/* How many window pages were replaced by the stand-in since the last call. */
uint32_t guard_lost(void);

/* --- The disk (ata.c). */
struct disk {
    int present;                  /* IDENTIFY found an ATA disk */
    uint32_t sectors;
    char model[BLOCK_MODEL_MAX];
    relay_handle irq;             /* the IRQ handle ("irq") */
    relay_handle notification;    /* bound to the main thread; the IRQ signals IRQ_BIT */
    uint32_t error;               /* after ERR_TIMEOUT: BLOCK_DISK_ERROR | the error register, or 0 */
};
#define IRQ_BIT 0x1u

/* Reset the channel and IDENTIFY the master: present, sectors, model. */
void ata_start(struct disk *d);
/* count (1..BLOCK_SECTORS_MAX) sectors from lba to buf, or from buf to lba and
 * then flush the disk's cache.  ERR_TIMEOUT (d->error says more). */
int ata_read(struct disk *d, uint32_t lba, uint32_t count, void *buf);
int ata_write(struct disk *d, uint32_t lba, uint32_t count, const void *buf);
/* An interrupt that came while no command waited for one: read the status, ack. */
void ata_stray_interrupt(struct disk *d);

#endif
