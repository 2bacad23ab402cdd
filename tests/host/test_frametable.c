/* The frame table and reverse map (microkernel/frametable.c). */
#include <criterion/criterion.h>
#include "frametable.h"

#define FRAMES 64
#define RMAPS  16
#define LOANS  8

static uint8_t owner[FRAMES], lender[FRAMES];
static uint16_t loans[FRAMES], head[FRAMES];
static struct ft_rmap rmap[RMAPS + 1];
static struct ft_loan loan[LOANS + 1];
static struct frame_table ft;

static void setup(void)
{
    const struct ft_storage s = { owner, lender, loans, head, rmap, RMAPS, loan, LOANS };
    ft_init(&ft, FRAMES, &s);
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
    cr_assert_eq(ft.lender[8], FT_NO_TASK, "and it goes to the root, not to a reused id 2");
    ft_task_ended(&ft, 3, 1, 0, ft.frames, record_unmap, &ft);
    cr_assert_eq(ft_owner(&ft, 8), 1);
}

/* The task ends: every frame it held goes back along its holders. */
static void end(uint8_t task, uint8_t root)
{
    ft_task_ended(&ft, task, root, 0, ft.frames, record_unmap, &ft);
}

Test(frametable, frames_lent_on_go_back_one_lender_at_a_time)
{
    ft_set_owner(&ft, 0, 2, 1);                       /* the root's */
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 2), ERR_NONE); /* lent to 2 */
    cr_assert_eq(ft_give(&ft, 2, 3, 0, 2), ERR_NONE); /* lent on to 3 */
    cr_assert_eq(ft_give(&ft, 3, 4, 0, 1), ERR_NONE); /* and frame 0 on to 4 */
    cr_assert_eq(ft.loans_used, 3, "2 and 1 behind 3 for frame 0, 1 behind 2 for frame 1");
    end(4, 1);
    cr_assert_eq(ft_owner(&ft, 0), 3, "back to the task that gave it");
    cr_assert_eq(ft.lender[0], 2, "which owes it to its own lender still");
    end(3, 1);
    cr_assert_eq(ft_owner(&ft, 0), 2);
    cr_assert_eq(ft_owner(&ft, 1), 2);
    cr_assert_eq(ft.lender[0], 1);
    cr_assert_eq(ft.lender[1], 1);
    end(2, 1);
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft.lender[0], FT_NO_TASK);
    cr_assert_eq(ft.loans_used, 0, "no loan entry is left behind");
}

Test(frametable, a_lender_ending_first_passes_its_claim_back)
{
    ft_set_owner(&ft, 0, 1, 1);
    ft_give(&ft, 1, 5, 0, 1);                         /* 1 lends to 5 */
    ft_give(&ft, 5, 6, 0, 1);                         /* 5 to 6 */
    ft_give(&ft, 6, 7, 0, 1);                         /* 6 to 7 */
    end(6, 1);                                        /* the middle one ends */
    cr_assert_eq(ft_owner(&ft, 0), 7);
    cr_assert_eq(ft.lender[0], 5, "7 now owes it to 5, which lent it to 6");
    end(5, 1);
    cr_assert_eq(ft.lender[0], 1);
    end(7, 1);
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft.loans_used, 0);
    cr_assert_eq(ft_next_of(&ft, 6, 0, ft.frames), ft.frames, "no ended id is left anywhere");
}

Test(frametable, giving_back_to_the_lender_returns_the_loan)
{
    ft_set_owner(&ft, 0, 1, 1);
    ft_give(&ft, 1, 2, 0, 1);
    ft_give(&ft, 2, 3, 0, 1);
    cr_assert_eq(ft_give(&ft, 3, 2, 0, 1), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), 2);
    cr_assert_eq(ft.lender[0], 1, "2's own lender again, not 3");
    cr_assert_eq(ft.loans_used, 0);
}

Test(frametable, a_cycle_of_lenders_collapses_when_one_ends)
{
    ft_set_owner(&ft, 0, 1, 1);
    ft_give(&ft, 1, 2, 0, 1);                         /* 1 -> 2 */
    ft_give(&ft, 2, 3, 0, 1);                         /* 2 -> 3 */
    ft_give(&ft, 3, 1, 0, 1);                         /* 3 -> 1: holders 1, 3, 2, 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    end(3, 9);                                        /* holders 1, 2, 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft.lender[0], 2);
    end(2, 9);                                        /* 1, 1: one 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft.lender[0], FT_NO_TASK, "never its own lender");
    cr_assert_eq(ft.loans_used, 0);
}

Test(frametable, out_of_loan_entries_nothing_moves)
{
    ft_set_owner(&ft, 0, LOANS + 1, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, LOANS + 1), ERR_NONE, "a first loan needs no entry");
    cr_assert_eq(ft_give(&ft, 2, 3, 0, LOANS + 1), ERR_NO_MEMORY);
    for (uint32_t f = 0; f <= LOANS; f++)
        cr_assert_eq(ft_owner(&ft, f), 2, "all or nothing");
    cr_assert_eq(ft_give(&ft, 2, 3, 0, LOANS), ERR_NONE);
    end(3, 1);
    end(2, 1);
    for (uint32_t f = 0; f <= LOANS; f++)
        cr_assert_eq(ft_owner(&ft, f), 1);
    cr_assert_eq(ft.loans_used, 0);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, LOANS + 1), ERR_NONE);
    cr_assert_eq(ft_give(&ft, 2, 3, 0, LOANS), ERR_NONE, "the entries came back");
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
