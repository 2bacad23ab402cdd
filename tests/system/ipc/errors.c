/* Bad handles, missing rights, oversized messages and bad pointers are errors, never crashes. */
#include "ipctest.h"

TEST(bad_handle_numbers, "slot 0, out-of-range and never-allocated handle numbers are ERR_BAD_HANDLE")
{
    static const relay_handle bad[] = { 0, 0x100, 0xFFFFFFFF, 200 | 1u << 8, 255 | 0x7FFFu << 8 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t w = 0;
        CHECK_EQ(sys_send_timeout(TIMEOUT_POLL, bad[i], msginfo(LABEL_PING, 1, 0), w, 0, 0, 0).error,
                 ERR_BAD_HANDLE);
        CHECK_EQ(sys_recv_timeout(TIMEOUT_POLL, bad[i]).error, ERR_BAD_HANDLE);
    }
}

TEST(stale_handle, "a deleted handle's number is ERR_STALE_HANDLE, even after its slot is reused")
{
    relay_handle ep = new_endpoint();
    CHECK_EQ(handle_delete(ep), ERR_NONE);
    CHECK_EQ(sys_recv_timeout(TIMEOUT_POLL, ep).error, ERR_STALE_HANDLE);
    relay_handle again = new_endpoint();           /* likely the same slot */
    CHECK(again != ep);
    CHECK_EQ(sys_recv_timeout(TIMEOUT_POLL, ep).error, ERR_STALE_HANDLE);
    CHECK_EQ(sys_recv_timeout(TIMEOUT_POLL, again).error, ERR_TIMEOUT);
    handle_delete(again);
}

TEST(wrong_type, "an endpoint call on a notification handle is ERR_WRONG_TYPE")
{
    relay_handle n = new_notification();
    CHECK_EQ(sys_recv_timeout(TIMEOUT_POLL, n).error, ERR_WRONG_TYPE);
    CHECK_EQ(sys_signal(self_task(), 1).error, ERR_WRONG_TYPE);
    handle_delete(n);
}

TEST(recv_without_right, "recv through a handle without RIGHT_RECV is ERR_NO_RIGHTS; send without RIGHT_SEND too")
{
    relay_handle ep = new_endpoint(), send_only, recv_only;
    CHECK_EQ(handle_copy(ep, RIGHT_SEND, &send_only), ERR_NONE);
    CHECK_EQ(handle_copy(ep, RIGHT_RECV, &recv_only), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(send_only, &m, TIMEOUT_POLL), ERR_NO_RIGHTS);
    uint32_t w = 0;
    CHECK_EQ(ipc_send(recv_only, LABEL_PING, &w, 1, TIMEOUT_POLL), ERR_NO_RIGHTS);
    relay_handle wider;                           /* a copy never gains rights */
    CHECK_EQ(handle_copy(send_only, RIGHTS_ALL, &wider), ERR_NONE);
    CHECK_EQ(ipc_recv(wider, &m, TIMEOUT_POLL), ERR_NO_RIGHTS);
    handle_delete(wider);
    handle_delete(send_only);
    handle_delete(recv_only);
    handle_delete(ep);
}

struct big {
    relay_handle ep;
    int result;
    struct msg m;
};

static void recv_big(void *arg)
{
    struct big *b = arg;
    b->result = ipc_recv(b->ep, &b->m, TIMEOUT_FOREVER);
}

TEST(max_message, "a message of MSG_WORDS_MAX words arrives whole; one word more is ERR_TOO_LONG")
{
    struct big b = { new_endpoint(), -1, { 0 } };
    struct thread *t = start_thread(recv_big, &b, MAIN_PRIORITY + 1);
    uint32_t words[MSG_WORDS_MAX];
    for (uint32_t i = 0; i < MSG_WORDS_MAX; i++)
        words[i] = 0xA0000000u + i * 0x01010101u;
    CHECK_EQ(ipc_send(b.ep, LABEL_PING, words, MSG_WORDS_MAX, TIMEOUT_POLL), ERR_NONE);
    CHECK_EQ(b.result, ERR_NONE);
    CHECK_EQ(b.m.length, MSG_WORDS_MAX);
    for (uint32_t i = 0; i < MSG_WORDS_MAX; i++)
        CHECK_EQ(b.m.w[i], words[i]);
    /* One over, asked of the kernel directly (libos refuses it before the gate). */
    CHECK_EQ(sys_send_timeout(TIMEOUT_POLL, b.ep, msginfo(LABEL_PING, MSG_WORDS_MAX + 1, 0), 0, 0, 0, 0).error,
             ERR_TOO_LONG);
    CHECK_EQ(ipc_send(b.ep, LABEL_PING, words, MSG_WORDS_MAX + 1, TIMEOUT_POLL), ERR_TOO_LONG);
    stop_thread(t);
    handle_delete(b.ep);
}

TEST(bad_buffer_pointers, "a buffer in kernel space, unmapped, or wrapping past 4 GiB is ERR_BAD_ADDRESS")
{
    CHECK_EQ(sys_debug_write(0xC0100000, 16).error, ERR_BAD_ADDRESS);     /* the kernel */
    CHECK_EQ(sys_debug_write(0xBFFFFFF8, 16).error, ERR_BAD_ADDRESS);     /* runs into it */
    CHECK_EQ(sys_debug_write(0x70000000, 16).error, ERR_BAD_ADDRESS);     /* unmapped */
    CHECK_EQ(sys_debug_write(0xFFFFFFF0, 0x20).error, ERR_BAD_ADDRESS);   /* wraps */
    CHECK_EQ(sys_debug_write(0x70000000, 0).error, ERR_NONE);             /* nothing to read */
}

static void sit(void *arg)
{
    (void)arg;
    park();
}

TEST(bad_register_buffers, "reading a suspended thread's registers into kernel or unmapped memory fails cleanly")
{
    struct thread *t = start_thread(sit, 0, MAIN_PRIORITY - 1);
    CHECK_EQ(thread_suspend(t->handle), ERR_NONE);
    CHECK_EQ(sys_thread_read_regs(t->handle, 0xC0000000).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_thread_read_regs(t->handle, 0x70000000).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_thread_read_regs(t->handle, 0xFFFFFFF0).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_thread_write_regs(t->handle, 0xBFFFFFF0).error, ERR_BAD_ADDRESS);
    struct relay_regs r;
    CHECK_EQ(thread_read_regs(t->handle, &r), ERR_NONE);
    CHECK(r.eflags & 0x200);                       /* IF: user threads run with interrupts on */
    r.eflags |= 0x3000 | 0x4000;                   /* IOPL 3 and NT: the kernel must refuse both */
    CHECK_EQ(thread_write_regs(t->handle, &r), ERR_NONE);
    CHECK_EQ(thread_read_regs(t->handle, &r), ERR_NONE);
    CHECK_EQ(r.eflags & 0x7000, 0);
    stop_thread(t);
}

TEST(bad_utcb_addresses, "a UTCB in kernel space, unaligned, at 0 or already mapped is refused")
{
    relay_handle task = self_task(), th;
    CHECK_EQ(thread_create(task, 0x400000, 0, 0xC0000000, 1, &th), ERR_RANGE);
    CHECK_EQ(thread_create(task, 0x400000, 0, 0xFFFFF000, 1, &th), ERR_RANGE);
    CHECK_EQ(thread_create(task, 0x400000, 0, 0x70000010, 1, &th), ERR_RANGE);
    CHECK_EQ(thread_create(task, 0x400000, 0, 0, 1, &th), ERR_RANGE);
    CHECK_EQ(thread_create(task, 0x400000, 0, STARTUP_VADDR, 1, &th), ERR_MAPPED);
    CHECK_EQ(thread_create(task, 0x400000, 0, 0x70000000, 32, &th), ERR_INVALID);   /* priority */
}

TEST(unknown_syscall, "a system call number past the list is ERR_NO_SYSCALL")
{
    const uint32_t in[6] = { 0 };
    CHECK_EQ(relay_syscall(RELAY_SYSCALL_COUNT, in).error, ERR_NO_SYSCALL);
    CHECK_EQ(relay_syscall(0xFF, in).error, ERR_NO_SYSCALL);
}
