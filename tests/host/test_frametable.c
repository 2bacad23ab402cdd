/* The frame table and reverse map (microkernel/frametable.c). */
#include <criterion/criterion.h>
#include "frametable.h"

#define FRAMES 64
#define RMAPS  16

static uint8_t owner[FRAMES], lender[FRAMES];
static uint16_t head[FRAMES];
static struct ft_rmap rmap[RMAPS + 1];
static struct frame_table ft;

static void setup(void)
{
    ft_init(&ft, FRAMES, owner, lender, head, rmap, RMAPS);
}

TestSuite(frametable, .init = setup);

/* What an unmap callback was asked to undo. */
static struct { uint8_t task; uint32_t va; } undone[RMAPS];
static unsigned undone_count;
static void record_unmap(uint8_t task, uint32_t va, void *arg)
{
    cr_assert_eq(arg, &ft);
    cr_assert_lt(undone_count, RMAPS);
    undone[undone_count].task = task;
    undone[undone_count++].va = va;
}

Test(frametable, starts_empty)
{
    for (uint32_t f = 0; f < FRAMES; f++) {
        cr_assert_eq(ft_owner(&ft, f), FT_NO_TASK);
        cr_assert_eq(ft_mapping_count(&ft, f), 0);
    }
    cr_assert_eq(ft_owner(&ft, FRAMES), FT_NO_TASK, "untracked frames have no owner");
    cr_assert_eq(ft.used, 0);
}

Test(frametable, ownership_checks)
{
    ft_set_owner(&ft, 10, 5, 3);
    cr_assert_eq(ft_owner(&ft, 9), FT_NO_TASK);
    for (uint32_t f = 10; f < 15; f++)
        cr_assert_eq(ft_owner(&ft, f), 3);
    cr_assert_eq(ft_owner(&ft, 15), FT_NO_TASK);
    ft_set_owner(&ft, 60, 10, 4);                     /* runs past the end: clipped */
    cr_assert_eq(ft_owner(&ft, 63), 4);
}

Test(frametable, give_transfers_ownership_all_or_nothing)
{
    ft_set_owner(&ft, 0, 8, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 2, 4), ERR_NONE);
    for (uint32_t f = 2; f < 6; f++) {
        cr_assert_eq(ft_owner(&ft, f), 2);
        cr_assert_eq(ft.lender[f], 1);
    }
    cr_assert_eq(ft_owner(&ft, 1), 1);
    cr_assert_eq(ft_give(&ft, 1, 3, 4, 4), ERR_NOT_OWNER, "frames 4 and 5 are task 2's now");
    cr_assert_eq(ft_owner(&ft, 6), 1, "nothing moved");
    cr_assert_eq(ft_give(&ft, 1, 3, 60, 8), ERR_NOT_OWNER, "past the end");
    cr_assert_eq(ft_give(&ft, FT_NO_TASK, 3, 20, 1), ERR_NOT_OWNER, "nobody's frames are nobody's to give");
}

Test(frametable, mappings_listed_and_removed)
{
    cr_assert_eq(ft_map_add(&ft, 5, 1, 0x1000, 1), ERR_NONE);
    cr_assert_eq(ft_map_add(&ft, 5, 2, 0x2000, 0), ERR_NONE);
    cr_assert_eq(ft_map_add(&ft, 5, 2, 0x3000, 0), ERR_NONE);
    cr_assert_eq(ft_mapping_count(&ft, 5), 3);
    cr_assert_eq(ft_mapped_by(&ft, 5, 1), 2, "writable");
    cr_assert_eq(ft_mapped_by(&ft, 5, 2), 1, "read-only");
    cr_assert_eq(ft_mapped_by(&ft, 5, 3), 0);
    ft_map_remove(&ft, 5, 2, 0x2000);
    cr_assert_eq(ft_mapping_count(&ft, 5), 2);
    ft_map_remove(&ft, 5, 2, 0x9000);                 /* not there: nothing happens */
    cr_assert_eq(ft_mapping_count(&ft, 5), 2);
    ft_map_remove(&ft, 5, 1, 0x1000);
    cr_assert_eq(ft_mapped_by(&ft, 5, 1), 0);
    cr_assert_eq(ft.used, 1);
}

Test(frametable, best_rights_win)
{
    ft_map_add(&ft, 7, 4, 0x1000, 0);
    ft_map_add(&ft, 7, 4, 0x2000, 1);
    cr_assert_eq(ft_mapped_by(&ft, 7, 4), 2);
    ft_map_remove(&ft, 7, 4, 0x2000);
    cr_assert_eq(ft_mapped_by(&ft, 7, 4), 1);
}

Test(frametable, pool_exhaustion_is_an_error_and_recovers)
{
    for (uint32_t i = 0; i < RMAPS; i++)
        cr_assert_eq(ft_map_add(&ft, i % FRAMES, 1, i * 0x1000, 0), ERR_NONE);
    cr_assert_eq(ft_map_add(&ft, 3, 1, 0x99000, 0), ERR_NO_MEMORY);
    ft_map_remove(&ft, 0, 1, 0);
    cr_assert_eq(ft_map_add(&ft, 3, 1, 0x99000, 0), ERR_NONE, "a freed entry is reused");
    cr_assert_eq(ft.used, RMAPS);
}

Test(frametable, untracked_frames_are_not_recorded)
{
    cr_assert_eq(ft_map_add(&ft, FRAMES + 5, 1, 0x1000, 1), ERR_NONE);
    cr_assert_eq(ft.used, 0);
    cr_assert_eq(ft_mapping_count(&ft, FRAMES + 5), 0);
}

Test(frametable, revoke_removes_every_mapping)
{
    ft_map_add(&ft, 9, 1, 0x1000, 1);
    ft_map_add(&ft, 9, 2, 0x5000, 0);
    ft_map_add(&ft, 9, 3, 0x7000, 0);
    ft_map_add(&ft, 10, 3, 0x8000, 0);
    uint8_t task;
    uint32_t va, n = 0, seen = 0;
    while (ft_map_pop(&ft, 9, &task, &va)) {
        n++;
        seen |= 1u << task;
    }
    cr_assert_eq(n, 3);
    cr_assert_eq(seen, 0xE, "tasks 1, 2 and 3");
    cr_assert_eq(ft_mapping_count(&ft, 9), 0);
    cr_assert_eq(ft_mapping_count(&ft, 10), 1, "other frames keep theirs");
}

Test(frametable, task_end_returns_frames_and_unmaps_shares)
{
    ft_set_owner(&ft, 0, 4, 1);                       /* root's */
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 2), ERR_NONE); /* 0, 1 lent to task 2 */
    ft_set_owner(&ft, 8, 1, 2);                       /* 8 is task 2's own */
    cr_assert_eq(ft_give(&ft, 2, 3, 8, 1), ERR_NONE); /* and lent on to task 3 */
    ft_map_add(&ft, 0, 2, 0x1000, 1);                 /* task 2's own mapping: already removed */
    ft_map_remove(&ft, 0, 2, 0x1000);
    ft_map_add(&ft, 1, 3, 0x2000, 0);                 /* shared on with task 3 */
    ft_map_add(&ft, 1, 4, 0x3000, 0);                 /* and task 4 */
    undone_count = 0;
    ft_task_ended(&ft, 2, 1, 0, ft.frames, record_unmap, &ft);
    cr_assert_eq(undone_count, 2, "every share of its frames is undone");
    cr_assert_eq(ft_mapping_count(&ft, 1), 0);
    cr_assert_eq(ft_owner(&ft, 0), 1, "back to its lender");
    cr_assert_eq(ft_owner(&ft, 1), 1);
    cr_assert_eq(ft.lender[0], FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, 8), 3, "task 3 keeps what it was given");
    cr_assert_eq(ft.lender[8], 1, "but it returns to the root, not to a reused id 2");
}

Test(frametable, giving_to_oneself_changes_nothing)
{
    ft_set_owner(&ft, 0, 4, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 4), ERR_NONE);    /* task 2 holds them, lent by 1 */
    cr_assert_eq(ft_give(&ft, 2, 2, 0, 4), ERR_NONE);    /* and gives them to itself */
    for (uint32_t f = 0; f < 4; f++)
        cr_assert_eq(ft.lender[f], 1, "the lender is still task 1, not task 2 itself");
    ft_task_ended(&ft, 2, 9, 0, ft.frames, record_unmap, &ft);
    for (uint32_t f = 0; f < 4; f++)
        cr_assert_eq(ft_owner(&ft, f), 1, "back to the live giver, never to the dead task's id");
}

Test(frametable, frames_never_return_to_the_ended_task)
{
    ft_set_owner(&ft, 0, 1, 3);
    ft.lender[0] = 3;                                   /* however it came about */
    ft_task_ended(&ft, 3, 9, 0, ft.frames, record_unmap, &ft);
    cr_assert_eq(ft_owner(&ft, 0), 9, "to the root, not to its own id");
}

Test(frametable, rights_of_one_mapping_change_in_place)
{
    ft_set_owner(&ft, 0, 1, 1);
    cr_assert_eq(ft_map_add(&ft, 0, 2, 0x1000, 1), ERR_NONE);
    cr_assert_eq(ft_map_add(&ft, 0, 2, 0x2000, 0), ERR_NONE);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 2);
    ft_map_set_writable(&ft, 0, 2, 0x1000, 0);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 1, "no writable mapping left: shares stay read-only");
    ft_map_set_writable(&ft, 0, 2, 0x2000, 1);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 2);
    ft_map_set_writable(&ft, 0, 2, 0x3000, 1);           /* not there: nothing happens */
    cr_assert_eq(ft_mapping_count(&ft, 0), 2);
}
