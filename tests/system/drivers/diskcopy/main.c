/*
 * diskcopy: a 1 MiB copy on the disk survives the disk driver's death
 * (tests/system/drivers/check boots it with the disk driver and a disk
 * image whose first MiB the script filled).
 *
 * The copy reads sectors SRC.. and writes them to DST.., a shared buffer's
 * worth (64 KiB) a request, through libos' block client.  After the copy
 * has done KILL_AFTER of its requests a second thread, of lower priority,
 * asks proc to kill the driver: it runs only while the copy waits for the
 * disk, so the driver dies holding a request.  The copy must still end,
 * having repeated that request against the new driver, and every byte
 * must be where it belongs: this program compares source and copy through
 * the driver, and the script compares them in the image on the host.
 */
#include <relay/libos.h>
#include <relay/block_client.h>
#include "../drvtest.h"

#define COPY_BYTES   (1u << 20)
#define COPY_SECTORS (COPY_BYTES / BLOCK_SECTOR_SIZE)
#define SRC          0u                       /* the first MiB, which the script filled */
#define DST          4096u                    /* the third MiB, zero before */
#define CHUNK        BLOCK_SECTORS_MAX        /* sectors a request: the whole buffer */
#define KILL_AFTER   11u                      /* requests done before the kill is asked for */
#define KILLER_PRIORITY 5u                    /* below ours (10): it runs while we wait */

static uint8_t buffer[BLOCK_BUFFER_MAX] __attribute__((aligned(4096)));
static uint8_t src_copy[BLOCK_BUFFER_MAX];
static relay_handle go;                       /* signalled after KILL_AFTER requests */
static volatile int kill_result = -1;

static void killer(void *arg)
{
    uint32_t bits;
    (void)arg;
    notify_wait(go, &bits, TIMEOUT_FOREVER);
    kill_result = driver_kill("disk");
}

/* Copy the MiB, a chunk at a time; each read and write is a request. */
static int copy(struct block_client *c)
{
    uint32_t requests = 0;
    for (uint32_t at = 0; at < COPY_SECTORS; at += CHUNK) {
        int err = block_read(c, SRC + at, CHUNK, 0);
        if (!err && ++requests == KILL_AFTER)
            notify_signal(go, 1);
        if (!err)
            err = block_write(c, DST + at, CHUNK, 0);
        if (!err && ++requests == KILL_AFTER)
            notify_signal(go, 1);
        if (err) {
            utest_note("request %u (sectors %u..) failed: %s", requests + 1, at, strerror(err));
            return err;
        }
    }
    return ERR_NONE;
}

/* Read back source and copy through the driver: the first byte that differs, or -1. */
static int32_t compare(struct block_client *c)
{
    for (uint32_t at = 0; at < COPY_SECTORS; at += CHUNK) {
        if (block_read(c, SRC + at, CHUNK, 0))
            return (int32_t)(at * BLOCK_SECTOR_SIZE);
        memcpy(src_copy, buffer, sizeof src_copy);
        if (block_read(c, DST + at, CHUNK, 0))
            return (int32_t)(at * BLOCK_SECTOR_SIZE);
        for (uint32_t i = 0; i < sizeof buffer; i++)
            if (buffer[i] != src_copy[i])
                return (int32_t)(at * BLOCK_SECTOR_SIZE + i);
    }
    return -1;
}

TEST(disk_copy_survives_a_driver_kill,
     "a 1 MiB copy through the disk driver, the driver killed in the middle: the copy ends, every byte right")
{
    struct driver_status before, after;
    struct block_client c;
    struct block_info info;
    struct thread *t;
    CHECK_EQ(driver_status("disk", &before), ERR_NONE);
    CHECK_EQ(before.state, DRIVER_RUNNING);
    CHECK_EQ(block_attach(&c, startup_handle("disk"), buffer, sizeof buffer), ERR_NONE);
    CHECK_EQ(block_info(&c, &info), ERR_NONE);
    CHECK(info.sectors >= DST + COPY_SECTORS);
    CHECK_EQ(notification_create(startup_info()->factory, &go), ERR_NONE);
    struct thread_spec spec = { killer, 0, KILLER_PRIORITY, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);

    CHECK_EQ(copy(&c), ERR_NONE);
    for (uint32_t waited = 0; kill_result < 0 && waited < 200; waited++)
        sleep_ticks(1);                       /* the killer has run by now; if not, let it */
    CHECK_EQ(kill_result, ERR_NONE);
    CHECK(c.restarts >= 1);                   /* the client repeated a request the dead driver had */
    CHECK_EQ(driver_status("disk", &after), ERR_NONE);
    CHECK_EQ(after.state, DRIVER_RUNNING);
    CHECK_EQ(after.restarts, before.restarts + 1);
    CHECK(after.task != before.task);
    int32_t differs = compare(&c);
    CHECK_EQ(differs, -1);
    printf("diskcopy: copied %u bytes; the disk driver was task %u, then task %u; %u requests repeated\n",
           COPY_BYTES, before.task, after.task, c.restarts);
}

int main(int argc, char **argv)
{
    return utest_main("diskcopy", argc, argv);
}
