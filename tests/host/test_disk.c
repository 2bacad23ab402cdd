/*
 * The disk driver's pure parts (servers/drivers/disk): which client holds
 * which window, what a request may do (ipc/relay/block.h's errors, in
 * their order), and what IDENTIFY's answer says.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "relay/error.h"
#include "../../servers/drivers/disk/disk.h"

#define K 4096u

static struct clients c;
static void setup(void) { clients_init(&c); }
TestSuite(disk_clients, .init = setup);

/* No two clients hold one window, and the landing window is nobody's. */
static void check_windows(void)
{
    uint32_t held[WINDOWS] = { 0 };
    for (uint32_t i = 0; i < BLOCK_CLIENTS_MAX; i++)
        if (c.client[i].in_use) {
            cr_assert_lt(c.client[i].window, WINDOWS);
            cr_assert_eq(held[c.client[i].window]++, 0, "window %u held twice", c.client[i].window);
        }
    cr_assert_lt(c.landing, WINDOWS);
    cr_assert_eq(held[c.landing], 0, "the landing window %u is held", c.landing);
}

Test(disk_clients, attach_keeps_the_window_the_pages_landed_in)
{
    struct window_release gone;
    uint32_t landed = c.landing;
    cr_assert_eq(clients_attach(&c, 7, 16 * K, 1, &gone), ERR_NONE);
    cr_assert_eq(gone.window, NO_WINDOW);
    struct client *cl = clients_find(&c, 7);
    cr_assert_not_null(cl);
    cr_assert_eq(cl->window, landed);
    cr_assert_eq(cl->bytes, 16 * K);
    cr_assert_eq(cl->writable, 1);
    cr_assert_neq(c.landing, landed);
    cr_assert_null(clients_find(&c, 8));
    check_windows();
}

Test(disk_clients, attach_again_releases_the_old_window)
{
    struct window_release gone;
    cr_assert_eq(clients_attach(&c, 7, 4 * K, 1, &gone), ERR_NONE);
    uint32_t first = clients_find(&c, 7)->window, landed = c.landing;
    cr_assert_eq(clients_attach(&c, 7, 8 * K, 0, &gone), ERR_NONE);
    cr_assert_eq(gone.window, first);
    cr_assert_eq(gone.bytes, 4 * K);
    struct client *cl = clients_find(&c, 7);
    cr_assert_eq(cl->window, landed);
    cr_assert_eq(cl->bytes, 8 * K);
    cr_assert_eq(cl->writable, 0);
    check_windows();
}

Test(disk_clients, bad_sizes_change_nothing)
{
    struct window_release gone;
    uint32_t landed = c.landing;
    cr_assert_eq(clients_attach(&c, 7, 0, 1, &gone), ERR_INVALID);
    cr_assert_eq(clients_attach(&c, 7, 100, 1, &gone), ERR_INVALID);
    cr_assert_eq(clients_attach(&c, 7, BLOCK_BUFFER_MAX + K, 1, &gone), ERR_INVALID);
    cr_assert_eq(gone.window, NO_WINDOW);
    cr_assert_null(clients_find(&c, 7));
    cr_assert_eq(c.landing, landed);
}

Test(disk_clients, detach_frees_and_a_second_detach_is_a_state_error)
{
    struct window_release gone;
    cr_assert_eq(clients_detach(&c, 7, &gone), ERR_STATE);
    cr_assert_eq(clients_attach(&c, 7, 4 * K, 1, &gone), ERR_NONE);
    uint32_t w = clients_find(&c, 7)->window;
    cr_assert_eq(clients_detach(&c, 7, &gone), ERR_NONE);
    cr_assert_eq(gone.window, w);
    cr_assert_eq(gone.bytes, 4 * K);
    cr_assert_null(clients_find(&c, 7));
    cr_assert_eq(clients_detach(&c, 7, &gone), ERR_STATE);
    check_windows();
}

Test(disk_clients, a_full_table_displaces_the_least_recently_used)
{
    struct window_release gone;
    for (uint32_t b = 1; b <= BLOCK_CLIENTS_MAX; b++) {
        cr_assert_eq(clients_attach(&c, b, K, 1, &gone), ERR_NONE);
        cr_assert_eq(gone.window, NO_WINDOW);
        check_windows();
    }
    for (uint32_t b = 1; b <= BLOCK_CLIENTS_MAX; b++)   /* every one used again, but 5 */
        if (b != 5)
            cr_assert_not_null(clients_find(&c, b));
    uint32_t w5 = c.client[4].window;
    cr_assert_eq(clients_attach(&c, 100, 2 * K, 1, &gone), ERR_NONE);
    cr_assert_eq(gone.window, w5);
    cr_assert_eq(gone.bytes, K);
    cr_assert_null(clients_find(&c, 5));
    cr_assert_not_null(clients_find(&c, 100));
    check_windows();
}

/* A model check: random attaches and detaches never share a window out twice. */
Test(disk_clients, windows_stay_distinct_under_random_use)
{
    uint32_t seed = 12345;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t badge = (seed >> 16) % 40, pages = 1 + (seed >> 8) % BLOCK_BUFFER_PAGES;
        struct window_release gone;
        if ((seed >> 24) % 3 == 0) {
            int had = clients_find(&c, badge) != NULL;
            cr_assert_eq(clients_detach(&c, badge, &gone), had ? ERR_NONE : ERR_STATE);
        } else {
            cr_assert_eq(clients_attach(&c, badge, pages * K, 1, &gone), ERR_NONE);
            cr_assert_eq(clients_find(&c, badge)->bytes, pages * K);
        }
        check_windows();
    }
}

/* --- block_check: the errors of block.h, in their order. */
static const struct client attached = { .badge = 1, .window = 0, .bytes = 8192u, .writable = 1,
                                        .in_use = 1 };
static const struct client read_only = { .badge = 1, .window = 0, .bytes = 8192u, .writable = 0,
                                         .in_use = 1 };
#define DISK 1000u

static int check(uint32_t lba, uint32_t count, uint32_t offset, const struct client *cl,
                 enum block_direction dir)
{
    struct block_request r = { .lba = lba, .count = count, .offset = offset };
    return block_check(&r, cl, DISK, dir);
}

Test(block_check, good_requests)
{
    cr_assert_eq(check(0, 1, 0, &attached, BLOCK_TO_BUFFER), ERR_NONE);
    cr_assert_eq(check(0, 16, 0, &attached, BLOCK_TO_DISK), ERR_NONE);        /* the whole 8 KiB */
    cr_assert_eq(check(DISK - 1, 1, 8192u - 512, &attached, BLOCK_TO_BUFFER), ERR_NONE);
    cr_assert_eq(check(DISK - 16, 16, 0, &attached, BLOCK_TO_BUFFER), ERR_NONE);
    cr_assert_eq(check(3, 2, 512, &read_only, BLOCK_TO_DISK), ERR_NONE);
}

Test(block_check, invalid_count_and_unaligned_offsets)
{
    cr_assert_eq(check(0, 0, 0, &attached, BLOCK_TO_BUFFER), ERR_INVALID);
    cr_assert_eq(check(0, 1, 1, &attached, BLOCK_TO_BUFFER), ERR_INVALID);
    cr_assert_eq(check(0, 1, 511, &attached, BLOCK_TO_DISK), ERR_INVALID);
    cr_assert_eq(check(0, 0, 0, NULL, BLOCK_TO_DISK), ERR_INVALID);           /* before ERR_STATE */
}

Test(block_check, no_buffer_is_a_state_error)
{
    cr_assert_eq(check(0, 1, 0, NULL, BLOCK_TO_BUFFER), ERR_STATE);
    cr_assert_eq(check(DISK, 1000, 0, NULL, BLOCK_TO_DISK), ERR_STATE);       /* before ERR_RANGE */
}

Test(block_check, out_of_the_buffer_or_the_disk)
{
    cr_assert_eq(check(0, BLOCK_SECTORS_MAX + 1, 0, &attached, BLOCK_TO_BUFFER), ERR_RANGE);
    cr_assert_eq(check(0, 17, 0, &attached, BLOCK_TO_BUFFER), ERR_RANGE);      /* 8 KiB + 512 */
    cr_assert_eq(check(0, 1, 8192u, &attached, BLOCK_TO_BUFFER), ERR_RANGE);
    cr_assert_eq(check(0, 2, 8192u - 512, &attached, BLOCK_TO_BUFFER), ERR_RANGE);
    cr_assert_eq(check(0, 1, 0xFFFFFE00u, &attached, BLOCK_TO_BUFFER), ERR_RANGE); /* no wrap */
    cr_assert_eq(check(0, 0x00800001u, 0, &attached, BLOCK_TO_BUFFER), ERR_RANGE); /* count * 512 wraps */
    cr_assert_eq(check(DISK, 1, 0, &attached, BLOCK_TO_BUFFER), ERR_RANGE);
    cr_assert_eq(check(DISK - 1, 2, 0, &attached, BLOCK_TO_DISK), ERR_RANGE);
    cr_assert_eq(check(0xFFFFFFFFu, 2, 0, &attached, BLOCK_TO_DISK), ERR_RANGE);   /* lba + count wraps */
    cr_assert_eq(check(DISK, 1, 0, &read_only, BLOCK_TO_BUFFER), ERR_RANGE);  /* before ERR_NO_RIGHTS */
}

Test(block_check, reading_into_a_read_only_buffer)
{
    cr_assert_eq(check(0, 1, 0, &read_only, BLOCK_TO_BUFFER), ERR_NO_RIGHTS);
    cr_assert_eq(check(0, 1, 0, &read_only, BLOCK_TO_DISK), ERR_NONE);
}

/* --- IDENTIFY: an answer laid out as QEMU's ide-hd gives it. */
static void put_string(uint16_t *id, uint32_t word, uint32_t words, const char *s)
{
    char padded[80];
    memset(padded, ' ', sizeof padded);
    memcpy(padded, s, strlen(s));
    for (uint32_t i = 0; i < words; i++)
        id[word + i] = (uint16_t)((uint8_t)padded[2 * i] << 8 | (uint8_t)padded[2 * i + 1]);
}

static void identify_of(uint16_t id[ATA_IDENTIFY_WORDS], uint32_t sectors)
{
    memset(id, 0, ATA_IDENTIFY_WORDS * 2);
    id[0] = 0x0040;                               /* fixed disk */
    put_string(id, 10, 10, "QM00001");            /* serial */
    put_string(id, 27, 20, "QEMU HARDDISK");
    id[49] = 0x0F00;                              /* LBA, DMA, IORDY */
    id[60] = (uint16_t)sectors;
    id[61] = (uint16_t)(sectors >> 16);
}

Test(identify, model_and_sectors)
{
    uint16_t id[ATA_IDENTIFY_WORDS];
    uint32_t sectors = 0;
    char model[BLOCK_MODEL_MAX];
    identify_of(id, 0x00123456);
    cr_assert_eq(identify_parse(id, &sectors, model), ERR_NONE);
    cr_assert_eq(sectors, 0x00123456);
    char want[BLOCK_MODEL_MAX];
    memset(want, ' ', sizeof want);
    memcpy(want, "QEMU HARDDISK", 13);
    cr_assert_arr_eq(model, want, BLOCK_MODEL_MAX);
}

Test(identify, not_a_disk_we_can_drive)
{
    uint16_t id[ATA_IDENTIFY_WORDS];
    uint32_t sectors = 77;
    char model[BLOCK_MODEL_MAX];
    identify_of(id, 8192);
    id[0] = 0x85C0;                               /* a packet device: a CD-ROM */
    cr_assert_eq(identify_parse(id, &sectors, model), ERR_NO_DEVICE);
    identify_of(id, 8192);
    id[49] = 0;                                   /* CHS only */
    cr_assert_eq(identify_parse(id, &sectors, model), ERR_NO_DEVICE);
    identify_of(id, 0);
    cr_assert_eq(identify_parse(id, &sectors, model), ERR_NO_DEVICE);
    cr_assert_eq(sectors, 77, "nothing written on failure");
}
