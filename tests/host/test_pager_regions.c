/*
 * The default pager's bookkeeping (servers/pager/regions.c): regions and
 * their overlaps, the heap's break, what a fault calls for (zero fill, copy
 * on write, a stack's guard page), and frame holders for copy on write.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "relay/error.h"
#include "relay/pager_proto.h"
#include "../../servers/pager/regions.h"

#define K 4096u

static struct space s;

static void setup(void) { space_init(&s); }
TestSuite(pager_regions, .init = setup);

Test(pager_regions, anon_regions_do_not_overlap)
{
    uint32_t at;
    cr_assert_eq(space_map_anon(&s, 4, 0, &at), ERR_NONE);
    cr_assert_eq(at, PAGER_ANON_BASE);
    cr_assert_eq(space_map_anon(&s, 2, 0, &at), ERR_NONE);
    cr_assert_eq(at, PAGER_ANON_BASE + 4 * K);
    cr_assert_eq(space_add_anon(&s, PAGER_ANON_BASE + 5 * K, 1), ERR_RANGE);
    cr_assert_eq(space_add_anon(&s, PAGER_ANON_BASE + 100, 1), ERR_INVALID);
    cr_assert_eq(space_add_anon(&s, PAGER_USER_LOW - K, 1), ERR_RANGE);
    cr_assert_eq(space_add_anon(&s, PAGER_USER_HIGH - K, 2), ERR_RANGE);
    cr_assert_eq(space_add_anon(&s, 0xFFFFF000u, 0x100000u), ERR_INVALID);   /* wraps */
    cr_assert_eq(space_add_anon(&s, PAGER_HEAP_BASE + K, 1), ERR_RANGE);     /* the heap's */
    cr_assert_eq(space_map_anon(&s, 0, 0, &at), ERR_INVALID);
}

Test(pager_regions, removing_needs_the_whole_region_and_the_hole_is_reused)
{
    uint32_t at;
    struct region gone;
    cr_assert_eq(space_map_anon(&s, 4, 0, &at), ERR_NONE);
    cr_assert_eq(space_map_anon(&s, 4, 0, &at), ERR_NONE);
    cr_assert_eq(space_remove(&s, PAGER_ANON_BASE, 2, &gone), ERR_NOT_MAPPED);
    cr_assert_eq(space_remove(&s, PAGER_ANON_BASE, 4, &gone), ERR_NONE);
    cr_assert_eq(gone.end, PAGER_ANON_BASE + 4 * K);
    cr_assert_eq(space_map_anon(&s, 3, 0, &at), ERR_NONE);
    cr_assert_eq(at, PAGER_ANON_BASE);
}

Test(pager_regions, the_region_table_is_bounded)
{
    uint32_t at;
    for (uint32_t i = 1; i < REGIONS_MAX; i++)
        cr_assert_eq(space_map_anon(&s, 1, 0, &at), ERR_NONE);
    cr_assert_eq(space_map_anon(&s, 1, 0, &at), ERR_NO_MEMORY);
}

Test(pager_regions, sbrk_moves_the_break_within_the_heap)
{
    uint32_t old, lo, hi;
    cr_assert_eq(space_plan(&s, PAGER_HEAP_BASE, PF_WRITE), PLAN_SEGV);      /* empty heap */
    cr_assert_eq(space_sbrk(&s, 3 * K + 1, &old, &lo, &hi), ERR_NONE);
    cr_assert_eq(old, PAGER_HEAP_BASE);
    cr_assert_eq(lo, hi);
    cr_assert_eq(space_plan(&s, PAGER_HEAP_BASE + 3 * K, PF_WRITE), PLAN_ZERO);
    cr_assert_eq(space_plan(&s, PAGER_HEAP_BASE + 4 * K, PF_WRITE), PLAN_SEGV);
    cr_assert_eq(space_sbrk(&s, -(int32_t)(2 * K + 1), &old, &lo, &hi), ERR_NONE);
    cr_assert_eq(old, PAGER_HEAP_BASE + 3 * K + 1);
    cr_assert_eq(lo, PAGER_HEAP_BASE + K);
    cr_assert_eq(hi, PAGER_HEAP_BASE + 4 * K);
    cr_assert_eq(space_sbrk(&s, -(int32_t)K - 1, &old, &lo, &hi), ERR_RANGE);
    cr_assert_eq(space_sbrk(&s, (int32_t)PAGER_HEAP_MAX, &old, &lo, &hi), ERR_RANGE);
    cr_assert_eq(s.brk, PAGER_HEAP_BASE + K);
}

Test(pager_regions, stacks_grow_down_to_a_guard_page)
{
    cr_assert_eq(space_add_stack(&s, 0x70000000u, 4), ERR_NONE);
    cr_assert_eq(space_plan(&s, 0x6FFFFFFCu, PF_WRITE), PLAN_ZERO);
    cr_assert_eq(space_plan(&s, 0x6FFFC000u, PF_WRITE), PLAN_ZERO);
    cr_assert_eq(s.region[1].grown, 0x6FFFC000u);
    cr_assert_eq(space_plan(&s, 0x6FFFBFFCu, PF_WRITE), PLAN_GUARD);
    cr_assert_eq(space_plan(&s, 0x6FFFAFFCu, PF_WRITE), PLAN_SEGV);
    cr_assert_eq(space_add_anon(&s, 0x6FFFB000u, 1), ERR_RANGE);             /* the guard is reserved */
    cr_assert_eq(space_add_stack(&s, 0x70000000u, 0), ERR_INVALID);
}

Test(pager_regions, the_main_stack_may_lie_up_to_the_startup_page)
{
    cr_assert_eq(space_add_stack(&s, 0xBFFFE000u, 16), ERR_NONE);            /* STACK_TOP, 64 KiB */
    cr_assert_eq(space_plan(&s, 0xBFFFDFFCu, PF_WRITE), PLAN_ZERO);
    cr_assert_eq(space_add_stack(&s, PAGER_STACK_HIGH + K, 1), ERR_RANGE);   /* the startup page */
    cr_assert_eq(space_add_anon(&s, 0x90000000u, 1), ERR_RANGE);             /* only stacks lie there */
}

Test(pager_regions, present_pages_copy_on_write_and_reads_are_errors)
{
    uint32_t at;
    cr_assert_eq(space_map_anon(&s, 1, 0, &at), ERR_NONE);
    cr_assert_eq(space_plan(&s, at, 0), PLAN_ZERO);
    cr_assert_eq(space_plan(&s, at, PF_PRESENT | PF_WRITE), PLAN_COW);
    cr_assert_eq(space_plan(&s, at, PF_PRESENT), PLAN_SEGV);
    cr_assert_eq(space_plan(&s, 0x30000000u, 0), PLAN_SEGV);
}

Test(pager_regions, frame_holders_count_sharers)
{
    struct frame_holders *h = calloc(1, sizeof *h);
    holders_add(h, 0x123000, 0);
    holders_add(h, 0x123000, 5);
    holders_add(h, 0x123000, 5);
    cr_assert_eq(holders_count(h, 0x123000), 2);
    cr_assert(holders_has(h, 0x123000, 5));
    cr_assert_eq(holders_drop(h, 0x123000, 0), 1);
    cr_assert_eq(holders_drop(h, 0x123000, 5), 0);
    cr_assert_not(holders_trackable(HOLDER_FRAMES * K));
    holders_add(h, HOLDER_FRAMES * K, 1);                                    /* ignored */
    cr_assert_eq(holders_count(h, HOLDER_FRAMES * K), 0);
    holders_add(h, 0x1000, PAGER_CLIENTS_MAX);                                /* no such client */
    cr_assert_eq(holders_count(h, 0x1000), 0);
    free(h);
}

Test(pager_regions, image_segments_become_regions)
{
    /* text: 0x400000 + 0x2800 bytes at file offset 0x1000; data: 0x403100, 0x100 file bytes, 0x3000 in memory */
    cr_assert_eq(space_add_image(&s, 0, 0x400000u, 0x2800, 0x1000, 0x2800, 0), ERR_NONE);
    cr_assert_eq(space_add_image(&s, 0, 0x403100u, 0x3000, 0x3100, 0x100, 1), ERR_NONE);
    const struct region *t = &s.region[1], *d = &s.region[2];
    cr_assert_eq(t->kind, REGION_IMAGE);
    cr_assert_eq(t->lo, 0x400000u);
    cr_assert_eq(t->hi, 0x403000u);
    cr_assert_eq(t->file_hi, 0x402800u);
    cr_assert_eq(0x401000u + t->bias, 0x2000u);                               /* file offset of a page */
    cr_assert_eq(d->lo, 0x403000u);
    cr_assert_eq(d->hi, 0x407000u);                                           /* 0x406100 rounded up */
    cr_assert_eq(d->file_lo, 0x403100u);
    cr_assert_eq(d->file_hi, 0x403200u);
    cr_assert(d->writable);
    cr_assert_eq(space_add_image(&s, 0, 0x406000u, 0x1000, 0x6000, 0, 1), ERR_RANGE);   /* overlaps */
    cr_assert_eq(space_add_image(&s, 0, 0x500100u, 0x1000, 0x1000, 0x10, 0), ERR_INVALID); /* offset % page */
    cr_assert_eq(space_add_image(&s, 0, 0x500000u, 0x10, 0x1000, 0x20, 0), ERR_INVALID);  /* filesz > memsz */
    cr_assert_eq(space_add_image(&s, 0, 0x500000u, 0, 0x1000, 0, 0), ERR_INVALID);
    cr_assert_eq(space_add_image(&s, 0, 0x3FF000u, 0x1000, 0x1000, 0, 0), ERR_RANGE);     /* below PROGRAM_BASE */
    cr_assert_eq(space_add_image(&s, 0, PAGER_USER_HIGH - K, 2 * K, 0, 0, 0), ERR_RANGE);
    cr_assert_eq(space_add_anon(&s, 0x400000u, 1), ERR_RANGE);                /* anon stays above USER_LOW */
}

Test(pager_regions, image_faults_share_text_fill_the_rest_and_kill_text_writes)
{
    cr_assert_eq(space_add_image(&s, 0, 0x400000u, 0x2800, 0x1000, 0x2800, 0), ERR_NONE);
    cr_assert_eq(space_add_image(&s, 0, 0x403100u, 0x3000, 0x3100, 0x100, 1), ERR_NONE);
    cr_assert_eq(space_plan(&s, 0x400010u, 0), PLAN_SHARE);                   /* whole file page, read-only */
    cr_assert_eq(space_plan(&s, 0x401FFCu, 0), PLAN_SHARE);
    cr_assert_eq(space_plan(&s, 0x402000u, 0), PLAN_FILL);                    /* file bytes end mid-page */
    cr_assert_eq(space_plan(&s, 0x400010u, PF_WRITE), PLAN_SEGV);             /* a write to text */
    cr_assert_eq(space_plan(&s, 0x400010u, PF_PRESENT | PF_WRITE), PLAN_SEGV);
    cr_assert_eq(space_plan(&s, 0x400010u, PF_PRESENT), PLAN_SEGV);
    cr_assert_eq(space_plan(&s, 0x403000u, 0), PLAN_FILL);                    /* data: a private copy */
    cr_assert_eq(space_plan(&s, 0x403000u, PF_WRITE), PLAN_FILL);
    cr_assert_eq(space_plan(&s, 0x406000u, PF_WRITE), PLAN_FILL);             /* bss */
    cr_assert_eq(space_plan(&s, 0x403000u, PF_PRESENT | PF_WRITE), PLAN_COW); /* after DUPLICATE */
    cr_assert_eq(space_plan(&s, 0x407000u, 0), PLAN_SEGV);                    /* past the segment */
}
