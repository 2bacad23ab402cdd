/*
 * disktest: the disk driver (servers/drivers/disk) and libos' block client
 * (relay/block_client.h), against a disk QEMU gives the driver
 * (tools/qemu-test --drive).  tests/system/disk/run makes the image, boots
 * this suite with it and then checks on the host what the suite wrote.
 *
 *   disktest.elf sectors=N seed=S
 *       the disk is N sectors of pattern S (pattern.h); the suite reads it
 *       back, refuses bad requests, and writes pattern S + 1 to a range it
 *       names in a line "disktest: wrote pattern P to sectors [A, B)"
 *   disktest.elf role=reader seed=S   a second client beside the suite (reader.c)
 *   disktest.elf role=nodisk          (no --drive): every request is refused
 *   disktest.elf role=bench           the disk_read_64k benchmark (bench.c)
 *
 * The driver and the "disk" handle come from proc's driver manager.
 */
#include "disktest.h"

struct block_client disk;
uint8_t buf[BLOCK_BUFFER_MAX] __attribute__((aligned(4096)));
static uint32_t sectors, seed;

/* The first sector of buf[offset..] that is not pattern seed's sector first + i, or -1. */
static int mismatch(uint32_t offset, uint32_t first, uint32_t count, uint32_t pattern)
{
    for (uint32_t i = 0; i < count; i++)
        if (pattern_differs(pattern, first + i, buf + offset + i * BLOCK_SECTOR_SIZE) >= 0) {
            utest_note("sector %u (buffer offset %u) is not pattern %u's", first + i,
                       offset + i * BLOCK_SECTOR_SIZE, pattern);
            return (int)i;
        }
    return -1;
}

/* Whether every byte of buf[from, to) is still fill. */
static int untouched(uint32_t from, uint32_t to, uint8_t fill)
{
    for (uint32_t i = from; i < to; i++)
        if (buf[i] != fill) {
            utest_note("buffer byte %u changed: %#x, not %#x", i, buf[i], fill);
            return 0;
        }
    return 1;
}

int block_raw(uint32_t label, uint32_t lba, uint32_t count, uint32_t offset)
{
    uint32_t w[3] = { lba, count, offset };
    struct msg m;
    msg_set(&m, label, w, 3);
    int err = ipc_call(disk.driver, &m, TIMEOUT_FOREVER);
    return err ? err : (int)m.label;
}

TEST(info_names_the_disk, "INFO: the image's size in sectors, 512-byte sectors, QEMU's model name")
{
    struct block_info info;
    disk.driver = startup_handle("disk");
    CHECK(disk.driver != HANDLE_NULL);
    CHECK_EQ(block_info(&disk, &info), ERR_NONE);
    CHECK_EQ(info.sectors, sectors);
    CHECK_EQ(info.sector_size, BLOCK_SECTOR_SIZE);
    char want[BLOCK_MODEL_MAX];
    memset(want, ' ', sizeof want);
    memcpy(want, "QEMU HARDDISK", 13);
    CHECK(memcmp(info.model, want, BLOCK_MODEL_MAX) == 0);
}

TEST(attach_shares_64k, "ATTACH maps the 16 pages of a 64 KiB buffer into the driver, writable")
{
    CHECK_EQ(block_attach(&disk, startup_handle("disk"), buf, sizeof buf), ERR_NONE);
    CHECK_EQ(disk.flags, BLOCK_SHARED_WRITABLE);
    CHECK_EQ(disk.restarts, 0);
}

TEST(read_one_sector, "READ of sector 0 fills the buffer's first 512 bytes with it, and no more")
{
    memset(buf, 0xA5, sizeof buf);
    CHECK_EQ(block_read(&disk, 0, 1, 0), ERR_NONE);
    CHECK_EQ(mismatch(0, 0, 1, seed), -1);
    CHECK(untouched(BLOCK_SECTOR_SIZE, sizeof buf, 0xA5));
}

TEST(read_128_sectors_at_once, "one READ of 128 sectors (64 KiB) from sector 1000")
{
    memset(buf, 0, sizeof buf);
    CHECK_EQ(block_read(&disk, 1000, BLOCK_SECTORS_MAX, 0), ERR_NONE);
    CHECK_EQ(mismatch(0, 1000, BLOCK_SECTORS_MAX, seed), -1);
}

TEST(read_at_an_offset, "READ of 3 sectors to offset 20992 fills exactly those 1,536 bytes")
{
    uint32_t at = 5 * 4096 + 512;
    memset(buf, 0x5A, sizeof buf);
    CHECK_EQ(block_read(&disk, 77, 3, at), ERR_NONE);
    CHECK_EQ(mismatch(at, 77, 3, seed), -1);
    CHECK(untouched(0, at, 0x5A));
    CHECK(untouched(at + 3 * BLOCK_SECTOR_SIZE, sizeof buf, 0x5A));
}

TEST(read_the_last_sectors, "READ of the disk's last 2 sectors into the buffer's last 1 KiB")
{
    CHECK_EQ(block_read(&disk, sectors - 2, 2, sizeof buf - 1024), ERR_NONE);
    CHECK_EQ(mismatch(sizeof buf - 1024, sectors - 2, 2, seed), -1);
}

TEST(read_the_whole_disk, "block_load of every sector, 64 KiB a request: the host-made image, sector by sector")
{
    static uint8_t whole[BLOCK_BUFFER_MAX * 2];
    uint32_t chunk = sizeof whole / BLOCK_SECTOR_SIZE, bad = 0;
    for (uint32_t s = 0; s < sectors && !bad; s += chunk) {
        uint32_t n = sectors - s < chunk ? sectors - s : chunk;
        CHECK_EQ(block_load(&disk, s, n, whole), ERR_NONE);
        for (uint32_t i = 0; i < n && !bad; i++)
            if (pattern_differs(seed, s + i, whole + i * BLOCK_SECTOR_SIZE) >= 0) {
                utest_note("sector %u is not the image's", s + i);
                bad = 1;
            }
    }
    CHECK(!bad);
}

TEST(past_the_disk_is_a_range_error, "READ or WRITE of sectors past the last: ERR_RANGE, buffer untouched")
{
    memset(buf, 0x3C, sizeof buf);
    CHECK_EQ(block_read(&disk, sectors, 1, 0), ERR_RANGE);
    CHECK_EQ(block_read(&disk, sectors - 1, 2, 0), ERR_RANGE);
    CHECK_EQ(block_read(&disk, 0xFFFFFFFFu, 2, 0), ERR_RANGE);      /* lba + count wraps */
    CHECK_EQ(block_write(&disk, sectors - 1, 2, 0), ERR_RANGE);     /* the host sees the last sector intact */
    CHECK_EQ(block_write(&disk, sectors, 128, 0), ERR_RANGE);
    CHECK(untouched(0, sizeof buf, 0x3C));
}

TEST(bad_counts_and_offsets, "count 0 or an unaligned offset: ERR_INVALID; past the buffer or 129 sectors: ERR_RANGE")
{
    memset(buf, 0x3C, sizeof buf);
    CHECK_EQ(block_read(&disk, 0, 0, 0), ERR_INVALID);
    CHECK_EQ(block_read(&disk, 0, 1, 100), ERR_INVALID);
    CHECK_EQ(block_write(&disk, 0, 1, 511), ERR_INVALID);
    CHECK_EQ(block_read(&disk, 0, BLOCK_SECTORS_MAX + 1, 0), ERR_RANGE);
    CHECK_EQ(block_read(&disk, 0, 1, sizeof buf), ERR_RANGE);
    CHECK_EQ(block_read(&disk, 0, 2, sizeof buf - 512), ERR_RANGE);
    CHECK_EQ(block_write(&disk, 0, 1, 0xFFFFFE00u), ERR_RANGE);
    CHECK(untouched(0, sizeof buf, 0x3C));
}

TEST(unknown_requests_and_attach_without_pages, "a label the protocol lacks, and ATTACH with no pages: ERR_INVALID")
{
    CHECK_EQ(block_raw(BLOCK_WRITE + 100, 0, 1, 0), ERR_INVALID);
    CHECK_EQ(block_raw(BLOCK_ATTACH, 0, 0, 0), ERR_INVALID);
    CHECK_EQ(block_read(&disk, 0, 1, 0), ERR_NONE);                 /* the buffer is still shared */
    CHECK_EQ(mismatch(0, 0, 1, seed), -1);
}

TEST(pages_with_other_requests, "pages mapped with INFO or READ are not taken for a buffer: the shared one stays")
{
    static uint8_t other[2 * 4096] __attribute__((aligned(4096)));
    struct utcb *u = utcb_self();
    memset(other, 0x11, sizeof other);
    memset(buf, 0x22, sizeof buf);
    u->send_map_va = (uint32_t)other;
    u->send_map_pages = 2;
    u->send_map_flags = MAP_WRITABLE;
    struct sys_result r = sys_call(disk.driver, msginfo(BLOCK_INFO, 0, 0) | MSGINFO_MAP, 0, 0, 0, 0);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(msginfo_label(r.r[1]), ERR_NONE);
    CHECK_EQ(r.r[2], sectors);                                     /* INFO answered as ever */
    r = sys_call(disk.driver, msginfo(BLOCK_READ, 3, 0) | MSGINFO_MAP, 40, 2, 4096, 0);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(msginfo_label(r.r[1]), ERR_NONE);
    CHECK_EQ(mismatch(4096, 40, 2, seed), -1);                      /* into the shared buffer */
    CHECK(untouched(0, 4096, 0x22));
    for (uint32_t i = 0; i < sizeof other; i++)
        if (other[i] != 0x11) {
            utest_note("byte %u of the pages sent with INFO and READ changed", i);
            CHECK(0);
            break;
        }
}

TEST(no_buffer_is_a_state_error, "after DETACH the driver answers READ and WRITE with ERR_STATE; ATTACH again serves")
{
    CHECK_EQ(block_detach(&disk), ERR_NONE);
    CHECK_EQ(block_raw(BLOCK_READ, 0, 1, 0), ERR_STATE);
    CHECK_EQ(block_raw(BLOCK_WRITE, 0, 1, 0), ERR_STATE);
    CHECK_EQ(block_raw(BLOCK_DETACH, 0, 0, 0), ERR_STATE);
    CHECK_EQ(block_read(&disk, 0, 1, 0), ERR_STATE);                /* the client knows it too */
    CHECK_EQ(block_attach(&disk, startup_handle("disk"), buf, 4 * 4096), ERR_NONE);
    CHECK_EQ(block_read(&disk, 0, 1, 4 * 4096), ERR_RANGE);         /* now 16 KiB are shared */
    CHECK_EQ(block_read(&disk, 5, 8, 3 * 4096), ERR_NONE);
    CHECK_EQ(mismatch(3 * 4096, 5, 8, seed), -1);
    CHECK_EQ(block_attach(&disk, startup_handle("disk"), buf, sizeof buf), ERR_NONE);
}

/* The range the suite writes pattern seed + 1 to: 512 sectors through the
 * buffer, then 8 from a read-only page. */
#define WRITE_FIRST 4096u
#define WRITE_BUFFERED 512u
#define WRITE_READ_ONLY 8u

TEST(write_then_read_back, "WRITE of 512 sectors (one of 128, others at offsets, block_store), each read back")
{
    uint32_t p = seed + 1, first = WRITE_FIRST;
    for (uint32_t i = 0; i < BLOCK_SECTORS_MAX; i++)
        pattern_fill(p, first + i, buf + i * BLOCK_SECTOR_SIZE);
    CHECK_EQ(block_write(&disk, first, BLOCK_SECTORS_MAX, 0), ERR_NONE);
    for (uint32_t i = 0; i < 3; i++)                              /* 3 sectors from offset 12 KiB */
        pattern_fill(p, first + 128 + i, buf + 3 * 4096 + i * BLOCK_SECTOR_SIZE);
    CHECK_EQ(block_write(&disk, first + 128, 3, 3 * 4096), ERR_NONE);
    static uint8_t rest[(WRITE_BUFFERED - 131) * BLOCK_SECTOR_SIZE];
    for (uint32_t i = 0; i < WRITE_BUFFERED - 131; i++)
        pattern_fill(p, first + 131 + i, rest + i * BLOCK_SECTOR_SIZE);
    CHECK_EQ(block_store(&disk, first + 131, WRITE_BUFFERED - 131, rest), ERR_NONE);

    static uint8_t back[WRITE_BUFFERED * BLOCK_SECTOR_SIZE];
    CHECK_EQ(block_load(&disk, first, WRITE_BUFFERED, back), ERR_NONE);
    for (uint32_t i = 0; i < WRITE_BUFFERED; i++)
        if (pattern_differs(p, first + i, back + i * BLOCK_SECTOR_SIZE) >= 0) {
            utest_note("sector %u did not read back as written", first + i);
            CHECK(0);
            break;
        }
    CHECK_EQ(block_read(&disk, first - 1, 1, 0), ERR_NONE);        /* its neighbours are the image's */
    CHECK_EQ(mismatch(0, first - 1, 1, seed), -1);
}

TEST(read_only_buffer, "a page shared read-only: WRITE from it works, READ into it is ERR_NO_RIGHTS")
{
    const uint32_t va = 0x70000000u, p = seed + 1, first = WRITE_FIRST + WRITE_BUFFERED;
    relay_handle self = startup_info()->self_task;
    uint32_t pa;
    struct block_client ro;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(self, va, pa, MAP_WRITABLE), ERR_NONE);
    for (uint32_t i = 0; i < WRITE_READ_ONLY; i++)
        pattern_fill(p, first + i, (uint8_t *)va + i * BLOCK_SECTOR_SIZE);
    CHECK_EQ(block_attach_read_only(&ro, startup_handle("disk"), (const void *)va, 4096), ERR_NONE);
    CHECK_EQ(ro.flags, 0);
    CHECK_EQ(block_write(&ro, first, WRITE_READ_ONLY, 0), ERR_NONE);
    CHECK_EQ(block_read(&ro, first, 1, 0), ERR_NO_RIGHTS);
    CHECK_EQ(block_detach(&ro), ERR_NONE);
    /* The same badge: this suite's own buffer must be shared again. */
    CHECK_EQ(block_attach(&disk, startup_handle("disk"), buf, sizeof buf), ERR_NONE);
    CHECK_EQ(block_read(&disk, first, WRITE_READ_ONLY, 0), ERR_NONE);
    CHECK_EQ(mismatch(0, first, WRITE_READ_ONLY, p), -1);
    page_unmap(self, va);
    frame_free(pa);
    printf("disktest: wrote pattern %u to sectors [%u, %u)\n", p, WRITE_FIRST,
           WRITE_FIRST + WRITE_BUFFERED + WRITE_READ_ONLY);
}

/* The page-taker of taken_back_mid_transfer: once told, it revokes the frames. */
static volatile int take_now, taken;
static uint32_t taken_frames;

static void take_back(void *arg)
{
    (void)arg;
    while (!take_now)
        yield();
    for (uint32_t i = 0; i < BLOCK_BUFFER_PAGES; i++)
        sys_frame_revoke(taken_frames + i * 4096);
    taken = 1;
}

TEST(taken_back_mid_transfer, "a buffer revoked while the driver waits for the disk: ERR_STATE, and the driver lives on")
{
    const uint32_t va = 0x71000000u;
    relay_handle self = startup_info()->self_task;
    struct block_client tb;
    struct thread *taker;
    CHECK_EQ(frame_alloc_range(BLOCK_BUFFER_PAGES, &taken_frames), ERR_NONE);
    for (uint32_t i = 0; i < BLOCK_BUFFER_PAGES; i++)
        CHECK_EQ(page_map(self, va + i * 4096, taken_frames + i * 4096, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(block_attach(&tb, startup_handle("disk"), (void *)va, BLOCK_BUFFER_MAX), ERR_NONE);
    /* The taker runs below the driver and beside this thread: first when the
     * driver blocks waiting for the disk, while this thread waits for its reply. */
    struct thread_spec spec = { .fn = take_back, .priority = thread_priority_max() < 10 ? thread_priority_max() : 10 };
    CHECK_EQ(thread_spawn(&spec, &taker), ERR_NONE);
    take_now = 1;
    CHECK_EQ(block_raw(BLOCK_READ, 0, BLOCK_SECTORS_MAX, 0), ERR_STATE);
    CHECK(taken);
    CHECK_EQ(block_raw(BLOCK_READ, 0, 1, 0), ERR_STATE);             /* the buffer is gone */
    CHECK_EQ(block_attach(&disk, startup_handle("disk"), buf, sizeof buf), ERR_NONE);
    CHECK_EQ(block_read(&disk, 9, 2, 0), ERR_NONE);
    CHECK_EQ(mismatch(0, 9, 2, seed), -1);
    CHECK_EQ(disk.restarts, 0);
    thread_release(taker);
    frame_free_range(taken_frames, BLOCK_BUFFER_PAGES);
}

int main(int argc, char **argv)
{
    sectors = utest_arg_u32(argc, argv, "sectors", 0);
    seed = utest_arg_u32(argc, argv, "seed", 1);
    if (!utest_arg(argc, argv, "role") && sectors < WRITE_FIRST + WRITE_BUFFERED + WRITE_READ_ONLY + 1) {
        printf("disktest: give sectors=N of an image of at least %u sectors\n",
               WRITE_FIRST + WRITE_BUFFERED + WRITE_READ_ONLY + 1);
        return 1;
    }
    return utest_main("disktest", argc, argv);
}
