/*
 * The boot file system suite (tests/suites boots it): proc's manager starts
 * servers/bootfs with every boot module, and this program -- started with
 * control=fstest.elf, so that it may ask proc to kill the server -- reads
 * them through libos' client.  The modules are this program, bootfs itself
 * and build/tests/module.txt, `seq 1 3000` (the same file the kernel
 * self-tests read), whose size the command line gives as bytes=N.
 */
#include <relay/libos.h>
#include <relay/bootfs_client.h>
#include <relay/rpc.h>
#include "../drivers/drvtest.h"

#define MAP_VA 0x50000000u

static uint32_t module_bytes;
static char text[16384];

/* What `seq 1 3000` writes, into text; its length. */
static uint32_t expected(void)
{
    uint32_t n = 0;
    for (int i = 1; i <= 3000; i++)
        n += (uint32_t)snprintf(text + n, sizeof text - n, "%d\n", i);
    return n;
}

static relay_handle fs(void) { return startup_handle("fs"); }

TEST(list, "LIST names every boot module (the last part of its path), with its size, and ERR_RANGE past the last")
{
    char name[BOOTFS_NAME_MAX];
    uint32_t size, files, found = 0;
    CHECK(fs() != HANDLE_NULL);
    CHECK_EQ(bootfs_list(fs(), 0, name, &size, &files), ERR_NONE);
    CHECK_EQ(files, 3);
    for (uint32_t i = 0; i < files; i++) {
        CHECK_EQ(bootfs_list(fs(), i, name, &size, &files), ERR_NONE);
        found |= (!strcmp(name, "bootfs.elf")) << 0 | (!strcmp(name, "fstest.elf")) << 1
               | (!strcmp(name, "module.txt") && size == module_bytes) << 2;
    }
    CHECK_EQ(found, 7);
    CHECK_EQ(bootfs_list(fs(), files, name, &size, &files), ERR_RANGE);
}

TEST(stat_and_read, "STAT finds a file by name; READ returns its bytes exactly, in any size of piece; nothing past the end")
{
    uint32_t index, size, got, n = expected();
    static char buf[16384];
    CHECK_EQ(bootfs_stat(fs(), "module.txt", &index, &size), ERR_NONE);
    CHECK_EQ(size, module_bytes);
    CHECK_EQ(size, n);
    CHECK_EQ(bootfs_read(fs(), index, 0, buf, sizeof buf, &got), ERR_NONE);
    CHECK_EQ(got, n);
    CHECK(!memcmp(buf, text, n));
    CHECK_EQ(bootfs_read(fs(), index, n - 5, buf, 100, &got), ERR_NONE);
    CHECK_EQ(got, 5);
    CHECK(!memcmp(buf, "3000\n", 5));
    CHECK_EQ(bootfs_read(fs(), index, n + 10, buf, 10, &got), ERR_NONE);
    CHECK_EQ(got, 0);
}

TEST(map, "MAP maps a file read-only into the caller's window, 16 pages a request, the same bytes READ gives")
{
    uint32_t index, size, pages, offset, n = expected();
    CHECK_EQ(bootfs_stat(fs(), "module.txt", &index, &size), ERR_NONE);
    CHECK_EQ(bootfs_map(fs(), index, MAP_VA, &pages, &offset), ERR_NONE);
    CHECK_EQ(pages, (offset + size + PAGE_SIZE - 1) / PAGE_SIZE);
    CHECK(!memcmp((const char *)MAP_VA + offset, text, n));
    struct sys_result q = sys_map_query(startup_info()->self_task, MAP_VA);
    CHECK_EQ(q.error, ERR_NONE);
    CHECK_EQ(q.r[1] & MAP_WRITABLE, 0);
    CHECK_EQ(bootfs_stat(fs(), "fstest.elf", &index, &size), ERR_NONE);
    CHECK(size > 16 * PAGE_SIZE);                 /* more than one request's worth */
    CHECK_EQ(bootfs_map(fs(), index, MAP_VA + 0x100000, &pages, &offset), ERR_NONE);
    CHECK_EQ(pages, (offset + size + PAGE_SIZE - 1) / PAGE_SIZE);
    CHECK(!memcmp((const char *)MAP_VA + 0x100000 + offset, "\x7f" "ELF", 4));
}

TEST(bad_requests, "unknown names, indexes past the last, oversized reads and unterminated names get their errors")
{
    uint32_t index, size, got;
    char buf[8];
    struct msg r;
    CHECK_EQ(bootfs_stat(fs(), "nope.elf", &index, &size), ERR_NOT_FOUND);
    CHECK_EQ(bootfs_stat(fs(), "", &index, &size), ERR_NOT_FOUND);
    CHECK_EQ(bootfs_read(fs(), 99, 0, buf, sizeof buf, &got), ERR_RANGE);
    uint32_t big[3] = { 0, 0, BOOTFS_READ_MAX + 1 };
    CHECK_EQ(rpc_call(fs(), BOOTFS_READ, big, 3, &r), ERR_INVALID);
    uint32_t unterminated[BOOTFS_NAME_WORDS];
    memset(unterminated, 'a', sizeof unterminated);
    CHECK_EQ(rpc_call(fs(), BOOTFS_STAT, unterminated, BOOTFS_NAME_WORDS, &r), ERR_INVALID);
    CHECK_EQ(rpc_call(fs(), BOOTFS_STAT, unterminated, 2, &r), ERR_INVALID);
    CHECK_EQ(rpc_call(fs(), 77, unterminated, 1, &r), ERR_INVALID);
    uint32_t map_past[2] = { 0, 100000 };
    CHECK_EQ(rpc_call(fs(), BOOTFS_MAP, map_past, 2, &r), ERR_RANGE);
}

static int restarted(const struct driver_status *s) { return s->state == DRIVER_RUNNING && s->restarts >= 1; }

TEST(restart, "the server killed: proc starts another on the same service, and the files are there again")
{
    struct driver_status s;
    uint32_t index, size;
    CHECK_EQ(driver_kill("fs"), ERR_NONE);
    CHECK_EQ(driver_wait("fs", restarted, 500, &s), ERR_NONE);
    CHECK_EQ(bootfs_stat(fs(), "module.txt", &index, &size), ERR_NONE);
    CHECK_EQ(size, module_bytes);
}

int main(int argc, char **argv)
{
    module_bytes = utest_arg_u32(argc, argv, "bytes", 0);
    return utest_main("bootfs", argc, argv);
}
