/*
 * The disk: an ATA disk as master on the primary IDE channel, programmed
 * I/O with 28-bit LBA, one interrupt (IRQ 14) per sector (ATA/ATAPI-6
 * §8.27 READ SECTORS, §8.62 WRITE SECTORS, §9.5 and §9.6 the PIO
 * protocols).  The task holds the ioport handles for the command block
 * 0x1F0..0x1F7 and the control port 0x3F6, so in/out on them work here.
 * A command that fails resets the channel, so that the next starts clean.
 *
 * Waiting for the disk: the IRQ is bound to a notification bound to the
 * main thread; while a command runs, the thread waits on that
 * notification alone (further requests queue on the endpoint), reads the
 * status register, which lowers the disk's interrupt, and acks the line.
 */
#include "disk.h"
#include <relay/libos.h>
#include <relay/port_io.h>

enum ata_port {
    ATA_DATA = 0x1F0, ATA_ERROR = 0x1F1, ATA_COUNT = 0x1F2, ATA_LBA0 = 0x1F3, ATA_LBA1 = 0x1F4,
    ATA_LBA2 = 0x1F5, ATA_DRIVE = 0x1F6, ATA_STATUS = 0x1F7, ATA_COMMAND = 0x1F7,
    ATA_CONTROL = 0x3F6,          /* written: device control; read: alternate status */
};

#define ST_ERR  0x01u             /* the command failed: the error register says why */
#define ST_DRQ  0x08u             /* the disk wants or has data */
#define ST_DF   0x20u             /* device fault */
#define ST_BSY  0x80u

#define CTL_SRST 0x04u            /* software reset of the channel */
#define DRIVE_MASTER_LBA 0xE0u    /* master, LBA addressing; bits 0..3 are LBA 24..27 */

enum ata_command {
    CMD_READ_SECTORS = 0x20, CMD_WRITE_SECTORS = 0x30, CMD_FLUSH_CACHE = 0xE7,
    CMD_IDENTIFY = 0xEC,
};

#define POLL_FAST 1000u           /* status reads before waiting a tick between them */

/* 400 ns for the status to follow a drive select: four reads of the alternate status. */
static void settle(void)
{
    for (int i = 0; i < 4; i++)
        (void)inb(ATA_CONTROL);
}

/* Let a clock tick pass.  An interrupt that comes meanwhile is nobody's
 * (no command waits for one): it is taken, and its line acked. */
static void pause_tick(struct disk *d)
{
    uint32_t bits;
    if (notify_wait(d->notification, &bits, 1) == ERR_NONE) {
        (void)inb(ATA_STATUS);
        irq_ack(d->irq);
    }
}

/* Poll the alternate status (which leaves an interrupt pending) until BSY
 * is clear: POLL_FAST reads at once, then one a tick, for BLOCK_DISK_TICKS
 * (QEMU, for one, finishes a channel reset in its own time). */
static int wait_not_busy(struct disk *d, uint8_t *status)
{
    for (uint32_t tick = 0; tick <= BLOCK_DISK_TICKS; tick++) {
        for (uint32_t i = 0; i < POLL_FAST; i++) {
            *status = inb(ATA_CONTROL);
            if (!(*status & ST_BSY))
                return ERR_NONE;
        }
        pause_tick(d);
    }
    return ERR_TIMEOUT;
}

/*
 * Wait for the disk's interrupt (up to BLOCK_DISK_TICKS), take its status
 * (which lowers the interrupt) and ack the line.  An interrupt that finds
 * the disk still busy is a late one from an earlier command: wait again.
 */
static int wait_interrupt(struct disk *d, uint8_t *status)
{
    for (;;) {
        uint32_t bits;
        int err = notify_wait(d->notification, &bits, BLOCK_DISK_TICKS);
        if (err)
            return err;
        *status = inb(ATA_STATUS);
        irq_ack(d->irq);
        if (!(*status & ST_BSY))
            return ERR_NONE;
    }
}

/* The command's outcome from a status: ERR_TIMEOUT with d->error set if the disk failed it. */
static int check(struct disk *d, uint8_t status)
{
    if (!(status & (ST_ERR | ST_DF)))
        return ERR_NONE;
    d->error = BLOCK_DISK_ERROR | inb(ATA_ERROR);
    return ERR_TIMEOUT;
}

static int command(struct disk *d, uint8_t cmd, uint32_t lba, uint32_t count)
{
    uint8_t status;
    d->error = 0;
    outb(ATA_DRIVE, (uint8_t)(DRIVE_MASTER_LBA | (lba >> 24 & 0x0F)));
    settle();
    if (wait_not_busy(d, &status))
        return ERR_TIMEOUT;
    outb(ATA_COUNT, (uint8_t)count);              /* 1..128: never 0, which would mean 256 */
    outb(ATA_LBA0, (uint8_t)lba);
    outb(ATA_LBA1, (uint8_t)(lba >> 8));
    outb(ATA_LBA2, (uint8_t)(lba >> 16));
    outb(ATA_COMMAND, cmd);
    return ERR_NONE;
}

/*
 * Select the master and wait (as wait_not_busy) until it is not busy.  The
 * select is made again on every poll: a disk ignores it while busy, and
 * QEMU leaves the slave selected after a channel reset, which it finishes
 * in its own time.  The status read, or BSY if the master never got ready;
 * 0 when nothing drives the bus.
 */
static uint8_t select_master(struct disk *d)
{
    for (uint32_t tick = 0; tick <= BLOCK_DISK_TICKS; tick++) {
        for (uint32_t i = 0; i < POLL_FAST; i++) {
            outb(ATA_DRIVE, DRIVE_MASTER_LBA);
            settle();
            uint8_t status = inb(ATA_CONTROL);
            if (!(status & ST_BSY))
                return status;
        }
        pause_tick(d);
    }
    return ST_BSY;
}

/*
 * Reset the channel (SRST): a disk that a dead instance of the driver, or a
 * command that failed, left in the middle of a command would refuse every
 * new one.  Then the master's status, as select_master gives it.
 */
static uint8_t reset_channel(struct disk *d)
{
    outb(ATA_DRIVE, DRIVE_MASTER_LBA);
    settle();
    outb(ATA_CONTROL, CTL_SRST);
    settle();
    outb(ATA_CONTROL, 0);                         /* and nIEN clear: the disk interrupts */
    return select_master(d);
}

int ata_read(struct disk *d, uint32_t lba, uint32_t count, void *buf)
{
    int err = command(d, CMD_READ_SECTORS, lba, count);
    for (uint32_t i = 0; !err && i < count; i++) {
        uint8_t status;
        err = wait_interrupt(d, &status);
        if (!err)
            err = check(d, status);
        if (!err && !(status & ST_DRQ))
            err = ERR_TIMEOUT;
        if (!err)
            insw(ATA_DATA, (uint8_t *)buf + i * BLOCK_SECTOR_SIZE, BLOCK_SECTOR_SIZE / 2);
    }
    if (err)
        reset_channel(d);                         /* the next command starts clean */
    return err;
}

int ata_write(struct disk *d, uint32_t lba, uint32_t count, const void *buf)
{
    uint8_t status;
    int err = command(d, CMD_WRITE_SECTORS, lba, count);
    if (!err)                                     /* the first sector is asked for without an interrupt */
        err = wait_not_busy(d, &status);
    if (!err)
        err = check(d, status);
    for (uint32_t i = 0; !err && i < count; i++) {
        if (!(status & ST_DRQ)) {
            err = ERR_TIMEOUT;
            break;
        }
        outsw(ATA_DATA, (const uint8_t *)buf + i * BLOCK_SECTOR_SIZE, BLOCK_SECTOR_SIZE / 2);
        err = wait_interrupt(d, &status);
        if (!err)
            err = check(d, status);
    }
    if (!err)
        err = command(d, CMD_FLUSH_CACHE, 0, 0);
    if (!err)
        err = wait_interrupt(d, &status);
    if (!err)
        err = check(d, status);
    if (err)
        reset_channel(d);
    return err;
}

void ata_stray_interrupt(struct disk *d)
{
    if (d->present)
        (void)inb(ATA_STATUS);
    irq_ack(d->irq);
}

void ata_start(struct disk *d)
{
    uint16_t id[ATA_IDENTIFY_WORDS];
    uint8_t status;
    d->present = 0;
    status = reset_channel(d);
    if (status == 0x00 || status == 0xFF || status & ST_BSY)
        return;                                   /* nothing drives the bus, or nothing answers */
    outb(ATA_COUNT, 0);
    outb(ATA_LBA0, 0);
    outb(ATA_LBA1, 0);
    outb(ATA_LBA2, 0);
    outb(ATA_COMMAND, CMD_IDENTIFY);
    if (inb(ATA_CONTROL) == 0x00)                 /* no device took the command */
        return;
    if (wait_interrupt(d, &status) || status & (ST_ERR | ST_DF) || !(status & ST_DRQ))
        return;                                   /* a packet (ATAPI) device refuses it */
    insw(ATA_DATA, id, ATA_IDENTIFY_WORDS);
    if (identify_parse(id, &d->sectors, d->model) == ERR_NONE)
        d->present = 1;
}
