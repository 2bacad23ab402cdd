/* The frame table and reverse map (microkernel/frametable.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "frametable.h"

/* Three whole chunks and part of a fourth. */
#define FRAMES  (3 * FT_CHUNK_FRAMES + 10)
#define CHUNKS  FT_CHUNKS(FRAMES)
#define ROOT    ((ft_holder)100)     /* the root task: never recorded as a lender */

static struct ft_frame *chunk[CHUNKS];
static ft_holder uniform[CHUNKS];
static struct frame_table ft;

/* The chunk pages the table asked for. */
static unsigned chunk_pages;
static void *chunk_page(uint32_t c)
{
    (void)c;
    chunk_pages++;
    void *p = calloc(1, FT_CHUNK_BYTES);
    cr_assert_not_null(p);
    return p;
}

/* Reverse-map entries are the caller's: these are counted, to show none is lost. */
static unsigned live_entries;

static struct ft_rmap *new_entry(void)
{
    struct ft_rmap *e = malloc(sizeof *e);
    cr_assert_not_null(e);
    memset(e, 0xA5, sizeof *e);
    live_entries++;
    return e;
}

static void free_entry(struct ft_rmap *e)
{
    cr_assert_gt(live_entries, 0);
    live_entries--;
    free(e);
}

/* Record a mapping in a fresh entry: the entry. */
static struct ft_rmap *add(uint32_t frame, ft_holder task, uint32_t va, int writable)
{
    struct ft_rmap *e = new_entry();
    cr_assert_eq(ft_map_add(&ft, frame, task, va, writable, e), 1, "frame %u", frame);
    cr_assert_eq(e->task, task);
    cr_assert_eq(ft_rmap_va(e), va);
    return e;
}

/* task's entry for frame at va, as the kernel finds it beside the page table, or NULL. */
static struct ft_rmap *find(uint32_t frame, ft_holder task, uint32_t va)
{
    for (const struct ft_rmap *e = ft_mappings(&ft, frame); e; e = e->next)
        if (e->task == task && ft_rmap_va(e) == va)
            return (struct ft_rmap *)e;
    return NULL;
}

/* The entry found and unlinked, or NULL. */
static struct ft_rmap *unlinked(uint32_t frame, ft_holder task, uint32_t va)
{
    struct ft_rmap *e = find(frame, task, va);
    if (e)
        ft_map_unlink(&ft, frame, e);
    return e;
}

/* Forget a mapping, giving its entry back: whether there was one. */
static int removed(uint32_t frame, ft_holder task, uint32_t va)
{
    struct ft_rmap *e = unlinked(frame, task, va);
    if (!e)
        return 0;
    cr_assert_eq(e->task, task);
    cr_assert_eq(ft_rmap_va(e), va);
    free_entry(e);
    return 1;
}

/* Sharer nodes: counted too, and refused when sharer_limit says so. */
static unsigned live_sharers;
static int sharer_limit = -1;

static struct ft_sharer *new_sharer(ft_holder task)
{
    (void)task;
    if (sharer_limit >= 0 && live_sharers >= (unsigned)sharer_limit)
        return NULL;
    live_sharers++;
    struct ft_sharer *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    return s;
}

static void free_sharer(struct ft_sharer *s)
{
    cr_assert_gt(live_sharers, 0);
    live_sharers--;
    free(s);
}

static void setup(void)
{
    chunk_pages = 0;
    live_entries = 0;
    live_sharers = 0;
    sharer_limit = -1;
    for (uint32_t c = 0; c < CHUNKS; c++) {    /* ft_init takes zeroed storage (the kernel's .bss) */
        chunk[c] = 0;
        uniform[c] = FT_NO_TASK;
    }
    ft_init(&ft, FRAMES, chunk, uniform, chunk_page);
    ft.new_sharer = new_sharer;
    ft.free_sharer = free_sharer;
}

/* Every entry still recorded goes back; none may be lost or left over. */
static void teardown(void)
{
    uint32_t counted = 0;
    for (uint32_t f = 0; f < FRAMES; f++)
        counted += ft_mapping_count(&ft, f);
    cr_assert_eq(ft.mappings, counted, "ft->mappings counts the entries in use");
    for (uint32_t f = 0; f < FRAMES; f++) {
        struct ft_rmap *e;
        while ((e = ft_map_pop(&ft, f)))
            free_entry(e);
    }
    cr_assert_eq(ft.mappings, 0);
    cr_assert_eq(live_entries, 0, "every entry given to the table came back");
    cr_assert_eq(live_sharers, 0, "every sharer node went back with its task's last mapping");
    for (uint32_t c = 0; c < CHUNKS; c++)
        free(chunk[c]);
}

TestSuite(frametable, .init = setup, .fini = teardown);

/* What an unmap callback was asked to undo. */
#define UNDONE_MAX 16
static struct { ft_holder task; uint32_t va; } undone[UNDONE_MAX];
static unsigned undone_count;
static void record_unmap(struct ft_rmap *e, void *arg)
{
    cr_assert_eq(arg, &ft);
    cr_assert_not_null(e);
    cr_assert_lt(undone_count, UNDONE_MAX);
    undone[undone_count].task = e->task;
    undone[undone_count++].va = ft_rmap_va(e);
    free_entry(e);
}

/* The holder ends: every frame it held goes back along its holders. */
static uint32_t end(ft_holder task, ft_holder root)
{
    return ft_task_ended(&ft, task, root, 0, ft.frames, record_unmap, &ft);
}

/* ------------------------------------------------------------ ownership */

Test(frametable, starts_empty)
{
    cr_assert_eq(ft.frames, FRAMES);
    cr_assert_eq(ft.chunks, CHUNKS);
    cr_assert_eq(CHUNKS, 4);
    for (uint32_t c = 0; c < CHUNKS; c++) {
        cr_assert_null(chunk[c], "chunk %u", c);
        cr_assert_eq(uniform[c], FT_NO_TASK, "chunk %u", c);
    }
    for (uint32_t f = 0; f < FRAMES; f++) {
        cr_assert_eq(ft_owner(&ft, f), FT_NO_TASK);
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK);
        cr_assert_eq(ft_mapping_count(&ft, f), 0);
        cr_assert_null(ft_mappings(&ft, f));
    }
    cr_assert_eq(ft_owner(&ft, FRAMES), FT_NO_TASK, "untracked frames have no owner");
    cr_assert_eq(ft_lender(&ft, FRAMES, 0), FT_NO_TASK);
    cr_assert_eq(ft.mappings, 0);
    cr_assert_eq(chunk_pages, 0, "reading costs nothing");
}

Test(frametable, ownership_checks)
{
    ft_set_owner(&ft, 10, 5, 3);
    cr_assert_eq(ft_owner(&ft, 9), FT_NO_TASK);
    for (uint32_t f = 10; f < 15; f++)
        cr_assert_eq(ft_owner(&ft, f), 3);
    cr_assert_eq(ft_owner(&ft, 15), FT_NO_TASK);
    ft_set_owner(&ft, FRAMES - 4, 10, 4);              /* runs past the end: clipped */
    cr_assert_eq(ft_owner(&ft, FRAMES - 1), 4);
    cr_assert_eq(ft_owner(&ft, FRAMES - 5), FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, FRAMES), FT_NO_TASK);
}

Test(frametable, holders_are_whole_words)
{
    static int task_a, task_b;                        /* the kernel names holders by address */
    ft_holder a = (ft_holder)&task_a, b = (ft_holder)&task_b;
    ft_set_owner(&ft, 0, 2, a);
    cr_assert_eq(ft_owner(&ft, 0), a);
    cr_assert_eq(ft_give(&ft, a, b, 1, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 1), b);
    cr_assert_eq(ft_lender(&ft, 1, 0), a);
    ft_holder high = (ft_holder)UINTPTR_MAX - 0xFFF;  /* no bit is lost */
    ft_set_owner(&ft, 5, 1, high);
    cr_assert_eq(ft_owner(&ft, 5), high);
}

Test(frametable, give_transfers_ownership_all_or_nothing)
{
    ft_set_owner(&ft, 0, 8, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 2, 4, ROOT), ERR_NONE);
    for (uint32_t f = 2; f < 6; f++) {
        cr_assert_eq(ft_owner(&ft, f), 2);
        cr_assert_eq(ft_lender(&ft, f, 0), 1);
        cr_assert_eq(ft_lender(&ft, f, 1), FT_NO_TASK);
    }
    cr_assert_eq(ft_owner(&ft, 1), 1);
    cr_assert_eq(ft_lender(&ft, 1, 0), FT_NO_TASK);
    cr_assert_eq(ft_give(&ft, 1, 3, 4, 4, ROOT), ERR_NOT_OWNER, "frames 4 and 5 are task 2's now");
    cr_assert_eq(ft_owner(&ft, 6), 1, "nothing moved");
    cr_assert_eq(ft_owner(&ft, 7), 1);
    cr_assert_eq(ft_give(&ft, 1, 3, FRAMES - 4, 8, ROOT), ERR_NOT_OWNER, "past the end");
    cr_assert_eq(ft_give(&ft, 1, 3, FRAMES + 1, 1, ROOT), ERR_NOT_OWNER, "wholly past the end");
    cr_assert_eq(ft_give(&ft, FT_NO_TASK, 3, 20, 1, ROOT), ERR_NOT_OWNER,
                 "nobody's frames are nobody's to give");
    cr_assert_eq(ft_owner(&ft, 20), FT_NO_TASK);
}

Test(frametable, giving_to_oneself_changes_nothing)
{
    ft_set_owner(&ft, 0, 4, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 4, ROOT), ERR_NONE);   /* task 2 holds them, lent by 1 */
    cr_assert_eq(ft_give(&ft, 2, 2, 0, 4, ROOT), ERR_NONE);   /* and gives them to itself */
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), 2);
        cr_assert_eq(ft_lender(&ft, f, 0), 1, "the lender is still task 1, not task 2 itself");
        cr_assert_eq(ft_lender(&ft, f, 1), FT_NO_TASK);
    }
    cr_assert_eq(ft_give(&ft, 3, 3, 0, 4, ROOT), ERR_NOT_OWNER, "giving to oneself checks ownership");
    end(2, 9);
    for (uint32_t f = 0; f < 4; f++)
        cr_assert_eq(ft_owner(&ft, f), 1, "back to the live giver, never to the dead task");
}

Test(frametable, root_is_never_recorded_as_a_lender)
{
    ft_set_owner(&ft, 0, 4, ROOT);
    cr_assert_eq(ft_give(&ft, ROOT, 2, 0, 4, ROOT), ERR_NONE);
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), 2);
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK, "a frame nobody takes back goes to the root anyway");
    }
    cr_assert_eq(ft_give(&ft, 2, 3, 0, 2, ROOT), ERR_NONE);
    cr_assert_eq(ft_lender(&ft, 0, 0), 2);
    cr_assert_eq(ft_lender(&ft, 0, 1), FT_NO_TASK, "still no root behind 2");
    end(3, ROOT);
    cr_assert_eq(ft_owner(&ft, 0), 2, "back to the task that gave it");
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK);
    end(2, ROOT);
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), ROOT, "no lender left: to the root");
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK);
    }
}

/* ------------------------------------------------------------ lenders */

Test(frametable, frames_lent_on_go_back_one_lender_at_a_time)
{
    ft_set_owner(&ft, 0, 2, 1);                             /* task 1's */
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 2, ROOT), ERR_NONE); /* lent to 2 */
    cr_assert_eq(ft_give(&ft, 2, 3, 0, 2, ROOT), ERR_NONE); /* lent on to 3 */
    cr_assert_eq(ft_give(&ft, 3, 4, 0, 1, ROOT), ERR_NONE); /* and frame 0 on to 4 */
    cr_assert_eq(ft_lender(&ft, 0, 0), 3, "the newest lender first");
    cr_assert_eq(ft_lender(&ft, 0, 1), 2);
    cr_assert_eq(ft_lender(&ft, 0, 2), 1);
    cr_assert_eq(ft_lender(&ft, 0, 3), FT_NO_TASK);
    cr_assert_eq(ft_lender(&ft, 0, FT_LENDERS), FT_NO_TASK, "past the last lender");
    cr_assert_eq(ft_lender(&ft, 1, 0), 2);
    cr_assert_eq(ft_lender(&ft, 1, 1), 1);
    end(4, ROOT);
    cr_assert_eq(ft_owner(&ft, 0), 3, "back to the task that gave it");
    cr_assert_eq(ft_lender(&ft, 0, 0), 2, "which owes it to its own lender still");
    cr_assert_eq(ft_lender(&ft, 0, 1), 1);
    end(3, ROOT);
    cr_assert_eq(ft_owner(&ft, 0), 2);
    cr_assert_eq(ft_owner(&ft, 1), 2);
    cr_assert_eq(ft_lender(&ft, 0, 0), 1);
    cr_assert_eq(ft_lender(&ft, 1, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 1), FT_NO_TASK);
    end(2, ROOT);
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_owner(&ft, 1), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK, "no lender is left behind");
    cr_assert_eq(ft_lender(&ft, 1, 0), FT_NO_TASK);
}

Test(frametable, a_lender_ending_first_passes_its_claim_back)
{
    ft_set_owner(&ft, 0, 1, 1);
    cr_assert_eq(ft_give(&ft, 1, 5, 0, 1, ROOT), ERR_NONE);    /* 1 lends to 5 */
    cr_assert_eq(ft_give(&ft, 5, 6, 0, 1, ROOT), ERR_NONE);    /* 5 to 6 */
    cr_assert_eq(ft_give(&ft, 6, 7, 0, 1, ROOT), ERR_NONE);    /* 6 to 7 */
    end(6, ROOT);                                              /* the middle one ends */
    cr_assert_eq(ft_owner(&ft, 0), 7);
    cr_assert_eq(ft_lender(&ft, 0, 0), 5, "7 now owes it to 5, which lent it to 6");
    cr_assert_eq(ft_lender(&ft, 0, 1), 1);
    cr_assert_eq(ft_lender(&ft, 0, 2), FT_NO_TASK);
    end(5, ROOT);
    cr_assert_eq(ft_lender(&ft, 0, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 1), FT_NO_TASK);
    end(7, ROOT);
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK);
    for (ft_holder gone = 5; gone <= 7; gone++)
        cr_assert_eq(ft_next_of(&ft, gone, 0, ft.frames), ft.frames, "no ended holder is left anywhere");
}

Test(frametable, giving_back_to_the_lender_returns_the_loan)
{
    ft_set_owner(&ft, 0, 1, 1);
    ft_give(&ft, 1, 2, 0, 1, ROOT);
    ft_give(&ft, 2, 3, 0, 1, ROOT);
    cr_assert_eq(ft_give(&ft, 3, 2, 0, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), 2);
    cr_assert_eq(ft_lender(&ft, 0, 0), 1, "2's own lender again, not 3");
    cr_assert_eq(ft_lender(&ft, 0, 1), FT_NO_TASK);
    cr_assert_eq(ft_give(&ft, 2, 1, 0, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK, "all the way back");
    cr_assert_eq(ft_next_of(&ft, 3, 0, ft.frames), ft.frames);
    cr_assert_eq(ft_next_of(&ft, 2, 0, ft.frames), ft.frames);
}

Test(frametable, a_cycle_of_lenders_collapses_when_one_ends)
{
    ft_set_owner(&ft, 0, 1, 1);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 1, ROOT), ERR_NONE);   /* 1 -> 2 */
    cr_assert_eq(ft_give(&ft, 2, 3, 0, 1, ROOT), ERR_NONE);   /* 2 -> 3 */
    cr_assert_eq(ft_give(&ft, 3, 1, 0, 1, ROOT), ERR_NONE);   /* 3 -> 1: holders 1, 3, 2, 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), 3);
    cr_assert_eq(ft_lender(&ft, 0, 1), 2);
    cr_assert_eq(ft_lender(&ft, 0, 2), 1);
    end(3, 9);                                                /* holders 1, 2, 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), 2);
    cr_assert_eq(ft_lender(&ft, 0, 1), 1);
    end(2, 9);                                                /* 1, 1: one 1 */
    cr_assert_eq(ft_owner(&ft, 0), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK, "never its own lender");
}

Test(frametable, a_cycle_collapses_when_its_owner_ends)
{
    ft_set_owner(&ft, 0, 1, 1);
    ft_give(&ft, 1, 2, 0, 1, ROOT);
    ft_give(&ft, 2, 3, 0, 1, ROOT);
    ft_give(&ft, 3, 1, 0, 1, ROOT);                           /* holders 1, 3, 2, 1 */
    end(1, ROOT);                                             /* 1 leaves everywhere: 3, 2 */
    cr_assert_eq(ft_owner(&ft, 0), 3, "back to the task that gave it to 1");
    cr_assert_eq(ft_lender(&ft, 0, 0), 2);
    cr_assert_eq(ft_lender(&ft, 0, 1), FT_NO_TASK, "the ended holder is not kept further back");
    cr_assert_eq(ft_next_of(&ft, 1, 0, ft.frames), ft.frames);
}

Test(frametable, a_give_beyond_FT_LENDERS_deep_is_refused_and_changes_nothing)
{
    /* Frames 2..3 go 1 -> 2 -> ... -> FT_LENDERS + 1: they remember FT_LENDERS givers. */
    ft_set_owner(&ft, 0, 4, 1);
    for (ft_holder t = 1; t <= FT_LENDERS; t++)
        cr_assert_eq(ft_give(&ft, t, t + 1, 2, 2, ROOT), ERR_NONE, "give %lu", (unsigned long)t);
    ft_holder last = FT_LENDERS + 1;
    ft_set_owner(&ft, 0, 2, last);                    /* frames 0..1: last's own, no lender */
    for (uint32_t f = 2; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), last);
        for (uint32_t i = 0; i < FT_LENDERS; i++)
            cr_assert_eq(ft_lender(&ft, f, i), last - 1 - i, "frame %u lender %u", f, i);
    }
    cr_assert_eq(ft_give(&ft, last, last + 1, 3, 1, ROOT), ERR_NO_MEMORY,
                 "frame 3 already remembers FT_LENDERS givers");
    cr_assert_eq(ft_give(&ft, last, last + 1, 0, 4, ROOT), ERR_NO_MEMORY,
                 "frames 0..1 have room, 2..3 have not");
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), last, "all or nothing: frame %u", f);
        for (uint32_t i = 0; i < FT_LENDERS; i++)
            cr_assert_eq(ft_lender(&ft, f, i), f < 2 ? FT_NO_TASK : last - 1 - i,
                         "frame %u lender %u unchanged", f, i);
    }
    /* Giving to oneself and giving back to the lender need no room. */
    cr_assert_eq(ft_give(&ft, last, last, 0, 4, ROOT), ERR_NONE);
    cr_assert_eq(ft_give(&ft, last, last - 1, 3, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 3), last - 1);
    cr_assert_eq(ft_lender(&ft, 3, 0), last - 2);
    cr_assert_eq(ft_lender(&ft, 3, FT_LENDERS - 1), FT_NO_TASK);
    cr_assert_eq(ft_give(&ft, last - 1, 50, 3, 1, ROOT), ERR_NONE, "room for one again");
    cr_assert_eq(ft_lender(&ft, 3, 0), last - 1);
    cr_assert_eq(ft_give(&ft, last, last + 1, 0, 2, ROOT), ERR_NONE, "frames with room go");
    cr_assert_eq(ft_lender(&ft, 0, 0), last);
    /* Everyone ends: frames 2..3 go back to task 1; 0..1, which last owned
     * outright, to the root. */
    for (ft_holder t = last + 2; t-- > 2;)
        end(t, ROOT);
    end(50, ROOT);
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), f < 2 ? ROOT : 1, "frame %u", f);
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK);
    }
}

Test(frametable, a_full_frame_can_still_be_given_by_the_root)
{
    /* The root owning a frame with a full list of lenders (a cycle) gives it
     * on without recording itself. */
    ft_set_owner(&ft, 0, 1, ROOT);
    ft_give(&ft, ROOT, 1, 0, 1, ROOT);                        /* no lender */
    for (ft_holder t = 1; t <= FT_LENDERS; t++)
        cr_assert_eq(ft_give(&ft, t, t == FT_LENDERS ? ROOT : t + 1, 0, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), ROOT);
    cr_assert_neq(ft_lender(&ft, 0, FT_LENDERS - 1), FT_NO_TASK, "full");
    cr_assert_eq(ft_give(&ft, ROOT, 77, 0, 1, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), 77);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_LENDERS, "the root is not among them");
    for (uint32_t i = 0; i < FT_LENDERS; i++)
        cr_assert_neq(ft_lender(&ft, 0, i), ROOT);
}

Test(frametable, frames_never_return_to_the_ended_task)
{
    ft_set_owner(&ft, 0, 1, 3);
    cr_assert_not_null(chunk[0], "a single frame makes its chunk");
    chunk[0][0].lender[0] = 3;                        /* however it came about */
    end(3, 9);
    cr_assert_eq(ft_owner(&ft, 0), 9, "to the root, not to its own id");
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK);
}

/* ------------------------------------------------------------ uniform chunks */

Test(frametable, setting_a_whole_absent_chunk_costs_nothing)
{
    ft_set_owner(&ft, FT_CHUNK_FRAMES, 2 * FT_CHUNK_FRAMES, 5);  /* chunks 1 and 2 exactly */
    cr_assert_eq(chunk_pages, 0, "no chunk page for a whole chunk");
    cr_assert_null(chunk[1]);
    cr_assert_null(chunk[2]);
    cr_assert_eq(uniform[1], 5);
    cr_assert_eq(uniform[2], 5);
    cr_assert_eq(uniform[0], FT_NO_TASK);
    cr_assert_eq(uniform[3], FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, FT_CHUNK_FRAMES - 1), FT_NO_TASK);
    for (uint32_t f = FT_CHUNK_FRAMES; f < 3 * FT_CHUNK_FRAMES; f++)
        cr_assert_eq(ft_owner(&ft, f), 5, "frame %u", f);
    cr_assert_eq(ft_owner(&ft, 3 * FT_CHUNK_FRAMES), FT_NO_TASK);

    ft_set_owner(&ft, 0, FRAMES, 6);                  /* everything: the tail chunk is partial */
    cr_assert_eq(chunk_pages, 1, "only the partial last chunk is made");
    cr_assert_not_null(chunk[3]);
    for (uint32_t c = 0; c < 3; c++)
        cr_assert_eq(uniform[c], 6);
    for (uint32_t f = 0; f < FRAMES; f++)
        cr_assert_eq(ft_owner(&ft, f), 6, "frame %u", f);
}

Test(frametable, a_range_off_the_chunk_boundary_makes_the_chunks_it_splits)
{
    ft_set_owner(&ft, 1, FT_CHUNK_FRAMES, 5);          /* the end of chunk 0, the start of 1 */
    cr_assert_eq(chunk_pages, 2);
    cr_assert_eq(ft_owner(&ft, 0), FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, 1), 5);
    cr_assert_eq(ft_owner(&ft, FT_CHUNK_FRAMES), 5);
    cr_assert_eq(ft_owner(&ft, FT_CHUNK_FRAMES + 1), FT_NO_TASK);
}

Test(frametable, a_write_to_one_frame_materializes_the_chunk_with_the_uniform_owner)
{
    ft_set_owner(&ft, FT_CHUNK_FRAMES, FT_CHUNK_FRAMES, 5);
    cr_assert_eq(chunk_pages, 0);
    uint32_t f = FT_CHUNK_FRAMES + 7;
    cr_assert_eq(ft_give(&ft, 5, 8, f, 1, ROOT), ERR_NONE);
    cr_assert_eq(chunk_pages, 1, "a frame differing from its chunk makes the chunk");
    cr_assert_not_null(chunk[1]);
    for (uint32_t g = FT_CHUNK_FRAMES; g < 2 * FT_CHUNK_FRAMES; g++) {
        if (g == f)
            continue;
        cr_assert_eq(ft_owner(&ft, g), 5, "frame %u keeps the chunk's owner", g);
        cr_assert_eq(ft_lender(&ft, g, 0), FT_NO_TASK);
        cr_assert_eq(ft_mapping_count(&ft, g), 0);
    }
    cr_assert_eq(ft_owner(&ft, f), 8);
    cr_assert_eq(ft_lender(&ft, f, 0), 5);

    /* Once made, setting the whole chunk writes every frame. */
    ft_set_owner(&ft, FT_CHUNK_FRAMES, FT_CHUNK_FRAMES, 9);
    cr_assert_eq(chunk_pages, 1);
    for (uint32_t g = FT_CHUNK_FRAMES; g < 2 * FT_CHUNK_FRAMES; g++) {
        cr_assert_eq(ft_owner(&ft, g), 9);
        cr_assert_eq(ft_lender(&ft, g, 0), FT_NO_TASK, "set_owner forgets the lenders");
    }
}

Test(frametable, a_mapping_materializes_the_chunk_too)
{
    ft_set_owner(&ft, 0, FT_CHUNK_FRAMES, 5);
    add(3, 5, 0x3000, 1);
    cr_assert_eq(chunk_pages, 1);
    for (uint32_t g = 0; g < FT_CHUNK_FRAMES; g++)
        cr_assert_eq(ft_owner(&ft, g), 5);
    cr_assert_eq(ft_mapping_count(&ft, 3), 1);
}

Test(frametable, give_of_a_whole_uniform_chunk_and_reading_it)
{
    ft_set_owner(&ft, 0, 2 * FT_CHUNK_FRAMES, 5);
    cr_assert_eq(ft_give(&ft, 5, 6, 0, 2 * FT_CHUNK_FRAMES, ROOT), ERR_NONE);
    for (uint32_t g = 0; g < 2 * FT_CHUNK_FRAMES; g++) {
        cr_assert_eq(ft_owner(&ft, g), 6);
        cr_assert_eq(ft_lender(&ft, g, 0), 5);
    }
    cr_assert_eq(ft_give(&ft, 5, 6, 0, 1, ROOT), ERR_NOT_OWNER);
    end(6, ROOT);
    for (uint32_t g = 0; g < 2 * FT_CHUNK_FRAMES; g++)
        cr_assert_eq(ft_owner(&ft, g), 5);
}

Test(frametable, a_refused_give_makes_no_chunk)
{
    ft_set_owner(&ft, 0, FT_CHUNK_FRAMES, 5);
    cr_assert_eq(ft_give(&ft, 6, 7, 0, 1, ROOT), ERR_NOT_OWNER);
    cr_assert_eq(ft_give(&ft, 5, 5, 0, 4, ROOT), ERR_NONE);
    cr_assert_eq(chunk_pages, 0, "checking and giving to oneself change nothing");
    cr_assert_null(chunk[0]);
}

/* ------------------------------------------------------------ next_of */

Test(frametable, next_of_finds_owned_and_lent_frames)
{
    ft_set_owner(&ft, 10, 1, 2);
    ft_set_owner(&ft, 20, 1, 1);
    ft_give(&ft, 1, 3, 20, 1, ROOT);                          /* 1 still holds 20: lent */
    cr_assert_eq(ft_next_of(&ft, 2, 0, ft.frames), 10);
    cr_assert_eq(ft_next_of(&ft, 2, 10, ft.frames), 10, "from is included");
    cr_assert_eq(ft_next_of(&ft, 2, 11, ft.frames), ft.frames);
    cr_assert_eq(ft_next_of(&ft, 1, 0, ft.frames), 20, "a lender holds what it lent");
    cr_assert_eq(ft_next_of(&ft, 3, 0, ft.frames), 20);
    cr_assert_eq(ft_next_of(&ft, 1, 0, 20), 20, "limit is excluded");
    cr_assert_eq(ft_next_of(&ft, 1, 0, 15), 15);
    cr_assert_eq(ft_next_of(&ft, 2, 11, FRAMES + 100), ft.frames, "the limit is clipped");
    cr_assert_eq(ft_next_of(&ft, 4, 0, ft.frames), ft.frames);
}

Test(frametable, next_of_skips_uniform_chunks_of_other_holders)
{
    ft_set_owner(&ft, 0, FT_CHUNK_FRAMES, 7);                 /* chunk 0: 7's, uniform */
    ft_set_owner(&ft, FT_CHUNK_FRAMES, FT_CHUNK_FRAMES, 8);   /* chunk 1: 8's, uniform */
    uint32_t f = 2 * FT_CHUNK_FRAMES + 5;
    ft_set_owner(&ft, f, 1, 8);                               /* chunk 2: one frame 8's */
    unsigned made = chunk_pages;
    cr_assert_eq(made, 1);
    cr_assert_eq(ft_next_of(&ft, 8, 0, ft.frames), FT_CHUNK_FRAMES);
    cr_assert_eq(ft_next_of(&ft, 8, FT_CHUNK_FRAMES + 3, ft.frames), FT_CHUNK_FRAMES + 3);
    cr_assert_eq(ft_next_of(&ft, 8, 2 * FT_CHUNK_FRAMES, ft.frames), f);
    cr_assert_eq(ft_next_of(&ft, 8, f + 1, ft.frames), ft.frames);
    cr_assert_eq(ft_next_of(&ft, 7, 5, ft.frames), 5, "a uniform chunk of its own");
    cr_assert_eq(ft_next_of(&ft, 7, FT_CHUNK_FRAMES, ft.frames), ft.frames);
    cr_assert_eq(ft_next_of(&ft, 9, 0, ft.frames), ft.frames);
    cr_assert_eq(ft_next_of(&ft, 8, 3, FT_CHUNK_FRAMES - 1), FT_CHUNK_FRAMES - 1,
                 "skipping a chunk stops at the limit");
    cr_assert_eq(chunk_pages, made, "next_of makes nothing");
}

/* ------------------------------------------------------------ the reverse map */

Test(frametable, mappings_listed_and_removed)
{
    struct ft_rmap *e1 = add(5, 1, 0x1000, 1);
    struct ft_rmap *e2 = add(5, 2, 0x2000, 0);
    add(5, 2, 0x3000, 0);
    cr_assert_eq(ft.mappings, 3);
    cr_assert_eq(ft_mapping_count(&ft, 5), 3);
    cr_assert_eq(ft_mapped_by(&ft, 5, 1), 2, "writable");
    cr_assert_eq(ft_mapped_by(&ft, 5, 2), 1, "read-only");
    cr_assert_eq(ft_mapped_by(&ft, 5, 3), 0);
    cr_assert_eq(ft_mapping_at(&ft, 5, 1, 0x1000), 2);
    cr_assert_eq(ft_mapping_at(&ft, 5, 2, 0x3000), 1);
    cr_assert_eq(ft_mapping_at(&ft, 5, 2, 0x1000), 0, "another task's page");
    cr_assert_eq(ft_mapping_at(&ft, 6, 1, 0x1000), 0, "another frame");

    cr_assert_eq(unlinked(5, 2, 0x2000), e2, "the entry given comes back");
    free_entry(e2);
    cr_assert_eq(ft_mapping_count(&ft, 5), 2);
    cr_assert_eq(ft.mappings, 2);
    cr_assert_null(unlinked(5, 2, 0x9000), "not there: nothing happens");
    cr_assert_null(unlinked(5, 3, 0x1000));
    cr_assert_null(unlinked(6, 1, 0x1000));
    cr_assert_null(unlinked(FRAMES + 1, 1, 0x1000));
    cr_assert_eq(ft_mapping_count(&ft, 5), 2);
    cr_assert_eq(ft.mappings, 2);
    cr_assert_eq(unlinked(5, 1, 0x1000), e1);
    free_entry(e1);
    cr_assert_eq(ft_mapped_by(&ft, 5, 1), 0);
    cr_assert_eq(ft.mappings, 1);
}

Test(frametable, the_mapping_list_is_the_entries_given)
{
    struct ft_rmap *e[3] = { add(9, 1, 0x1000, 0), add(9, 2, 0x2000, 1), add(9, 3, 0x3000, 0) };
    unsigned seen = 0, n = 0;
    for (const struct ft_rmap *m = ft_mappings(&ft, 9); m; m = m->next, n++)
        for (unsigned i = 0; i < 3; i++)
            if (m == e[i])
                seen |= 1u << i;
    cr_assert_eq(n, 3);
    cr_assert_eq(seen, 7);
    cr_assert_null(ft_mappings(&ft, FRAMES + 3));
}

Test(frametable, best_rights_win)
{
    add(7, 4, 0x1000, 0);
    add(7, 4, 0x2000, 1);
    cr_assert_eq(ft_mapped_by(&ft, 7, 4), 2);
    cr_assert(removed(7, 4, 0x2000));
    cr_assert_eq(ft_mapped_by(&ft, 7, 4), 1);
}

Test(frametable, untracked_frames_are_not_recorded)
{
    struct ft_rmap e;
    memset(&e, 0x5A, sizeof e);
    struct ft_rmap before = e;
    cr_assert_eq(ft_map_add(&ft, FRAMES + 5, 1, 0x1000, 1, &e), 0);
    cr_assert_eq(memcmp(&e, &before, sizeof e), 0, "the entry is not used");
    cr_assert_eq(ft.mappings, 0);
    cr_assert_eq(ft_mapping_count(&ft, FRAMES + 5), 0);
    cr_assert_eq(ft_mapped_by(&ft, FRAMES + 5, 1), 0);
    cr_assert_null(ft_map_pop(&ft, FRAMES + 5));
    cr_assert_eq(chunk_pages, 0);
}

Test(frametable, many_mappings_have_no_pool_to_run_out_of)
{
    enum { N = 200 };
    for (uint32_t i = 0; i < N; i++)
        add(i % 3, 1, i * 0x1000, 0);
    cr_assert_eq(ft.mappings, N);
    cr_assert(removed(0, 1, 0));
    cr_assert_eq(ft.mappings, N - 1);
}

Test(frametable, revoke_removes_every_mapping)
{
    add(9, 1, 0x1000, 1);
    add(9, 2, 0x5000, 0);
    add(9, 3, 0x7000, 0);
    add(10, 3, 0x8000, 0);
    struct ft_rmap *e;
    uint32_t n = 0, seen = 0;
    while ((e = ft_map_pop(&ft, 9))) {
        n++;
        seen |= 1u << e->task;
        cr_assert_eq(ft_rmap_va(e), e->task == 1 ? 0x1000u : e->task == 2 ? 0x5000u : 0x7000u);
        free_entry(e);
    }
    cr_assert_eq(n, 3);
    cr_assert_eq(seen, 0xE, "tasks 1, 2 and 3");
    cr_assert_eq(ft_mapping_count(&ft, 9), 0);
    cr_assert_eq(ft_mapping_count(&ft, 10), 1, "other frames keep theirs");
    cr_assert_eq(ft.mappings, 1);
    cr_assert_null(ft_map_pop(&ft, 9));
    cr_assert_null(ft_map_pop(&ft, 11), "an unmapped frame");
    cr_assert_null(ft_map_pop(&ft, 2 * FT_CHUNK_FRAMES), "an unmapped frame in a uniform chunk");
}

Test(frametable, rights_of_one_mapping_change_in_place)
{
    ft_set_owner(&ft, 0, 1, 1);
    add(0, 2, 0x1000, 1);
    add(0, 2, 0x2000, 0);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 2);
    ft_map_set_writable(&ft, 0, find(0, 2, 0x1000), 0);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 1, "no writable mapping left: shares stay read-only");
    cr_assert_eq(ft_mapping_at(&ft, 0, 2, 0x1000), 1);
    ft_map_set_writable(&ft, 0, find(0, 2, 0x2000), 1);
    cr_assert_eq(ft_mapped_by(&ft, 0, 2), 2);
    cr_assert_eq(ft_mapping_at(&ft, 0, 2, 0x2000), 2);
    cr_assert_null(find(0, 2, 0x3000));
    cr_assert_null(find(5, 2, 0x1000));
    cr_assert_eq(ft_mapping_count(&ft, 0), 2);
    cr_assert_eq(ft_mapping_at(&ft, 0, 2, 0x1000), 1);
    cr_assert_eq(chunk_pages, 1);
}

Test(frametable, set_owner_keeps_the_mappings)
{
    ft_set_owner(&ft, 4, 1, 1);
    add(4, 2, 0x4000, 1);
    ft_set_owner(&ft, 0, FT_CHUNK_FRAMES, 3);           /* a made chunk: frame by frame */
    cr_assert_eq(ft_owner(&ft, 4), 3);
    cr_assert_eq(ft_mapping_count(&ft, 4), 1);
    cr_assert_eq(ft_mapping_at(&ft, 4, 2, 0x4000), 2);
}

/* ------------------------------------------------------------ holders ending */

Test(frametable, task_end_returns_frames_and_unmaps_shares)
{
    ft_set_owner(&ft, 0, 4, 1);                             /* task 1's */
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 2, ROOT), ERR_NONE); /* 0, 1 lent to task 2 */
    ft_set_owner(&ft, 8, 1, 2);                             /* 8 is task 2's own */
    cr_assert_eq(ft_give(&ft, 2, 3, 8, 1, ROOT), ERR_NONE); /* and lent on to task 3 */
    add(0, 2, 0x1000, 1);                                   /* task 2's own mapping: already removed */
    cr_assert(removed(0, 2, 0x1000));
    add(1, 3, 0x2000, 0);                                   /* shared on with task 3 */
    add(1, 4, 0x3000, 0);                                   /* and task 4 */
    add(8, 3, 0x8000, 1);                                   /* task 3's own frame now */
    undone_count = 0;
    cr_assert_eq(end(2, ROOT), 2, "the mappings undone");
    cr_assert_eq(undone_count, 2, "every share of its frames is undone");
    unsigned seen = 0;
    for (unsigned i = 0; i < undone_count; i++) {
        if (undone[i].task == 3 && undone[i].va == 0x2000)
            seen |= 1;
        if (undone[i].task == 4 && undone[i].va == 0x3000)
            seen |= 2;
    }
    cr_assert_eq(seen, 3, "each entry was handed to unmap");
    cr_assert_eq(ft_mapping_count(&ft, 1), 0);
    cr_assert_eq(ft.mappings, 1);
    cr_assert_eq(ft_owner(&ft, 0), 1, "back to its lender");
    cr_assert_eq(ft_owner(&ft, 1), 1);
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, 8), 3, "task 3 keeps what it was given");
    cr_assert_eq(ft_lender(&ft, 8, 0), FT_NO_TASK, "and it goes to the root, not to a reused 2");
    cr_assert_eq(ft_mapping_count(&ft, 8), 1, "a frame it only lent keeps its mappings");
    cr_assert_eq(ft_next_of(&ft, 2, 0, ft.frames), ft.frames);
    undone_count = 0;
    cr_assert_eq(end(3, ROOT), 1);
    cr_assert_eq(undone[0].task, 3);
    cr_assert_eq(undone[0].va, 0x8000);
    cr_assert_eq(ft_owner(&ft, 8), ROOT);
    cr_assert_eq(ft.mappings, 0);
}

Test(frametable, task_end_of_a_uniform_chunk_returns_it_to_the_root)
{
    ft_set_owner(&ft, 0, 2 * FT_CHUNK_FRAMES, 4);            /* uniform chunks of task 4's */
    ft_set_owner(&ft, 2 * FT_CHUNK_FRAMES, FT_CHUNK_FRAMES, 5);
    add(FT_CHUNK_FRAMES + 2, 4, 0x5000, 1);
    add(FT_CHUNK_FRAMES + 2, 6, 0x6000, 0);
    undone_count = 0;
    cr_assert_eq(end(4, ROOT), 2);
    for (uint32_t f = 0; f < 2 * FT_CHUNK_FRAMES; f++)
        cr_assert_eq(ft_owner(&ft, f), ROOT, "frame %u", f);
    for (uint32_t f = 2 * FT_CHUNK_FRAMES; f < 3 * FT_CHUNK_FRAMES; f++)
        cr_assert_eq(ft_owner(&ft, f), 5, "another holder's chunk is untouched");
    cr_assert_eq(ft.mappings, 0);
    cr_assert_eq(ft_next_of(&ft, 4, 0, ft.frames), ft.frames);
}

Test(frametable, task_end_only_covers_its_range)
{
    ft_set_owner(&ft, 0, 10, 1);
    ft_give(&ft, 1, 2, 0, 10, ROOT);
    add(3, 5, 0x3000, 0);
    add(7, 5, 0x7000, 0);
    undone_count = 0;
    cr_assert_eq(ft_task_ended(&ft, 2, ROOT, 0, 5, record_unmap, &ft), 1);
    for (uint32_t f = 0; f < 5; f++)
        cr_assert_eq(ft_owner(&ft, f), 1);
    for (uint32_t f = 5; f < 10; f++)
        cr_assert_eq(ft_owner(&ft, f), 2, "outside the range");
    cr_assert_eq(ft_mapping_count(&ft, 7), 1);
    cr_assert_eq(ft_task_ended(&ft, 2, ROOT, 5, FRAMES, record_unmap, &ft), 1,
                 "a range past the end is clipped");
    for (uint32_t f = 0; f < 10; f++)
        cr_assert_eq(ft_owner(&ft, f), 1);
}

Test(frametable, task_end_unmaps_the_owners_frames_and_returns_them_along_the_chain)
{
    /* Task 1 lends frames 0..3 to 2, which lends 2..3 on to 3; 3 maps them
     * and shares them with 4; 2 maps 0..1 and shares with 4. */
    ft_set_owner(&ft, 0, 4, 1);
    ft_give(&ft, 1, 2, 0, 4, ROOT);
    ft_give(&ft, 2, 3, 2, 2, ROOT);
    add(0, 4, 0x10000, 0);
    add(1, 4, 0x11000, 1);
    add(2, 3, 0x2000, 1);
    add(3, 3, 0x3000, 1);
    add(3, 4, 0x13000, 0);
    /* 3 ends (its own mappings of its own frames are undone with the rest). */
    undone_count = 0;
    cr_assert_eq(end(3, ROOT), 3);
    cr_assert_eq(ft_owner(&ft, 2), 2);
    cr_assert_eq(ft_owner(&ft, 3), 2);
    cr_assert_eq(ft_lender(&ft, 3, 0), 1);
    cr_assert_eq(ft_mapping_count(&ft, 0), 1, "frames 3 did not own keep their mappings");
    cr_assert_eq(ft_mapping_count(&ft, 1), 1);
    cr_assert_eq(ft.mappings, 2);
    /* 1, the first lender, ends: 2 keeps them, and they go to the root after. */
    undone_count = 0;
    cr_assert_eq(end(1, ROOT), 0, "1 owned none of them");
    for (uint32_t f = 0; f < 4; f++) {
        cr_assert_eq(ft_owner(&ft, f), 2);
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK);
    }
    cr_assert_eq(end(2, ROOT), 2);
    for (uint32_t f = 0; f < 4; f++)
        cr_assert_eq(ft_owner(&ft, f), ROOT);
    cr_assert_eq(ft.mappings, 0);
}

Test(frametable, a_lends_to_b_b_to_c_c_to_a)
{
    /* Frames of A's go round: A -> B -> C -> A, and each one ends in turn. */
    enum { A = 11, B = 12, C = 13 };
    ft_set_owner(&ft, 0, 3, A);
    cr_assert_eq(ft_give(&ft, A, B, 0, 3, ROOT), ERR_NONE);
    cr_assert_eq(ft_give(&ft, B, C, 0, 3, ROOT), ERR_NONE);
    cr_assert_eq(ft_give(&ft, C, A, 0, 3, ROOT), ERR_NONE);
    cr_assert_eq(ft_owner(&ft, 0), A);
    add(0, A, 0x1000, 1);
    add(1, B, 0x2000, 0);
    undone_count = 0;
    end(B, ROOT);                                           /* A, C, A: no B anywhere */
    cr_assert_eq(ft_owner(&ft, 0), A);
    cr_assert_eq(ft_lender(&ft, 0, 0), C);
    cr_assert_eq(ft_lender(&ft, 0, 1), A);
    cr_assert_eq(ft_lender(&ft, 0, 2), FT_NO_TASK);
    cr_assert_eq(ft_next_of(&ft, B, 0, ft.frames), ft.frames);
    cr_assert_eq(ft_mapping_count(&ft, 1), 1, "B did not own the frame: its mapping is A's to undo");
    cr_assert(removed(1, B, 0x2000));
    end(C, ROOT);                                           /* A, A: A */
    for (uint32_t f = 0; f < 3; f++) {
        cr_assert_eq(ft_owner(&ft, f), A);
        cr_assert_eq(ft_lender(&ft, f, 0), FT_NO_TASK);
    }
    cr_assert_eq(end(A, ROOT), 1);
    for (uint32_t f = 0; f < 3; f++)
        cr_assert_eq(ft_owner(&ft, f), ROOT);
}

Test(frametable, unlinking_takes_the_entry_wherever_it_is)
{
    ft_set_owner(&ft, 3, 1, 1);
    struct ft_rmap *e[5];
    for (uint32_t i = 0; i < 5; i++)
        e[i] = add(3, 2, 0x1000 * (i + 1), 0);
    ft_map_unlink(&ft, 3, e[2]);                          /* the middle */
    free_entry(e[2]);
    ft_map_unlink(&ft, 3, e[4]);                          /* the first (newest) */
    free_entry(e[4]);
    ft_map_unlink(&ft, 3, e[0]);                          /* the last */
    free_entry(e[0]);
    cr_assert_eq(ft_mapping_count(&ft, 3), 2);
    cr_assert_eq(ft.mappings, 2);
    cr_assert_eq(ft_mappings(&ft, 3), e[3]);
    cr_assert_eq(e[3]->next, e[1]);
    cr_assert_eq(e[1]->prev, e[3]);
    cr_assert_null(e[3]->prev);
    cr_assert_null(e[1]->next);
}

Test(frametable, a_sharer_node_per_task_counts_its_mappings)
{
    ft_set_owner(&ft, 7, 1, 1);
    struct ft_rmap *a = add(7, 2, 0x1000, 0);
    add(7, 2, 0x2000, 1);
    add(7, 3, 0x1000, 0);
    cr_assert_eq(live_sharers, 2, "one node for each task that maps it");
    const struct ft_sharer *s = ft_sharer(&ft, 7, 2);
    cr_assert_not_null(s);
    cr_assert_eq(s->maps, 2);
    cr_assert_eq(s->writable, 1);
    cr_assert_eq(ft_mapped_by(&ft, 7, 2), 2);
    cr_assert_eq(ft_mapped_by(&ft, 7, 3), 1);
    cr_assert_eq(removed(7, 2, 0x2000), 1);
    cr_assert_eq(ft_mapped_by(&ft, 7, 2), 1, "its writable mapping went");
    ft_map_set_writable(&ft, 7, a, 1);
    cr_assert_eq(ft_mapped_by(&ft, 7, 2), 2);
    cr_assert_eq(removed(7, 2, 0x1000), 1);
    cr_assert_null(ft_sharer(&ft, 7, 2), "its last mapping took the node with it");
    cr_assert_eq(live_sharers, 1);
}

Test(frametable, no_sharer_node_no_mapping)
{
    ft_set_owner(&ft, 8, 1, 1);
    add(8, 2, 0x1000, 0);
    sharer_limit = (int)live_sharers;
    struct ft_rmap *e = new_entry();
    cr_assert_eq(ft_map_add(&ft, 8, 3, 0x1000, 0, e), -1, "a new task's node refused");
    free_entry(e);
    cr_assert_eq(ft_mapping_count(&ft, 8), 1, "nothing recorded");
    cr_assert_eq(ft_mapped_by(&ft, 8, 3), 0);
    add(8, 2, 0x2000, 0);                               /* a task with a node needs no new one */
    cr_assert_eq(ft_mapping_count(&ft, 8), 2);
}

/* ------------------------------------------------------------ holder counts */

/* What ft->held says each holder holds (its appearances in the frames'
 * sequences), and the span it says they lie in, as the kernel keeps them. */
#define HOLDERS 7                              /* 1..6, and the root */
static struct { int32_t held; uint32_t lo, hi; } told[HOLDERS + 1];

static unsigned holder_index(ft_holder h)
{
    return h == ROOT ? HOLDERS : (unsigned)h;
}

static void count_held(ft_holder h, int32_t delta, uint32_t frame)
{
    unsigned i = holder_index(h);
    cr_assert(i >= 1 && i <= HOLDERS, "a holder the test never named: %lu", (unsigned long)h);
    if (delta > 0) {
        if (told[i].held == 0 || frame < told[i].lo)
            told[i].lo = frame;
        if (told[i].held == 0 || frame + (uint32_t)delta > told[i].hi)
            told[i].hi = frame + (uint32_t)delta;
    }
    told[i].held += delta;
    cr_assert_geq(told[i].held, 0);
}

/* Every frame's sequence against the table's rules, and each holder's
 * count and span against the sequences themselves. */
static void check_sequences(const int ended[HOLDERS + 1])
{
    int32_t counted[HOLDERS + 1] = { 0 };
    for (uint32_t f = 0; f < FRAMES; f++) {
        ft_holder seq[FT_LENDERS + 1];
        seq[0] = ft_owner(&ft, f);
        for (uint32_t i = 0; i < FT_LENDERS; i++)
            seq[i + 1] = ft_lender(&ft, f, i);
        for (uint32_t i = 0; i <= FT_LENDERS; i++) {
            if (!seq[i]) {
                for (uint32_t j = i; j <= FT_LENDERS; j++)
                    cr_assert_eq(seq[j], FT_NO_TASK, "frame %u: nothing past the sequence's end", f);
                break;
            }
            unsigned h = holder_index(seq[i]);
            cr_assert(!ended[h], "frame %u: holder %u ended, yet is in its sequence", f, h);
            cr_assert(i == 0 || seq[i] != ROOT, "frame %u: the root recorded as a lender", f);
            cr_assert(i == 0 || seq[i] != seq[i - 1], "frame %u: a holder follows itself", f);
            counted[h]++;
            cr_assert(f >= told[h].lo && f < told[h].hi, "frame %u outside holder %u's span", f, h);
        }
    }
    for (unsigned h = 1; h <= HOLDERS; h++)
        cr_assert_eq(told[h].held, counted[h], "holder %u: told %d, holds %d", h, told[h].held, counted[h]);
}

static void drop_unmapped(struct ft_rmap *e, void *arg)
{
    (void)arg;
    free_entry(e);
}

Test(frametable, holder_counts_follow_random_gives_and_ends)   /* ft_owner_leaves too */
{
    int ended[HOLDERS + 1] = { 0 };
    memset(told, 0, sizeof told);
    ft.held = count_held;
    ft_set_owner(&ft, 0, FRAMES, ROOT);
    srand(4242);
    for (int step = 0; step < 5000; step++) {
        uint32_t first = (uint32_t)rand() % FRAMES, count = 1 + (uint32_t)rand() % 40;
        if (count > FRAMES - first)
            count = FRAMES - first;
        ft_holder a = 1 + (ft_holder)(rand() % 6), b = 1 + (ft_holder)(rand() % 6);
        switch (rand() % 8) {
        case 0:                                    /* a holder ends; its number may come back */
            if (rand() & 1) {
                ft_task_ended(&ft, a, ROOT, 0, FRAMES, drop_unmapped, 0);
            } else {                               /* as the kernel does: runs where it can */
                for (uint32_t f = 0; f < FRAMES;) {
                    uint32_t n = ft_owner_leaves(&ft, a, ROOT, f, 1 + (uint32_t)rand() % 50);
                    if (!n)
                        ft_task_ended(&ft, a, ROOT, f, 1, drop_unmapped, 0);
                    f += n ? n : 1;
                }
            }
            ended[holder_index(a)] = 1;
            check_sequences(ended);
            ended[holder_index(a)] = 0;
            continue;
        case 1:                                    /* the root gives */
            (void)ft_give(&ft, ROOT, a, first, count, ROOT);
            break;
        case 2:                                    /* a holder gives back to the root */
            (void)ft_give(&ft, a, ROOT, first, count, ROOT);
            break;
        default:                                   /* one holder gives to another */
            (void)ft_give(&ft, a, b, first, count, ROOT);
            break;
        }
        if (rand() % 50 == 0) {                    /* a mapping of a frame, gone at its owner's end */
            uint32_t f = (uint32_t)rand() % FRAMES;
            add(f, ft_owner(&ft, f) == ROOT ? a : ft_owner(&ft, f), 0x1000 * (1 + (uint32_t)step), 0);
        }
        check_sequences(ended);
    }
    for (ft_holder h = 1; h <= 6; h++)
        ft_task_ended(&ft, h, ROOT, 0, FRAMES, drop_unmapped, 0);
    check_sequences(ended);
    cr_assert_eq(told[HOLDERS].held, (int32_t)FRAMES, "every frame is the root's again");
}

Test(frametable, owner_leaves_a_run_and_stops_where_the_general_path_is_needed)
{
    ft_set_owner(&ft, 0, 8, ROOT);
    cr_assert_eq(ft_give(&ft, ROOT, 1, 0, 8, ROOT), ERR_NONE);
    cr_assert_eq(ft_give(&ft, 1, 2, 0, 8, ROOT), ERR_NONE);     /* 2 owns 0..7, lent by 1 */
    cr_assert_eq(ft_give(&ft, 2, 3, 6, 1, ROOT), ERR_NONE);     /* 2 lent 6 on to 3 */
    struct ft_rmap *e = add(3, 2, 0x5000, 1);                     /* 2 has 3 mapped */
    cr_assert_eq(ft_owner_leaves(&ft, 2, ROOT, 0, 100), 3, "0..2; 3 is mapped");
    cr_assert_eq(ft_owner(&ft, 0), 1, "back to its lender");
    cr_assert_eq(ft_lender(&ft, 0, 0), FT_NO_TASK);
    cr_assert_eq(ft_owner(&ft, 3), 2, "untouched");
    cr_assert_eq(removed(3, 2, 0x5000), 1);
    (void)e;
    cr_assert_eq(ft_owner_leaves(&ft, 2, ROOT, 3, 2), 2, "as many as asked: 3 and 4");
    cr_assert_eq(ft_owner(&ft, 5), 2);
    cr_assert_eq(ft_owner_leaves(&ft, 2, ROOT, 5, 100), 1, "6 is 3's, lent on by 2");
    cr_assert_eq(ft_owner_leaves(&ft, 2, ROOT, 6, 100), 0);
    end(2, ROOT);
    cr_assert_eq(ft_owner(&ft, 6), 3);
    cr_assert_eq(ft_lender(&ft, 6, 0), 1, "2 left the sequence");
    cr_assert_eq(ft_owner_leaves(&ft, 1, ROOT, 0, 100), 6, "1's own, up to 3's frame");
    cr_assert_eq(ft_owner(&ft, 0), ROOT, "no lender left: the root's");
}
