/* Frames and the scratch window. */
#include "libostest.h"

TEST(scratch_window, "a frame written through one scratch slot reads back through another")
{
    uint32_t pa, before = frame_free_count();
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(frame_free_count(), before - 1);
    void *va;
    CHECK_EQ(scratch_map(3, pa, &va), ERR_NONE);
    CHECK_EQ((uint32_t)va, SCRATCH_BASE + 3 * PAGE_SIZE);
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        ((uint32_t *)va)[i] = i * 2654435761u;
    CHECK_EQ(scratch_map(3, pa, &va), ERR_MAPPED);
    CHECK_EQ(scratch_unmap(3), ERR_NONE);
    CHECK_EQ(scratch_unmap(3), ERR_NOT_MAPPED);
    CHECK_EQ(scratch_map(SCRATCH_SLOTS, pa, &va), ERR_RANGE);
    CHECK_EQ(scratch_map(5, pa, &va), ERR_NONE);
    uint32_t bad = 0;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        bad += ((uint32_t *)va)[i] != i * 2654435761u;
    CHECK_EQ(bad, 0);
    CHECK_EQ(scratch_unmap(5), ERR_NONE);
    CHECK_EQ(frame_free(pa), ERR_NONE);
    CHECK_EQ(frame_free(pa), ERR_INVALID);
    CHECK_EQ(frame_free_count(), before);
}

TEST(frame_fill, "frame_fill zeroes the page and copies the bytes at the offset")
{
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    void *va;
    CHECK_EQ(scratch_map(1, pa, &va), ERR_NONE);
    memset(va, 0xEE, PAGE_SIZE);
    CHECK_EQ(scratch_unmap(1), ERR_NONE);
    CHECK_EQ(frame_fill(pa, 100, "relay", 5), ERR_NONE);
    CHECK_EQ(frame_fill(pa, PAGE_SIZE - 2, "abc", 3), ERR_RANGE);
    CHECK_EQ(scratch_map(1, pa, &va), ERR_NONE);
    const uint8_t *p = va;
    uint32_t nonzero = 0;
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        nonzero += (i < 100 || i >= 105) && p[i];
    CHECK_EQ(nonzero, 0);
    CHECK(!memcmp(p + 100, "relay", 5));
    CHECK_EQ(scratch_unmap(1), ERR_NONE);
    CHECK_EQ(frame_free(pa), ERR_NONE);
}

TEST(frame_not_ours, "mapping a frame this task does not own is ERR_NOT_OWNER")
{
    void *va;
    CHECK_EQ(scratch_map(2, 0x1000, &va), ERR_NOT_OWNER);   /* low memory: the kernel's */
}
