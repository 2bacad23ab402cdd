/* The parts of libos that need no other task: formatting, strings, the gate itself. */
#include "libostest.h"
#include "../lib/stringcheck.h"

TEST(format_i386_sizes, "%ld, %lld, %zu and %p format 32- and 64-bit values on the i386")
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%ld %lu %lld %llx %zu %p", -5L, 4000000000UL,
                     -9000000000LL, 0x123456789ABULL, (size_t)77, (void *)0x40a000);
    CHECK(!strcmp(buf, "-5 4000000000 -9000000000 123456789ab 77 0x0040a000"));
    CHECK_EQ(n, strlen(buf));
}

TEST(strings, "memmove handles overlap both ways; strncpy pads; strchr finds the NUL")
{
    char a[16] = "abcdefgh";
    memmove(a + 2, a, 6);                       /* forwards over itself */
    CHECK(!memcmp(a, "ababcdef", 8));
    memmove(a, a + 2, 6);                       /* backwards */
    CHECK(!memcmp(a, "abcdefef", 8));
    char b[6];
    memset(b, 'x', sizeof b);
    strncpy(b, "hi", sizeof b);
    CHECK(!memcmp(b, "hi\0\0\0\0", 6));
    CHECK(strchr("abc", '\0') != NULL && *strchr("abc", '\0') == '\0');
    CHECK(strchr("abc", 'z') == NULL);
    CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("\xff", "a") > 0);
    CHECK(!strcmp(strerror(ERR_NOT_OWNER), "the caller does not own that frame"));
}

TEST(copy_and_fill_sizes, "memcpy and memset of 0 to 40 bytes at every alignment write exactly those bytes, with the right values")
{
    CHECK_EQ(copy_fill_errors(memcpy, memset), 0);
}

TEST(gate_preserves_registers, "nop returns every argument register as it went in, EBP too")
{
    const uint32_t in[6] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555,
                             0x66666666 };
    struct sys_result r = relay_syscall(SYS_nop, in);
    CHECK_EQ(r.error, ERR_NONE);
    for (int i = 0; i < 6; i++)
        CHECK_EQ(r.r[i], in[i]);
}

TEST(gate_bad_number, "a number past the list is ERR_NO_SYSCALL; names come from the same list")
{
    const uint32_t in[6] = { 0 };
    CHECK_EQ(relay_syscall(RELAY_SYSCALL_COUNT, in).error, ERR_NO_SYSCALL);
    CHECK(!strcmp(relay_syscall_name(SYS_debug_write), "debug_write"));
    CHECK(!strcmp(relay_syscall_name(SYS_handle_give), "handle_give"));
    CHECK(relay_syscall_name(RELAY_SYSCALL_COUNT) == NULL);
}

TEST(startup_page, "argv, the handles and the memory of the startup page reach main")
{
    const struct startup_info *si = startup_info();
    CHECK(si != NULL);
    CHECK_EQ(si->main_utcb, (uint32_t)utcb_self());
    CHECK(si->self_task != HANDLE_NULL && si->self_thread != HANDLE_NULL);
    CHECK(si->factory != HANDLE_NULL);
    CHECK(si->memory_count > 0);
    CHECK(frame_free_count() > 0);
}
