/* What boot left behind: the module found and intact, the frame pool honest. */
#include "ktest.h"
#include "boot.h"
#include "kstring.h"
#include "arch/x86/memlayout.h"
#include "../lib/stringcheck.h"

extern const char __kernel_phys_start[], __kernel_end[];

static int overlaps(uint32_t a, uint32_t a_end, uint32_t b, uint32_t b_end)
{
    return a < b_end && b < a_end;
}

/* The expected size is on the module's own command line: bytes=N. */
static uint32_t expected_bytes(const char *cmdline)
{
    const char *p = cmdline;
    while (*p && strncmp(p, "bytes=", 6))
        p++;
    uint32_t n = 0;
    for (p += *p ? 6 : 0; *p >= '0' && *p <= '9'; p++)
        n = n * 10 + (uint32_t)(*p - '0');
    return n;
}

TEST(module_found, "the loader's module is listed with its command line, size and contents")
{
    CHECK_EQ(boot_info.module_count, 1);
    if (boot_info.module_count != 1)
        return;
    const struct boot_module *m = &boot_info.modules[0];
    uint32_t size = m->end - m->start;
    CHECK(expected_bytes(m->cmdline) != 0);
    CHECK_EQ(size, expected_bytes(m->cmdline));
    const char *text = phys_to_virt(m->start);
    CHECK(!memcmp(text, "1\n2\n3\n", 6));
    CHECK(size > 5 && !memcmp(text + size - 5, "3000\n", 5));
}

/*
 * Take every free frame, checking each against what must never be handed out,
 * then give them all back.  The taken frames are chained through their first
 * word, so no other memory is needed.
 */
TEST(frames_never_reserved, "the allocator never hands out the kernel, modules, Multiboot data or low memory")
{
    const struct multiboot_info *mbi = boot_info.mbi;
    uint32_t kernel_start = (uint32_t)__kernel_phys_start, kernel_end = virt_to_phys(__kernel_end);
    uint32_t mbi_pa = virt_to_phys(mbi), free_before = kernel_frames.free;
    uint32_t head = 0, taken = 0, bad = 0, frame;
    while (frame_alloc(&kernel_frames, &frame) == ERR_NONE) {
        bad += frame < 0x100000 || overlaps(frame, frame + FRAME_SIZE, kernel_start, kernel_end)
            || overlaps(frame, frame + FRAME_SIZE, mbi_pa, mbi_pa + sizeof *mbi)
            || overlaps(frame, frame + FRAME_SIZE, mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length)
            || frame >= boot_info.direct_top;
        for (unsigned i = 0; i < boot_info.module_count; i++)
            bad += overlaps(frame, frame + FRAME_SIZE, boot_info.modules[i].start,
                            boot_info.modules[i].end);
        *(uint32_t *)phys_to_virt(frame) = head;
        head = frame;
        taken++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(taken, free_before);
    CHECK(taken > 1000);
    CHECK_EQ(frame_alloc(&kernel_frames, &frame), ERR_NO_MEMORY);
    while (head) {
        uint32_t next = *(uint32_t *)phys_to_virt(head);
        CHECK_EQ(frame_free(&kernel_frames, head), ERR_NONE);
        head = next;
    }
    CHECK_EQ(kernel_frames.free, free_before);
}

TEST(kstring_sizes, "the kernel's memcpy and memset of 0 to 40 bytes at every alignment write exactly those bytes, with the right values")
{
    CHECK_EQ(copy_fill_errors(memcpy, memset), 0);
}
