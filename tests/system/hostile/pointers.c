/*
 * Every call that takes a user pointer (debug_write, kernel_info,
 * thread_read_regs, thread_write_regs) given NULL, kernel, unmapped,
 * read-only, straddling and wrapping ranges: ERR_BAD_ADDRESS (ERR_INVALID
 * for debug_write lengths over 4096) and no effect at all -- no byte of a
 * buffer written, nothing printed, no register of the target changed
 * (ABI.md section 9).
 */
#include "generic.h"

#define DEBUG_WRITE_MAX 4096u
#define MARKER "HOSTILE-PARTIAL-WRITE-MARKER"

/*
 * The scratch pages: A writable, then a hole, then B writable and the same
 * frame again read-only right after it (B_RO).
 *   slot 8: A    slot 9: hole    slot 10: B    slot 11: B_RO
 */
struct pages {
    uint32_t pa, pb;
    uint8_t *a, *b, *b_ro;
};

static int pages_map(struct pages *p, uint8_t fill)
{
    void *va;
    if (frame_alloc(&p->pa) || frame_alloc(&p->pb))
        return 0;
    if (scratch_map(SLOT_POINTERS, p->pa, &va))
        return 0;
    p->a = va;
    if (scratch_map(SLOT_POINTERS + 2, p->pb, &va))
        return 0;
    p->b = va;
    p->b_ro = p->b + PAGE_SIZE;
    if (page_map(startup_info()->self_task, (uint32_t)p->b_ro, p->pb, 0))
        return 0;
    memset(p->a, fill, PAGE_SIZE);
    memset(p->b, fill, PAGE_SIZE);
    return 1;
}

static void pages_unmap(struct pages *p)
{
    page_unmap(startup_info()->self_task, (uint32_t)p->b_ro);
    scratch_unmap(SLOT_POINTERS + 2);
    scratch_unmap(SLOT_POINTERS);
    frame_free(p->pb);
    frame_free(p->pa);
}

/* Bytes of A and B that are no longer `fill`. */
static uint32_t pages_changed(const struct pages *p, uint8_t fill)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        n += (p->a[i] != fill) + (p->b[i] != fill);
    return n;
}

/* Ranges of `len` bytes no call may read; `writes` adds those it may read but not write. */
static uint32_t bad_ranges(const struct pages *p, uint32_t len, int writes, uint32_t out[16])
{
    uint32_t n = 0;
    out[n++] = 0;                                     /* NULL */
    out[n++] = UNMAPPED_VA;
    out[n++] = USER_TOP;                              /* the first kernel address */
    out[n++] = USER_TOP + KERNEL_IMAGE_PA;            /* the kernel's text */
    out[n++] = TOP_PAGE;
    out[n++] = 0xFFFFFFF0u;                           /* wraps past 4 GiB */
    out[n++] = USER_TOP - len / 2;                    /* the startup page, then the kernel */
    out[n++] = (uint32_t)p->a + PAGE_SIZE - len / 2;  /* A, then the hole */
    out[n++] = (uint32_t)p->b - len / 2;              /* the hole, then B */
    if (writes) {
        out[n++] = STARTUP_VADDR;                     /* read-only */
        out[n++] = (uint32_t)p->b_ro;                 /* read-only */
        out[n++] = (uint32_t)p->b + PAGE_SIZE - len / 2;   /* B, then read-only */
        out[n++] = PAGE_DOWN((uint32_t)bad_ranges);   /* our own text */
    }
    return n;
}

TEST(pointers_copy_out, "kernel_info, thread_read_regs into bad, read-only or straddling buffers: ERR_BAD_ADDRESS, no byte written")
{
    struct kernel_info before = kinfo_base();
    struct pages p;
    struct target t;
    uint32_t addr[16], n;
    CHECK(pages_map(&p, 0xAA));
    CHECK_EQ(target_make(&t), ERR_NONE);
    uint32_t text[4];
    memcpy(text, (void *)PAGE_DOWN((uint32_t)bad_ranges), sizeof text);

    n = bad_ranges(&p, sizeof(struct kernel_info), 1, addr);
    for (uint32_t i = 0; i < n; i++)
        CHECK_EQ(sys_kernel_info(addr[i]).error, ERR_BAD_ADDRESS);
    n = bad_ranges(&p, sizeof(struct relay_regs), 1, addr);
    for (uint32_t i = 0; i < n; i++)
        CHECK_EQ(sys_thread_read_regs(t.thread, addr[i]).error, ERR_BAD_ADDRESS);
    CHECK_EQ(pages_changed(&p, 0xAA), 0);
    CHECK(memcmp(text, (void *)PAGE_DOWN((uint32_t)bad_ranges), sizeof text) == 0);

    /* the same calls into a good buffer do write: the checks above can fail */
    CHECK_EQ(sys_kernel_info((uint32_t)p.a).error, ERR_NONE);
    CHECK_EQ(sys_thread_read_regs(t.thread, (uint32_t)p.b).error, ERR_NONE);
    CHECK_EQ(((struct relay_regs *)p.b)->eip, 0x1000);
    CHECK_EQ(((struct relay_regs *)p.b_ro)->esp, 0x2000);

    target_drop(&t);
    pages_unmap(&p);
    CHECK_NO_LEAK(before);
}

TEST(pointers_write_regs, "thread_write_regs from bad or straddling buffers: ERR_BAD_ADDRESS, no register of the target changed")
{
    struct kernel_info before = kinfo_base();
    struct pages p;
    struct target t;
    struct relay_regs was, now;
    uint32_t addr[16], n;
    CHECK(pages_map(&p, 0x5A));                       /* every register would read 0x5A5A5A5A */
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(thread_read_regs(t.thread, &was), ERR_NONE);
    n = bad_ranges(&p, sizeof(struct relay_regs), 0, addr);
    for (uint32_t i = 0; i < n; i++) {
        CHECK_EQ(sys_thread_write_regs(t.thread, addr[i]).error, ERR_BAD_ADDRESS);
        CHECK_EQ(thread_read_regs(t.thread, &now), ERR_NONE);
        CHECK(memcmp(&was, &now, sizeof now) == 0);
    }
    /* a good buffer does change them */
    CHECK_EQ(sys_thread_write_regs(t.thread, (uint32_t)p.a).error, ERR_NONE);
    CHECK_EQ(thread_read_regs(t.thread, &now), ERR_NONE);
    CHECK_EQ(now.eax, 0x5A5A5A5Au);
    target_drop(&t);
    pages_unmap(&p);
    CHECK_NO_LEAK(before);
}

TEST(pointers_debug_write, "debug_write of bad or straddling ranges: ERR_BAD_ADDRESS, nothing printed; over 4096: ERR_INVALID")
{
    struct pages p;
    uint32_t addr[16], n;
    const uint32_t len = 64;
    CHECK(pages_map(&p, ' '));
    memcpy(p.a + PAGE_SIZE - len / 2, MARKER, sizeof MARKER - 1);   /* printed only if read in part */
    memcpy(p.b, MARKER, sizeof MARKER - 1);
    n = bad_ranges(&p, len, 0, addr);
    for (uint32_t i = 0; i < n; i++)
        CHECK_EQ(sys_debug_write(addr[i], len).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_debug_write(USER_TOP - 0x100, 0x200).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_debug_write(0xFFFFFFF0u, 0x20).error, ERR_BAD_ADDRESS);
    CHECK_EQ(sys_debug_write((uint32_t)p.a, DEBUG_WRITE_MAX + 1).error, ERR_INVALID);
    CHECK_EQ(sys_debug_write((uint32_t)p.a, 0xFFFFFFFFu).error, ERR_INVALID);
    CHECK_EQ(sys_debug_write(0xFFFFFFF0u, 0xFFFFFFFFu).error, ERR_INVALID);
    CHECK_EQ(sys_debug_write(0, DEBUG_WRITE_MAX + 1).error, ERR_INVALID);
    CHECK_EQ(sys_debug_write(0, 0).error, ERR_NONE);             /* a zero length is valid ... */
    CHECK_EQ(sys_debug_write(USER_TOP, 0).error, ERR_NONE);      /* ... wherever it points */
    CHECK_EQ(sys_debug_write(0xFFFFFFFFu, 0).error, ERR_NONE);
    pages_unmap(&p);
}

TEST(write_regs_hostile_values, "thread_write_regs of EFLAGS 0xFFFFFFFF and kernel EIP/ESP: sanitised; started, a user #PF kills it")
{
    struct kernel_info before = kinfo_base();
    struct target t;
    struct relay_regs r = { 1, 2, 3, 4, 5, 6, 7, 0xFFFFFFF0u, USER_TOP + KERNEL_IMAGE_PA, 0xFFFFFFFFu }, now;
    struct fault_record n;
    uint32_t state = 0, status = 0;
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(thread_write_regs(t.thread, &r), ERR_NONE);
    CHECK_EQ(thread_read_regs(t.thread, &now), ERR_NONE);
    CHECK_EQ(now.eflags, EFLAGS_USER_SETTABLE | EFLAGS_USER_IF | 0x2u);   /* ABI.md sections 6 and 8 */
    CHECK_EQ(now.eip, r.eip);
    CHECK_EQ(now.esp, r.esp);
    CHECK_EQ(now.ebp, r.ebp);
    while (take_notice(&n, TIMEOUT_POLL) == ERR_NONE)
        ;
    CHECK_EQ(thread_start(t.thread), ERR_NONE);       /* iret to ring 3 at a kernel address */
    sleep_ticks(2);
    CHECK_EQ(task_status(t.task, &state, &status), ERR_NONE);
    CHECK_EQ(state, TASK_KILLED);
    CHECK_EQ(status, 14);                             /* #PF in ring 3, never a kernel panic */
    CHECK_EQ(take_notice(&n, 100), ERR_NONE);
    CHECK_EQ(n.vector, 14);
    CHECK_EQ(n.eip, r.eip);
    CHECK_EQ(n.cr2, r.eip);
    CHECK_EQ(n.cs, 0x1Bu);
    CHECK_EQ(n.error_code & 4, 4);                    /* a user access */
    target_drop(&t);
    CHECK_NO_LEAK(before);
}
