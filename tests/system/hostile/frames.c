/*
 * Memory authority (ABI.md sections 2 and 7): map, unmap, map_query,
 * frame_give and frame_revoke aimed at kernel space, at frames the caller
 * does not own (the kernel's image and frames, the root task's, a UTCB)
 * and at device memory.  Each is ERR_RANGE or ERR_NOT_OWNER (ERR_NOT_MAPPED
 * for nothing there) and changes nothing: no mapping appears or goes, no
 * frame changes hands, no page table is made.
 */
#include "generic.h"

#define FREE_VA 0x60000000u           /* a 4 MiB region with no page table, in any task here */

/* Frames this task may not map writable, give or revoke. */
struct foreign {
    uint32_t pa;
    const char *what;
    int shared;                       /* mapped read-only here: a read-only share is ours to make */
};

static uint32_t foreign_frames(struct foreign out[16])
{
    const struct startup_info *si = startup_info();
    uint32_t n = 0;
    out[n++] = (struct foreign){ 0, "frame 0 (BIOS)", 0 };
    out[n++] = (struct foreign){ VGA_PA, "VGA memory", 0 };
    out[n++] = (struct foreign){ KERNEL_IMAGE_PA, "the kernel image", 0 };
    out[n++] = (struct foreign){ 0x07FE0000u, "reserved RAM at the top", 0 };
    out[n++] = (struct foreign){ 0x10000000u, "past RAM, below the direct map's end", 0 };
    out[n++] = (struct foreign){ IOAPIC_PA, "the I/O APIC", 0 };
    out[n++] = (struct foreign){ TOP_PAGE, "the last physical page", 0 };
    out[n++] = (struct foreign){ frame_at(STARTUP_VADDR), "our startup page (proc's)", 1 };
    out[n++] = (struct foreign){ frame_at(PAGE_DOWN((uint32_t)foreign_frames)), "our text (proc's)", 1 };
    out[n++] = (struct foreign){ si->images[0].paddr, "our image (proc's module)", 1 };
    /* mapped writable here, but the kernel's: a share would outlive the thread */
    out[n++] = (struct foreign){ frame_at(si->main_utcb), "our UTCB (a kernel frame)", 0 };
    return n;
}

TEST(frames_no_devices, "a program's startup page lists no device ranges: those are the root task's")
{
    CHECK_EQ(startup_info()->device_count, 0);
}

TEST(frames_kernel_space, "map, unmap, map_query at or above 0xC0000000, unaligned or at 0: ERR_RANGE, no page table made")
{
    struct kernel_info before = kinfo();
    const struct startup_info *si = startup_info();
    struct target t;
    uint32_t pa;
    CHECK_EQ(target_make(&t), ERR_NONE);
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    struct kernel_info made = kinfo();
    static const uint32_t kernel_va[] = { USER_TOP, USER_TOP + KERNEL_IMAGE_PA, 0xF0000000u, TOP_PAGE };
    for (uint32_t i = 0; i < sizeof kernel_va / sizeof kernel_va[0]; i++) {
        CHECK_EQ(page_map(t.task, kernel_va[i], pa, MAP_WRITABLE), ERR_RANGE);
        CHECK_EQ(page_map(si->self_task, kernel_va[i], pa, 0), ERR_RANGE);
        CHECK_EQ(page_unmap(si->self_task, kernel_va[i]), ERR_RANGE);
        CHECK_EQ(page_unmap(t.task, kernel_va[i]), ERR_RANGE);
        CHECK_EQ(sys_map_query(si->self_task, kernel_va[i]).error, ERR_RANGE);
        CHECK_EQ(sys_map_query(t.task, kernel_va[i]).error, ERR_RANGE);
    }
    CHECK_EQ(page_map(t.task, 0, pa, 0), ERR_RANGE);                  /* page 0 is never mapped */
    CHECK_EQ(page_map(t.task, FREE_VA + 1, pa, 0), ERR_RANGE);
    CHECK_EQ(page_map(t.task, FREE_VA, pa + 1, 0), ERR_RANGE);
    CHECK_EQ(page_map(t.task, FREE_VA, pa, 0x4), ERR_RANGE);          /* an unknown flag */
    CHECK_EQ(page_unmap(t.task, FREE_VA + 1), ERR_RANGE);
    CHECK_EQ(sys_map_query(t.task, FREE_VA + 1).error, ERR_RANGE);
    CHECK_EQ(page_unmap(t.task, FREE_VA), ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(t.task, FREE_VA).error, ERR_NOT_MAPPED);
    CHECK_EQ(page_unmap(si->self_task, UNMAPPED_VA), ERR_NOT_MAPPED);
    CHECK_EQ(kinfo().frames_free, made.frames_free);  /* no page table for any of them */
    CHECK_EQ(frame_at(STARTUP_VADDR) != 0, 1);        /* ours are all still there */
    CHECK_EQ(frame_at(si->main_utcb) != 0, 1);
    frame_free(pa);
    target_drop(&t);
    CHECK_NO_LEAK(before);
}

TEST(frames_not_owned_map, "mapping frames not one's own (kernel, proc's, a UTCB, devices): ERR_NOT_OWNER, nothing mapped")
{
    struct kernel_info before = kinfo();
    const struct startup_info *si = startup_info();
    struct foreign f[16];
    struct target t;
    uint32_t n = foreign_frames(f), wrong = 0;
    CHECK_EQ(target_make(&t), ERR_NONE);
    struct kernel_info made = kinfo();
    for (uint32_t i = 0; i < n; i++) {
        CHECK(f[i].pa != 0 || i == 0);                /* map_query found each of ours */
        uint32_t got_w = (uint32_t)page_map(t.task, FREE_VA, f[i].pa, MAP_WRITABLE);
        uint32_t got_self = (uint32_t)page_map(si->self_task, FREE_VA, f[i].pa, MAP_WRITABLE);
        uint32_t got_ro = f[i].shared ? ERR_NOT_OWNER : (uint32_t)page_map(t.task, FREE_VA, f[i].pa, 0);
        if (got_w != ERR_NOT_OWNER || got_self != ERR_NOT_OWNER || got_ro != ERR_NOT_OWNER) {
            if (wrong++ < 6)
                printf("  map of %s (0x%x): writable %s, into ourselves %s, read-only %s\n", f[i].what,
                       f[i].pa, strerror((int)got_w), strerror((int)got_self), strerror((int)got_ro));
            page_unmap(t.task, FREE_VA);
            page_unmap(si->self_task, FREE_VA);
        }
        CHECK_EQ(sys_map_query(t.task, FREE_VA).error, ERR_NOT_MAPPED);
    }
    CHECK_EQ(wrong, 0);
    CHECK_EQ(kinfo().frames_free, made.frames_free);  /* refused before any page table was made */
    CHECK_EQ(page_map(t.task, FREE_VA, frame_at(STARTUP_VADDR), 0), ERR_NONE);   /* a share: allowed */
    target_drop(&t);
    CHECK_NO_LEAK(before);
}

TEST(frames_not_owned_give, "frame_give, frame_revoke of frames not one's own, or runs into them: ERR_NOT_OWNER, nothing moves")
{
    struct kernel_info before = kinfo();
    const struct startup_info *si = startup_info();
    struct foreign f[16];
    struct target t;
    uint32_t n = foreign_frames(f), wrong = 0;
    CHECK_EQ(target_make(&t), ERR_NONE);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t give = (uint32_t)frame_give(t.task, f[i].pa, 1);
        uint32_t revoke = sys_frame_revoke(f[i].pa).error;
        if ((give != ERR_NOT_OWNER || revoke != ERR_NOT_OWNER) && wrong++ < 6)
            printf("  %s (0x%x): frame_give %s, frame_revoke %s\n", f[i].what, f[i].pa,
                   strerror((int)give), strerror((int)revoke));
    }
    CHECK_EQ(wrong, 0);
    CHECK(frame_at(STARTUP_VADDR) != 0);              /* revoking proc's frames unmapped nothing here */
    CHECK(frame_at(PAGE_DOWN((uint32_t)foreign_frames)) != 0);
    CHECK_EQ(frame_at(si->images[0].vaddr), si->images[0].paddr);

    /* Runs: the last frame of our memory and the one after it (not ours), and wrapping counts. */
    uint32_t last = si->memory[0].end - PAGE_SIZE;
    for (uint32_t i = 1; i < si->memory_count; i++)
        CHECK(si->memory[i].start != si->memory[0].end);   /* so the frame after `last` is not ours */
    CHECK_EQ(frame_give(t.task, last, 2), ERR_NOT_OWNER);
    CHECK_EQ(frame_give(t.task, last, 0xFFFFFFFFu), ERR_NOT_OWNER);
    CHECK_EQ(frame_give(t.task, last, 0x00100000u), ERR_NOT_OWNER);     /* 4 GiB of frames */
    CHECK_EQ(frame_give(t.task, last + 1, 1), ERR_RANGE);
    CHECK_EQ(sys_frame_revoke(last + 1).error, ERR_RANGE);
    CHECK_EQ(frame_give(si->self_task, last, 1), ERR_NONE);   /* still ours: giving to oneself checks that */
    CHECK(error_valid((uint32_t)frame_give(t.task, KERNEL_IMAGE_PA, 0)));   /* no frames at all: no harm */
    target_drop(&t);
    CHECK_NO_LEAK(before);
}
