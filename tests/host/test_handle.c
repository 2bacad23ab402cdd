/*
 * Handle tables and the derivation tree (microkernel/handle.c), against the
 * contract of docs/ABI.md section 2: rights only shrink, badges are set once
 * and kept by copies, a stale number is refused even after its slot is
 * reused, and revoke deletes every handle derived from one, in any table.
 *
 * handle.c drops references through kobject_put(); the double below counts
 * the calls and records each object whose last reference went.  This is the
 * only host test file that defines kobject_put.  Tables grow a page at a time
 * from handle_page_alloc, which this file provides too.  Sizes come from the
 * macros: on a 64-bit host a handle is bigger than in the kernel, so a page
 * holds fewer and a table fewer pages' worth.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"

/* ------------------------------------------------------------ the kobject_put double */

#define DESTROYED_MAX 64

static unsigned put_calls;                             /* kobject_put calls */
static struct kobject *destroyed[DESTROYED_MAX];       /* refs reached 0: the first ones */
static unsigned destroyed_count;                       /* how many times refs reached 0 */

void kobject_put(struct kobject *obj)
{
    cr_assert_not_null(obj, "kobject_put(NULL)");
    cr_assert_gt(obj->refs, 0, "kobject_put on an object with no reference left");
    put_calls++;
    if (--obj->refs == 0 && destroyed_count++ < DESTROYED_MAX)
        destroyed[destroyed_count - 1] = obj;
}

/* handle.c tells the kernel when the last receiving handle of an object goes. */
static unsigned unreceivable_calls;
void kobject_unreceivable(struct kobject *obj)
{
    cr_assert_eq(obj->receivers, 0, "kobject_unreceivable with receivers left");
    unreceivable_calls++;
}

/* handle.c tells the kernel of each handle to an IRQ or port range that
 * enters or leaves a task's table: the doubles keep count per table owner,
 * and can refuse entry (the kernel's ERR_NO_MEMORY). */
static int entered, left;              /* net per owner is what matters: see below */
static struct kobject *last_owner;
static struct handle *last_left;
static enum relay_error refuse_entry;
enum relay_error kobject_handle_entering(struct kobject *obj, struct kobject *owner)
{
    cr_assert(KOBJ_TRACKED(obj->type), "only tracked kinds are told of");
    if (refuse_entry)
        return refuse_entry;
    entered++;
    last_owner = owner;
    return ERR_NONE;
}
void kobject_handle_leaving(struct kobject *obj, struct handle *h, struct kobject *owner)
{
    cr_assert(KOBJ_TRACKED(obj->type), "only tracked kinds are told of");
    cr_assert_eq(h->obj, obj, "told while the handle still names its object");
    left++;
    last_owner = owner;
    last_left = h;
}

static unsigned times_destroyed(const struct kobject *obj)
{
    unsigned n = 0;
    cr_assert_leq(destroyed_count, DESTROYED_MAX, "the record overflowed");
    for (unsigned i = 0; i < destroyed_count; i++)
        n += destroyed[i] == obj;
    return n;
}

/* ------------------------------------------------------------ the page provider */

/*
 * handle.c grows a table a page at a time through handle_page_alloc (the
 * kernel: the task's factory).  Here: aligned_alloc, every page recorded so
 * that each one freed is known to be one given to that table, with a limit
 * on the pages a table may hold, so that tests can run it out of memory.
 */
struct page_record {
    void *page;
    const struct handle_table *t;
};

static struct page_record *page_rec;      /* the pages given out and not yet back */
static size_t pages_live, page_rec_cap;
static unsigned page_allocs, page_frees, page_refusals;
static int page_limit = -1;                /* pages one table may hold at once; -1: no limit */

static unsigned pages_held(const struct handle_table *t)
{
    unsigned n = 0;
    for (size_t i = 0; i < pages_live; i++)
        n += page_rec[i].t == t;
    return n;
}

void *handle_page_alloc(struct handle_table *t)
{
    cr_assert_not_null(t);
    if (page_limit >= 0 && pages_held(t) >= (unsigned)page_limit) {
        page_refusals++;
        return NULL;
    }
    void *page = aligned_alloc(HANDLE_PAGE_BYTES, HANDLE_PAGE_BYTES);
    cr_assert_not_null(page);
    memset(page, 0, HANDLE_PAGE_BYTES);
    if (pages_live == page_rec_cap) {
        page_rec_cap = page_rec_cap ? 2 * page_rec_cap : 256;
        page_rec = realloc(page_rec, page_rec_cap * sizeof *page_rec);
        cr_assert_not_null(page_rec);
    }
    page_rec[pages_live++] = (struct page_record){ page, t };
    page_allocs++;
    return page;
}

void handle_page_free(struct handle_table *t, void *page)
{
    for (size_t i = 0; i < pages_live; i++)
        if (page_rec[i].page == page) {
            cr_assert_eq(page_rec[i].t, t, "a page goes back from the table it was given to");
            page_rec[i] = page_rec[--pages_live];
            free(page);
            page_frees++;
            return;
        }
    cr_assert_fail("handle_page_free(%p): not a page it was given", page);
}

/* Give back every page of a table whose handles are all deleted. */
static void release_all(struct handle_table *t)
{
    uint32_t budget = UINT32_MAX;
    cr_assert_eq(handle_table_release(t, &budget), 1);
}

/* ------------------------------------------------------------ the table's layout */

#define PER_PAGE      ((uint32_t)HANDLES_PER_PAGE)
#define PAGE_HANDLES  (PER_PAGE - 1)                  /* a page's first slot is its header */
#define TABLE_SLOTS   ((uint32_t)HANDLE_TABLE_SLOTS)
#define TABLE_HANDLES (TABLE_SLOTS - (TABLE_SLOTS + PER_PAGE - 1) / PER_PAGE)   /* at most in use */

static int is_header(uint32_t slot)
{
    return slot % PER_PAGE == 0;
}

/* ------------------------------------------------------------ without a budget */

/* The kernel's calls go a budget at a time; these do the whole job. */
static void handle_revoke(struct handle *h)
{
    uint32_t unlimited = UINT32_MAX;
    cr_assert(handle_revoke_step(h, &unlimited));
}

/* A task's end: every handle in its table deleted. */
static void handle_table_clear(struct handle_table *t)
{
    for (uint32_t i = 1; i < t->slots; i++)
        if (!is_header(i) && handle_slot(t, i)->obj)
            handle_delete(handle_slot(t, i));
}

/* How many handles t holds. */
static uint32_t live_in(const struct handle_table *t)
{
    uint32_t n = 0;
    for (uint32_t i = 1; i < t->slots; i++)
        n += !is_header(i) && handle_slot(t, i)->obj != NULL;
    return n;
}

/* Whether h is one of t's slots. */
static int in_table(const struct handle_table *t, const struct handle *h)
{
    for (uint32_t p = 0; p * PER_PAGE < t->slots; p++) {
        const struct handle *page = handle_slot(t, p * PER_PAGE);
        if (h > page && h < page + PER_PAGE)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ fixture */

static struct handle_table ta, tb, tc;     /* three tasks' tables */
static struct kobject ep, ep2, note, task, thread;

static void setup(void)
{
    handle_table_init(&ta, 0);
    handle_table_init(&tb, 0);
    handle_table_init(&tc, 0);
    ep = (struct kobject){ .type = KOBJ_ENDPOINT };
    ep2 = (struct kobject){ .type = KOBJ_ENDPOINT };
    note = (struct kobject){ .type = KOBJ_NOTIFICATION };
    task = (struct kobject){ .type = KOBJ_TASK };
    thread = (struct kobject){ .type = KOBJ_THREAD };
    put_calls = 0;
    destroyed_count = 0;
    unreceivable_calls = 0;
    page_limit = -1;
    entered = left = 0;
    last_owner = NULL;
    last_left = NULL;
    refuse_entry = ERR_NONE;
}

/* Whatever pages a test left behind (tables are not torn down in order). */
static void teardown(void)
{
    for (size_t i = 0; i < pages_live; i++)
        free(page_rec[i].page);
    free(page_rec);
    page_rec = NULL;
    pages_live = page_rec_cap = 0;
}

TestSuite(handle, .init = setup, .fini = teardown);

static struct handle *create(struct handle_table *t, struct kobject *obj, uint32_t rights)
{
    struct handle *h = NULL;
    cr_assert_eq(handle_create(t, obj, rights, &h), ERR_NONE);
    cr_assert_not_null(h);
    return h;
}

static struct handle *copy(struct handle_table *t, struct handle *src, uint32_t rights)
{
    struct handle *h = NULL;
    cr_assert_eq(handle_derive(t, src, rights, 0, 0, &h), ERR_NONE);
    cr_assert_not_null(h);
    return h;
}

static struct handle *mint(struct handle_table *t, struct handle *src, uint32_t badge,
                           uint32_t rights)
{
    struct handle *h = NULL;
    cr_assert_eq(handle_derive(t, src, rights, 1, badge, &h), ERR_NONE);
    cr_assert_not_null(h);
    return h;
}

/* The error a plain lookup of `number` gives (any type, no rights needed). */
static enum relay_error lookup_err(struct handle_table *t, relay_handle number)
{
    struct handle *h = NULL;
    return handle_lookup(t, number, KOBJ_NONE, 0, &h);
}

/* That `number` in t names exactly h. */
static void assert_names(struct handle_table *t, relay_handle number, const struct handle *h)
{
    struct handle *out = NULL;
    cr_assert_eq(handle_lookup(t, number, KOBJ_NONE, 0, &out), ERR_NONE, "number %#x", number);
    cr_assert_eq(out, h, "number %#x names another handle", number);
}

#define ALL (RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT | RIGHT_CONTROL)

/* ------------------------------------------------------------ create, lookup, numbers */

Test(handle, create_then_lookup_finds_it)
{
    struct handle *h = create(&ta, &ep, RIGHT_SEND | RIGHT_RECV);
    relay_handle n = handle_number(&ta, h);
    cr_assert_neq(n, HANDLE_NULL);
    cr_assert_eq(h->obj, &ep);
    cr_assert_eq(h->rights, RIGHT_SEND | RIGHT_RECV);
    cr_assert_eq(h->badge, 0);
    cr_assert_eq(ep.refs, 1, "a handle is a reference");

    struct handle *out = NULL;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_SEND, &out), ERR_NONE);
    cr_assert_eq(out, h);
    out = NULL;
    cr_assert_eq(handle_find(&ta, n, &out), ERR_NONE);
    cr_assert_eq(out, h);
}

Test(handle, numbers_encode_slot_and_generation)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    cr_assert_eq(n, h->number, "handle_number reads the handle's number");
    uint32_t slot = HANDLE_SLOT(n);
    cr_assert_eq(slot, 1, "a fresh table hands out its lowest slot first");
    cr_assert_eq(handle_slot(&ta, slot), h, "bits 0..16 are the slot");
    cr_assert_eq(n & (HANDLE_SLOTS - 1), slot);
    cr_assert_eq(HANDLE_GEN(n), 1, "bits 17..31 are the generation, 1 the first");
    cr_assert_eq(n >> 17, HANDLE_GEN(n));
    cr_assert_eq(HANDLE_SLOT_BITS, 17);
    cr_assert_eq(HANDLE_GEN_MAX, 0x7FFF);
    cr_assert_eq((uint32_t)HANDLE_GEN(0xFFFFFFFFu), HANDLE_GEN_MAX, "15 bits of generation");
}

Test(handle, number_round_trip_in_every_slot)
{
    /* Fill the table: every number distinct, every one names its handle. */
    static struct handle *h[TABLE_HANDLES];
    static relay_handle n[TABLE_HANDLES];
    static uint8_t slot_used[HANDLE_SLOTS];
    for (uint32_t i = 0; i < TABLE_HANDLES; i++) {
        h[i] = create(&ta, &ep, ALL);
        n[i] = handle_number(&ta, h[i]);
    }
    cr_assert_eq(ta.slots, TABLE_SLOTS);
    for (uint32_t i = 0; i < TABLE_HANDLES; i++) {
        uint32_t slot = HANDLE_SLOT(n[i]);
        cr_assert(!is_header(slot), "a page header %u was handed out", slot);
        cr_assert_lt(slot, TABLE_SLOTS);
        cr_assert_not(slot_used[slot], "two live handles share slot %u", slot);
        slot_used[slot] = 1;
        cr_assert_eq(HANDLE_GEN(n[i]), 1);
        assert_names(&ta, n[i], h[i]);
    }
    cr_assert_eq(ep.refs, TABLE_HANDLES);
}

Test(handle, slot_zero_is_never_a_handle)
{
    create(&ta, &ep, ALL);
    cr_assert_eq(lookup_err(&ta, HANDLE_NULL), ERR_BAD_HANDLE);
    for (uint32_t gen = 1; gen < 4; gen++)
        cr_assert_eq(lookup_err(&ta, gen << HANDLE_SLOT_BITS), ERR_BAD_HANDLE, "slot 0 gen %u", gen);
    cr_assert_eq(lookup_err(&ta, (relay_handle)HANDLE_GEN_MAX << HANDLE_SLOT_BITS), ERR_BAD_HANDLE);
    struct handle *out = NULL;
    cr_assert_eq(handle_find(&ta, HANDLE_NULL, &out), ERR_BAD_HANDLE);
    cr_assert_null(out);
}

Test(handle, page_headers_are_never_handles)
{
    /* Three pages' worth: the first slot of every page is its header. */
    for (uint32_t i = 0; i < 3 * PAGE_HANDLES; i++) {
        struct handle *h = create(&ta, &ep, ALL);
        cr_assert(!is_header(HANDLE_SLOT(h->number)), "slot %u", HANDLE_SLOT(h->number));
    }
    cr_assert_eq(ta.slots, 3 * PER_PAGE);
    for (uint32_t p = 0; p < 3; p++)
        for (uint32_t gen = 0; gen < 4; gen++) {
            struct handle *out = NULL;
            relay_handle n = p * PER_PAGE | gen << HANDLE_SLOT_BITS;
            cr_assert_eq(lookup_err(&ta, n), ERR_BAD_HANDLE, "page %u's header gen %u", p, gen);
            cr_assert_eq(handle_find(&ta, n, &out), ERR_BAD_HANDLE);
            cr_assert_null(out);
        }
    cr_assert_eq(lookup_err(&ta, PER_PAGE | (relay_handle)HANDLE_GEN_MAX << HANDLE_SLOT_BITS),
                 ERR_BAD_HANDLE);
}

Test(handle, never_allocated_numbers_are_bad)
{
    /* An empty table: nothing resolves, whatever the slot or generation. */
    static const relay_handle empty_numbers[] = {
        0x001, 0x101, 0x1FF, 0x20005, 0x20001, 0xFFFFFFFFu, 0x80000001u, 0xFFFE0001u,
    };
    for (size_t i = 0; i < sizeof empty_numbers / sizeof empty_numbers[0]; i++)
        cr_assert_eq(lookup_err(&ta, empty_numbers[i]), ERR_BAD_HANDLE, "%#x", empty_numbers[i]);

    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    uint32_t slot = HANDLE_SLOT(n), gen = HANDLE_GEN(n);
    cr_assert_eq(lookup_err(&ta, slot), ERR_BAD_HANDLE, "generation 0 is never allocated");
    cr_assert_eq(lookup_err(&ta, slot | (gen + 1) << HANDLE_SLOT_BITS), ERR_BAD_HANDLE,
                 "a future generation");
    cr_assert_eq(lookup_err(&ta, slot | (relay_handle)HANDLE_GEN_MAX << HANDLE_SLOT_BITS),
                 ERR_BAD_HANDLE, "the last generation");
    cr_assert_eq(lookup_err(&ta, (slot + 1) | gen << HANDLE_SLOT_BITS), ERR_BAD_HANDLE,
                 "the next, empty slot");
    cr_assert_eq(lookup_err(&ta, ta.slots | 1u << HANDLE_SLOT_BITS), ERR_BAD_HANDLE,
                 "the first slot the table does not have yet");
    cr_assert_eq(lookup_err(&ta, (HANDLE_SLOTS - 1) | 1u << HANDLE_SLOT_BITS), ERR_BAD_HANDLE);
    cr_assert_eq(lookup_err(&ta, 0xFFFFFFFFu), ERR_BAD_HANDLE);
}

Test(handle, a_number_is_only_good_in_its_own_table)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    cr_assert_eq(lookup_err(&tb, n), ERR_BAD_HANDLE);
}

/* ------------------------------------------------------------ growing a page at a time */

Test(handle, an_empty_table_holds_no_page)
{
    cr_assert(handle_table_empty(&ta));
    cr_assert_eq(ta.slots, 0);
    cr_assert_null(ta.free);
    cr_assert_eq(page_allocs, 0, "a table costs nothing until it is used");
}

Test(handle, reserve_grows_by_one_page)
{
    cr_assert_eq(handle_table_reserve(&ta), ERR_NONE);
    cr_assert_eq(page_allocs, 2, "the directory and the first page");
    cr_assert(!handle_table_empty(&ta));
    cr_assert_eq(ta.slots, PER_PAGE);
    cr_assert_not_null(ta.free);
    cr_assert_eq(handle_table_reserve(&ta), ERR_NONE);
    cr_assert_eq(page_allocs, 2, "a free slot already: nothing more");
    cr_assert_eq(ep.refs, 0, "reserving makes no handle");
    cr_assert_eq(live_in(&ta), 0);
}

Test(handle, a_table_grows_beyond_one_page)
{
    static struct handle *h[3 * PAGE_HANDLES + 1];
    for (uint32_t i = 0; i < PAGE_HANDLES; i++) {
        h[i] = create(&ta, &ep, ALL);
        cr_assert_eq(HANDLE_SLOT(h[i]->number), i + 1, "the lowest slot first");
    }
    cr_assert_eq(ta.slots, PER_PAGE);
    cr_assert_eq(page_allocs, 2, "the directory and one page");
    cr_assert_null(ta.free, "the page is full");

    h[PAGE_HANDLES] = create(&ta, &ep, ALL);
    cr_assert_eq(page_allocs, 3, "a second page");
    cr_assert_eq(ta.slots, 2 * PER_PAGE);
    cr_assert_eq(HANDLE_SLOT(h[PAGE_HANDLES]->number), PER_PAGE + 1, "its header is skipped");
    cr_assert_eq(((uintptr_t)h[PAGE_HANDLES] & (HANDLE_PAGE_BYTES - 1)), sizeof(struct handle),
                 "the first handle after the page's header");
    for (uint32_t i = PAGE_HANDLES + 1; i <= 3 * PAGE_HANDLES; i++)
        h[i] = create(&ta, &ep, ALL);
    cr_assert_eq(ta.slots, 4 * PER_PAGE);
    cr_assert_eq(page_allocs, 5);
    for (uint32_t i = 0; i <= 3 * PAGE_HANDLES; i++)
        assert_names(&ta, handle_number(&ta, h[i]), h[i]);
    cr_assert_eq(ep.refs, 3 * PAGE_HANDLES + 1);
    cr_assert_eq(live_in(&ta), 3 * PAGE_HANDLES + 1);
}

Test(handle, no_memory_when_the_provider_refuses)
{
    struct handle *out = NULL;
    page_limit = 0;                                   /* no page at all */
    cr_assert_eq(handle_table_reserve(&ta), ERR_NO_MEMORY);
    cr_assert_eq(handle_create(&ta, &ep, ALL, &out), ERR_NO_MEMORY);
    cr_assert_null(out);
    cr_assert(handle_table_empty(&ta));
    cr_assert_eq(ta.slots, 0);
    page_limit = 1;                                   /* a directory but no page for it */
    cr_assert_eq(handle_table_reserve(&ta), ERR_NO_MEMORY);
    cr_assert(handle_table_empty(&ta), "the directory went back");
    cr_assert_eq(ta.slots, 0);
    cr_assert_eq(pages_live, 0, "nothing is kept from a failed reserve");
    cr_assert_eq(ep.refs, 0);

    page_limit = 2;                                   /* the directory and one page */
    struct handle *src = create(&tb, &ep2, ALL);
    static struct handle *h[PAGE_HANDLES];
    for (uint32_t i = 0; i < PAGE_HANDLES; i++)
        h[i] = create(&ta, &ep, ALL);
    unsigned allocs = page_allocs, refusals = page_refusals;
    cr_assert_eq(handle_table_reserve(&ta), ERR_NO_MEMORY);
    cr_assert_eq(handle_create(&ta, &ep, ALL, &out), ERR_NO_MEMORY);
    cr_assert_eq(handle_derive(&ta, src, ALL, 0, 0, &out), ERR_NO_MEMORY);
    cr_assert_eq(handle_derive(&ta, src, ALL, 1, 5, &out), ERR_NO_MEMORY);
    cr_assert_null(out);
    cr_assert_gt(page_refusals, refusals, "the provider was asked");
    cr_assert_eq(page_allocs, allocs);
    cr_assert_eq(ta.slots, PER_PAGE, "nothing changed");
    cr_assert_eq(ep.refs, PAGE_HANDLES, "a refused create takes no reference");
    cr_assert_eq(ep2.refs, 1, "a refused derive takes no reference");
    cr_assert_null(src->child, "a refused derive records no child");
    for (uint32_t i = 0; i < PAGE_HANDLES; i++)
        assert_names(&ta, handle_number(&ta, h[i]), h[i]);

    /* A freed slot is used before any page is asked for; with memory, the table grows. */
    handle_delete(h[10]);
    out = copy(&ta, src, RIGHT_SEND);
    cr_assert_eq(out, h[10]);
    page_limit = -1;
    create(&ta, &ep, ALL);
    cr_assert_eq(ta.slots, 2 * PER_PAGE);
}

Test(handle, no_slot_at_capacity)
{
    static struct handle *h[TABLE_HANDLES];
    for (uint32_t i = 0; i < TABLE_HANDLES; i++)
        h[i] = create(&ta, &ep, ALL);
    cr_assert_eq(ta.slots, TABLE_SLOTS);
    cr_assert_leq(ta.slots, HANDLE_SLOTS, "every slot has a number");
    unsigned allocs = page_allocs;
    cr_assert_eq(handle_table_reserve(&ta), ERR_NO_SLOT);
    struct handle *out = NULL;
    cr_assert_eq(handle_create(&ta, &ep2, ALL, &out), ERR_NO_SLOT);
    cr_assert_null(out);
    cr_assert_eq(page_allocs, allocs, "no page is asked for past the last");
    cr_assert_eq(ep2.refs, 0);
    handle_delete(h[TABLE_HANDLES / 2]);
    cr_assert_eq(handle_table_reserve(&ta), ERR_NONE);
    cr_assert_eq(create(&ta, &ep2, ALL), h[TABLE_HANDLES / 2]);
    cr_assert_eq(handle_table_reserve(&ta), ERR_NO_SLOT);
}

Test(handle, release_returns_every_page)
{
    struct handle *a = NULL;
    for (uint32_t i = 0; i < 2 * PAGE_HANDLES + 5; i++)
        a = create(&ta, &ep, ALL);
    create(&tb, &ep, ALL);
    copy(&tb, a, ALL);
    unsigned ta_pages = pages_held(&ta);
    cr_assert_eq(ta_pages, 4, "the directory and three pages");
    cr_assert_eq(pages_held(&tb), 2);
    handle_table_clear(&ta);
    handle_table_clear(&tb);
    cr_assert_eq(ep.refs, 0);
    unsigned frees = page_frees;
    release_all(&ta);
    cr_assert_eq(page_frees - frees, ta_pages, "every page of ta came back");
    cr_assert_eq(pages_held(&ta), 0);
    cr_assert(handle_table_empty(&ta));
    cr_assert_eq(ta.slots, 0);
    cr_assert_null(ta.free);
    cr_assert_eq(pages_held(&tb), 2, "another table's pages are its own");
    release_all(&tb);
    cr_assert_eq(pages_live, 0);
    cr_assert_eq(page_allocs, page_frees);

    /* Released, a table is empty and can grow again; releasing an empty one frees nothing. */
    create(&ta, &ep, ALL);
    cr_assert_eq(pages_held(&ta), 2);
    handle_table_clear(&ta);
    release_all(&ta);
    frees = page_frees;
    release_all(&ta);
    release_all(&tc);
    cr_assert_eq(page_frees, frees);
    cr_assert_eq(page_allocs, page_frees);
}

/* ------------------------------------------------------------ stale handles */

Test(handle, deleted_handle_is_stale)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    handle_delete(h);
    cr_assert_eq(lookup_err(&ta, n), ERR_STALE_HANDLE);
    struct handle *out = NULL;
    cr_assert_eq(handle_find(&ta, n, &out), ERR_STALE_HANDLE);
    cr_assert_null(out);
}

Test(handle, reused_slot_never_revives_the_old_number)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle old = handle_number(&ta, h);
    handle_delete(h);

    struct handle *again = create(&ta, &note, RIGHT_RECV);
    cr_assert_eq(again, h, "the free slot is reused");
    relay_handle fresh = handle_number(&ta, again);
    cr_assert_eq(HANDLE_SLOT(fresh), HANDLE_SLOT(old));
    cr_assert_eq(HANDLE_GEN(fresh), HANDLE_GEN(old) + 1, "the generation changed");
    cr_assert_eq(lookup_err(&ta, old), ERR_STALE_HANDLE);
    assert_names(&ta, fresh, again);
}

Test(handle, the_most_recently_freed_slot_is_reused_first)
{
    struct handle *h[8];
    for (unsigned i = 0; i < 8; i++)
        h[i] = create(&ta, &ep, ALL);
    handle_delete(h[2]);
    handle_delete(h[6]);
    handle_delete(h[4]);
    cr_assert_eq(create(&ta, &ep, ALL), h[4], "last freed, first reused");
    cr_assert_eq(create(&ta, &ep, ALL), h[6]);
    cr_assert_eq(create(&ta, &ep, ALL), h[2]);
    struct handle *next = create(&ta, &ep, ALL);
    cr_assert_eq(HANDLE_SLOT(next->number), 9, "then the never-used slots, lowest first");
}

Test(handle, a_deleted_handle_goes_back_to_its_own_tables_free_list)
{
    /* The page header names the table, on whichever page the handle is. */
    struct handle *h[PAGE_HANDLES + 5];
    for (uint32_t i = 0; i < PAGE_HANDLES + 5; i++)
        h[i] = create(&ta, &ep, ALL);
    struct handle *b = create(&tb, &ep, ALL);
    create(&tb, &ep, ALL);
    struct handle *on_page_2 = h[PAGE_HANDLES + 2];
    cr_assert_eq(HANDLE_SLOT(on_page_2->number), PER_PAGE + 3);
    handle_delete(on_page_2);
    handle_delete(b);
    cr_assert_eq(create(&ta, &ep, ALL), on_page_2, "ta's freed slot is ta's");
    cr_assert_eq(create(&tb, &ep, ALL), b, "tb's freed slot is tb's");
    cr_assert_eq(HANDLE_SLOT(create(&ta, &ep, ALL)->number), PER_PAGE + 6, "then ta's unused slots");
}

Test(handle, many_reuses_every_old_number_stays_stale)
{
    enum { ROUNDS = 1000 };
    static relay_handle seen[ROUNDS];
    for (unsigned i = 0; i < ROUNDS; i++) {
        struct handle *h = create(&ta, &ep, ALL);
        seen[i] = handle_number(&ta, h);
        for (unsigned j = 0; j < i; j++)
            cr_assert_neq(seen[j], seen[i], "round %u reissued round %u's number", i, j);
        handle_delete(h);
    }
    struct handle *live = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, live);
    for (unsigned i = 0; i < ROUNDS; i++) {
        cr_assert_neq(seen[i], n);
        cr_assert_eq(lookup_err(&ta, seen[i]), ERR_STALE_HANDLE, "round %u", i);
    }
    assert_names(&ta, n, live);
}

Test(handle, revoked_handles_are_stale)
{
    struct handle *root = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&tb, copy(&tb, root, ALL));
    handle_revoke(root);
    cr_assert_eq(lookup_err(&tb, n), ERR_STALE_HANDLE);
}

/*
 * Generations are 15 bits.  A slot whose generation runs out is retired
 * rather than wrapped (handle.h), so that no number is ever issued twice:
 * every number the slot had stays stale (ABI section 2).  Driven through
 * the API: HANDLE_GEN_MAX create/delete rounds on one slot.
 */
Test(handle, used_up_slot_is_retired)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle first = handle_number(&ta, h);
    struct handle *slot = h;
    while (HANDLE_GEN(h->number) != HANDLE_GEN_MAX) {
        handle_delete(h);
        h = create(&ta, &ep, ALL);
        cr_assert_eq(h, slot, "the one free slot is reused");
    }
    relay_handle last = handle_number(&ta, h);
    cr_assert_eq(HANDLE_SLOT(last), HANDLE_SLOT(first), "every round reused the one slot");
    cr_assert_eq(HANDLE_GEN(last), HANDLE_GEN_MAX);
    handle_delete(h);

    h = create(&ta, &ep, ALL);                      /* the generation would wrap here */
    relay_handle next = handle_number(&ta, h);
    cr_assert_neq(HANDLE_SLOT(next), HANDLE_SLOT(last), "the used-up slot was handed out again");
    cr_assert_neq(next, first, "the slot's first number %#x was issued again", first);
    cr_assert_eq(lookup_err(&ta, last), ERR_STALE_HANDLE,
                 "the last generation's number of a retired slot: expected ERR_STALE_HANDLE");
    cr_assert_eq(lookup_err(&ta, first), ERR_STALE_HANDLE);
    assert_names(&ta, next, h);

    /* However much the table churns, the retired slot stays retired. */
    for (unsigned i = 0; i < 2 * PER_PAGE; i++) {
        struct handle *x = create(&ta, &ep, ALL);
        cr_assert_neq(x, slot);
        if (i % 2)
            handle_delete(x);
    }
    cr_assert_null(slot->obj);
}

/* ------------------------------------------------------------ lookup errors and their order */

Test(handle, dead_object_is_deleted)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    ep.dead = 1;
    struct handle *out = NULL;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_SEND, &out), ERR_DELETED);
    cr_assert_null(out);
    out = NULL;
    cr_assert_eq(handle_find(&ta, n, &out), ERR_NONE, "find does not look at the object");
    cr_assert_eq(out, h);
}

Test(handle, wrong_type)
{
    relay_handle n = handle_number(&ta, create(&ta, &note, ALL));
    struct handle *out = NULL;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, 0, &out), ERR_WRONG_TYPE);
    cr_assert_null(out);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_NOTIFICATION, 0, &out), ERR_NONE);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_NONE, 0, &out), ERR_NONE, "KOBJ_NONE: any type");
}

Test(handle, every_type_is_told_apart)
{
    struct kobject *objs[] = { &task, &thread, &ep, &note };
    enum kobj_type types[] = { KOBJ_TASK, KOBJ_THREAD, KOBJ_ENDPOINT, KOBJ_NOTIFICATION,
                               KOBJ_FACTORY };
    for (size_t i = 0; i < 4; i++) {
        relay_handle n = handle_number(&ta, create(&ta, objs[i], ALL));
        for (size_t j = 0; j < 5; j++) {
            struct handle *out;
            enum relay_error want = objs[i]->type == types[j] ? ERR_NONE : ERR_WRONG_TYPE;
            cr_assert_eq(handle_lookup(&ta, n, types[j], 0, &out), want, "obj %zu type %zu", i, j);
        }
    }
}

Test(handle, missing_rights)
{
    relay_handle n = handle_number(&ta, create(&ta, &ep, RIGHT_SEND | RIGHT_GRANT));
    struct handle *out = NULL;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_RECV, &out), ERR_NO_RIGHTS);
    cr_assert_null(out);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_SEND | RIGHT_RECV, &out),
                 ERR_NO_RIGHTS, "every right asked for is needed");
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_SEND | RIGHT_GRANT, &out), ERR_NONE);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, 0, &out), ERR_NONE);
}

Test(handle, no_rights_beyond_the_defined_ones)
{
    relay_handle n = handle_number(&ta, create(&ta, &ep, 0xFFFFFFFFu));
    struct handle *out;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_NONE, ALL, &out), ERR_NONE);
    cr_assert_eq(out->rights, ALL);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_NONE, 0x10, &out), ERR_NO_RIGHTS);
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_NONE, 0x80000000u, &out), ERR_NO_RIGHTS);
}

/* ABI order: BAD_HANDLE, STALE_HANDLE, DELETED, WRONG_TYPE, NO_RIGHTS. */
Test(handle, errors_come_in_the_documented_order)
{
    struct handle *out;
    /* Dead object, wrong type, no rights: DELETED wins. */
    relay_handle n = handle_number(&ta, create(&ta, &note, 0));
    note.dead = 1;
    cr_assert_eq(handle_lookup(&ta, n, KOBJ_ENDPOINT, RIGHT_SEND, &out), ERR_DELETED);
    /* Wrong type and no rights: WRONG_TYPE wins. */
    relay_handle m = handle_number(&ta, create(&ta, &ep2, 0));
    cr_assert_eq(handle_lookup(&ta, m, KOBJ_TASK, RIGHT_CONTROL, &out), ERR_WRONG_TYPE);
    /* Stale with a dead object: STALE wins. */
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle s = handle_number(&ta, h);
    handle_delete(h);
    ep.dead = 1;
    cr_assert_eq(handle_lookup(&ta, s, KOBJ_TASK, RIGHT_CONTROL, &out), ERR_STALE_HANDLE);
}

/* ------------------------------------------------------------ copy and mint */

Test(handle, copy_never_grows_rights)
{
    for (uint32_t have = 0; have <= ALL; have++) {
        setup();
        struct handle *src = create(&ta, &ep, have);
        for (uint32_t ask = 0; ask <= ALL; ask++) {
            struct handle *c = copy(&tb, src, ask);
            cr_assert_eq(c->rights, have & ask, "have %#x ask %#x", have, ask);
            struct handle *cc = copy(&tc, c, ALL);
            cr_assert_eq(cc->rights, have & ask, "a copy of a copy: have %#x ask %#x", have, ask);
        }
        struct handle *wide = copy(&ta, src, 0xFFFFFFFFu);
        cr_assert_eq(wide->rights, have, "asking for every bit gives at most the source's rights");
        handle_table_clear(&ta);
        handle_table_clear(&tb);
        handle_table_clear(&tc);
    }
}

Test(handle, copy_shares_the_object_and_takes_a_reference)
{
    struct handle *src = create(&ta, &ep, ALL);
    struct handle *c = copy(&ta, src, RIGHT_SEND);
    cr_assert_neq(c, src);
    cr_assert_eq(c->obj, &ep);
    cr_assert_eq(ep.refs, 2);
    cr_assert_eq(c->badge, 0, "a copy of an unbadged handle is unbadged");
    cr_assert_eq(c->parent, src);
    assert_names(&ta, handle_number(&ta, c), c);
    assert_names(&ta, handle_number(&ta, src), src);
}

Test(handle, mint_sets_the_badge_and_shrinks_rights)
{
    struct handle *src = create(&ta, &ep, RIGHT_SEND | RIGHT_RECV);
    struct handle *m = mint(&ta, src, 0xBADC0DE, RIGHT_SEND | RIGHT_GRANT);
    cr_assert_eq(m->badge, 0xBADC0DE);
    cr_assert_eq(m->rights, RIGHT_SEND);
    cr_assert_eq(m->obj, &ep);
    cr_assert_eq(src->badge, 0, "the source keeps its (lack of) badge");
    cr_assert_eq(ep.refs, 2);
}

Test(handle, copies_of_a_badged_handle_keep_the_badge)
{
    struct handle *src = create(&ta, &ep, ALL);
    struct handle *m = mint(&ta, src, 42, ALL);
    struct handle *c1 = copy(&tb, m, RIGHT_SEND);
    struct handle *c2 = copy(&tc, c1, ALL);
    cr_assert_eq(c1->badge, 42);
    cr_assert_eq(c2->badge, 42);
    cr_assert_eq(c2->rights, RIGHT_SEND);
}

Test(handle, a_badge_cannot_be_changed)
{
    struct handle *src = create(&ta, &ep, ALL);
    struct handle *m = mint(&ta, src, 42, ALL);
    struct handle *c = copy(&tb, m, ALL);
    unsigned refs = ep.refs;
    struct handle *out = NULL;
    cr_assert_eq(handle_derive(&ta, m, ALL, 1, 7, &out), ERR_INVALID);
    cr_assert_null(out);
    cr_assert_eq(handle_derive(&tb, c, ALL, 1, 7, &out), ERR_INVALID, "nor through a copy");
    cr_assert_null(out);
    cr_assert_eq(ep.refs, refs, "a refused mint takes no reference");
    cr_assert_null(c->child, "a refused mint records no derived handle");
    cr_assert_null(m->child->next);

    /* The unbadged source can still mint other badges. */
    struct handle *m2 = mint(&tb, src, 7, ALL);
    cr_assert_eq(m2->badge, 7);
    cr_assert_eq(m->badge, 42);
}

Test(handle, mint_into_a_full_table_is_still_invalid_for_a_badged_source)
{
    struct handle *m = mint(&ta, create(&ta, &ep, ALL), 1, ALL);
    for (unsigned i = 0; i < TABLE_HANDLES; i++)
        create(&tb, &ep2, ALL);
    struct handle *out;
    cr_assert_eq(handle_derive(&tb, m, ALL, 1, 2, &out), ERR_INVALID);
    cr_assert_eq(handle_derive(&tb, m, ALL, 0, 0, &out), ERR_NO_SLOT);
}

/* ------------------------------------------------------------ give: derive into another table */

Test(handle, derive_into_another_table)
{
    struct handle *src = create(&ta, &ep, ALL);
    struct handle *given = mint(&tb, src, 9, RIGHT_SEND);
    cr_assert(in_table(&tb, given), "the copy lives in tb");
    cr_assert_not(in_table(&ta, given));
    relay_handle n = handle_number(&tb, given);
    struct handle *out;
    cr_assert_eq(handle_lookup(&tb, n, KOBJ_ENDPOINT, RIGHT_SEND, &out), ERR_NONE);
    cr_assert_eq(out, given);
    cr_assert_eq(out->badge, 9);
    cr_assert_eq(handle_lookup(&tb, n, KOBJ_ENDPOINT, RIGHT_RECV, &out), ERR_NO_RIGHTS);
    cr_assert_eq(ep.refs, 2);
    cr_assert_eq(given->parent, src);
}

/* ------------------------------------------------------------ revoke */

/*
 * A derivation tree over three tables:
 *
 *   root (ta)
 *   +-- c1   copy (ta)
 *   |   +-- c1a   copy (tb)
 *   |       +-- c1a1   copy (tc)
 *   |       +-- c1a2   mint 5 (tc)
 *   +-- m2   mint 7 (tb)
 *   |   +-- m2a   copy (ta)
 *   |   +-- m2b   copy (tc)
 *   +-- g3   copy (tc)
 */
struct tree {
    struct handle *root, *c1, *c1a, *c1a1, *c1a2, *m2, *m2a, *m2b, *g3;
};

static struct tree build_tree(void)
{
    struct tree t;
    t.root = create(&ta, &ep, ALL);
    t.c1 = copy(&ta, t.root, ALL);
    t.c1a = copy(&tb, t.c1, RIGHT_SEND | RIGHT_RECV);
    t.c1a1 = copy(&tc, t.c1a, RIGHT_SEND);
    t.c1a2 = mint(&tc, t.c1a, 5, RIGHT_SEND);
    t.m2 = mint(&tb, t.root, 7, ALL);
    t.m2a = copy(&ta, t.m2, ALL);
    t.m2b = copy(&tc, t.m2, RIGHT_SEND);
    t.g3 = copy(&tc, t.root, RIGHT_RECV);
    return t;
}

static struct handle_table *table_of(struct handle *h)
{
    struct handle_table *tables[] = { &ta, &tb, &tc };
    for (size_t i = 0; i < 3; i++)
        if (in_table(tables[i], h))
            return tables[i];
    cr_assert_fail("handle %p is in no table", (void *)h);
    return NULL;
}

/* Numbers taken before an operation, to check afterwards. */
struct snap {
    struct handle_table *t;
    relay_handle number;
    struct handle *h;
};

static struct snap snap(struct handle *h)
{
    struct handle_table *t = table_of(h);
    return (struct snap){ t, handle_number(t, h), h };
}

static void assert_alive(struct snap s)
{
    assert_names(s.t, s.number, s.h);
}

static void assert_gone(struct snap s)
{
    cr_assert_eq(lookup_err(s.t, s.number), ERR_STALE_HANDLE, "number %#x still resolves", s.number);
    cr_assert_null(s.h->obj);
}

Test(handle, revoke_deletes_every_descendant_in_every_table)
{
    struct tree t = build_tree();
    struct handle *all[] = { t.c1, t.c1a, t.c1a1, t.c1a2, t.m2, t.m2a, t.m2b, t.g3 };
    struct snap s[8];
    for (size_t i = 0; i < 8; i++)
        s[i] = snap(all[i]);
    struct snap root = snap(t.root);
    cr_assert_eq(ep.refs, 9);

    handle_revoke(t.root);

    for (size_t i = 0; i < 8; i++)
        assert_gone(s[i]);
    assert_alive(root);
    cr_assert_eq(t.root->rights, ALL, "the revoked handle keeps its rights");
    cr_assert_null(t.root->child);
    cr_assert_eq(ep.refs, 1);
    cr_assert_eq(put_calls, 8);
    cr_assert_eq(destroyed_count, 0, "the revoked handle still holds the object");
}

Test(handle, revoke_a_middle_handle_spares_its_siblings_and_ancestors)
{
    struct tree t = build_tree();
    struct snap gone[] = { snap(t.c1a), snap(t.c1a1), snap(t.c1a2) };
    struct snap kept[] = { snap(t.root), snap(t.c1), snap(t.m2), snap(t.m2a), snap(t.m2b),
                           snap(t.g3) };
    handle_revoke(t.c1);
    for (size_t i = 0; i < 3; i++)
        assert_gone(gone[i]);
    for (size_t i = 0; i < 6; i++)
        assert_alive(kept[i]);
    cr_assert_eq(ep.refs, 6);
    cr_assert_eq(t.root->child != NULL, 1);

    /* The rest of the tree is still revocable from the root. */
    handle_revoke(t.root);
    for (size_t i = 1; i < 6; i++)
        assert_gone(kept[i]);
    assert_alive(kept[0]);
    cr_assert_eq(ep.refs, 1);
}

Test(handle, revoke_a_badged_branch)
{
    struct tree t = build_tree();
    struct snap gone[] = { snap(t.m2a), snap(t.m2b) };
    handle_revoke(t.m2);
    assert_gone(gone[0]);
    assert_gone(gone[1]);
    assert_alive(snap(t.m2));
    cr_assert_eq(t.m2->badge, 7);
    assert_alive(snap(t.c1a2));
}

Test(handle, revoke_without_descendants_does_nothing)
{
    struct handle *h = create(&ta, &ep, ALL);
    struct snap s = snap(h);
    handle_revoke(h);
    handle_revoke(h);
    assert_alive(s);
    cr_assert_eq(put_calls, 0);
    cr_assert_eq(ep.refs, 1);
}

Test(handle, revoke_only_follows_derivation_not_the_object)
{
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *b = create(&tb, &ep, ALL);          /* another original, same object */
    struct handle *bc = copy(&tc, b, ALL);
    struct snap sb = snap(b), sbc = snap(bc);
    copy(&tb, a, ALL);
    handle_revoke(a);
    assert_alive(sb);
    assert_alive(sbc);
}

Test(handle, revoke_a_long_chain)
{
    enum { DEPTH = 200 };
    struct handle *root = create(&ta, &ep, ALL), *h = root;
    struct snap s[DEPTH];
    for (unsigned i = 0; i < DEPTH; i++) {
        struct handle_table *t = i % 2 ? &tb : &tc;
        h = copy(t, h, ALL);
        s[i] = snap(h);
    }
    handle_revoke(root);
    for (unsigned i = 0; i < DEPTH; i++)
        assert_gone(s[i]);
    cr_assert_eq(ep.refs, 1);
    cr_assert_eq(put_calls, DEPTH);
}

/* ------------------------------------------------------------ delete and reparenting */

Test(handle, deleting_a_middle_handle_keeps_its_children_revocable)
{
    struct tree t = build_tree();
    struct snap c1a1 = snap(t.c1a1), c1a2 = snap(t.c1a2), c1 = snap(t.c1);
    handle_delete(t.c1a);               /* c1a1 and c1a2 move up to c1 */
    assert_alive(c1a1);
    assert_alive(c1a2);
    cr_assert_eq(t.c1a1->parent, t.c1);
    cr_assert_eq(t.c1a2->parent, t.c1);
    cr_assert_eq(t.c1a2->badge, 5, "reparenting keeps the badge");

    handle_delete(t.c1);                /* and on up to root */
    assert_gone(c1);
    cr_assert_eq(t.c1a1->parent, t.root);

    handle_revoke(t.root);              /* the grandparent still reaches them */
    assert_gone(c1a1);
    assert_gone(c1a2);
    cr_assert_eq(ep.refs, 1);
}

Test(handle, deleting_an_original_makes_its_children_originals)
{
    struct handle *root = create(&ta, &ep, ALL);
    struct handle *c = copy(&tb, root, ALL);
    struct handle *cc = copy(&tc, c, ALL);
    struct snap sc = snap(c), scc = snap(cc);
    handle_delete(root);
    assert_alive(sc);
    assert_alive(scc);
    cr_assert_null(c->parent);
    handle_revoke(c);
    assert_gone(scc);
    assert_alive(sc);
}

Test(handle, deleting_a_leaf_leaves_the_parent)
{
    struct handle *root = create(&ta, &ep, ALL);
    struct handle *a = copy(&tb, root, ALL);
    struct handle *b = copy(&tb, root, ALL);
    struct handle *c = copy(&tb, root, ALL);
    struct snap sa = snap(a), sc = snap(c);
    handle_delete(b);                   /* the middle sibling */
    handle_revoke(root);
    assert_gone(sa);
    assert_gone(sc);
    cr_assert_null(root->child);
}

/* ------------------------------------------------------------ an object's originals */

/* How many originals obj lists (checking the list's links on the way), and whether h is one. */
static unsigned originals(const struct kobject *obj, const struct handle *h, int *found)
{
    unsigned n = 0;
    const struct handle *prev = NULL;
    if (found)
        *found = 0;
    for (const struct handle *o = obj->handles; o; prev = o, o = o->next, n++) {
        cr_assert_lt(n, 100000, "the list loops");
        cr_assert_eq(o->prev, prev, "the list's back links");
        cr_assert_null(o->parent, "only originals are listed");
        cr_assert_eq(o->obj, obj);
        if (found && o == h)
            *found = 1;
    }
    return n;
}

static int listed(const struct kobject *obj, const struct handle *h)
{
    int found;
    originals(obj, h, &found);
    return found;
}

Test(handle, an_object_lists_its_originals)
{
    cr_assert_null(ep.handles);
    struct handle *a = create(&ta, &ep, ALL);
    cr_assert_eq(ep.handles, a);
    cr_assert_null(a->parent);
    cr_assert_eq(originals(&ep, NULL, NULL), 1);
    struct handle *b = create(&tb, &ep, RIGHT_SEND);
    cr_assert_eq(originals(&ep, NULL, NULL), 2);
    cr_assert(listed(&ep, a));
    cr_assert(listed(&ep, b));

    struct handle *c = copy(&tc, a, ALL);
    struct handle *m = mint(&ta, b, 4, ALL);
    struct handle kept = { 0 };
    handle_place(&kept, c, ALL);
    cr_assert_eq(originals(&ep, NULL, NULL), 2, "derived handles are not originals");
    cr_assert_not(listed(&ep, c));
    cr_assert_not(listed(&ep, m));
    cr_assert_not(listed(&ep, &kept));
    cr_assert_eq(c->parent, a);
    cr_assert_eq(m->parent, b);

    struct handle *other = create(&ta, &ep2, ALL);
    cr_assert_eq(ep2.handles, other, "each object its own list");
    cr_assert_eq(originals(&ep2, NULL, NULL), 1);
    cr_assert_eq(originals(&ep, NULL, NULL), 2);
    cr_assert_not(listed(&ep, other));

    handle_delete(b);                                 /* m becomes an original */
    cr_assert_not(listed(&ep, b));
    cr_assert(listed(&ep, m));
    cr_assert_eq(originals(&ep, NULL, NULL), 2);
}

Test(handle, deleting_an_original_lists_its_children)
{
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *b = create(&tb, &ep, ALL);
    struct handle *c1 = copy(&tb, a, ALL);
    struct handle *c2 = mint(&tc, a, 3, RIGHT_SEND);
    struct handle *g = copy(&tc, c1, ALL);
    handle_delete(a);
    cr_assert_eq(originals(&ep, NULL, NULL), 3, "b, and a's children c1 and c2");
    cr_assert_not(listed(&ep, a));
    cr_assert(listed(&ep, b));
    cr_assert(listed(&ep, c1));
    cr_assert(listed(&ep, c2));
    cr_assert_null(c1->parent);
    cr_assert_null(c2->parent);
    cr_assert_not(listed(&ep, g), "a grandchild stays its parent's");
    cr_assert_eq(g->parent, c1);
    cr_assert_eq(c2->badge, 3);

    handle_delete(b);
    cr_assert_eq(originals(&ep, NULL, NULL), 2);
    handle_revoke(c1);
    cr_assert_null(g->obj);
    cr_assert_eq(originals(&ep, NULL, NULL), 2, "revoking deletes descendants, not originals");
    handle_delete(c1);
    handle_delete(c2);
    cr_assert_null(ep.handles);
    cr_assert_eq(ep.refs, 0);
    cr_assert_eq(times_destroyed(&ep), 1);
}

Test(handle, an_original_deleted_in_steps_lists_its_children_as_they_move)
{
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *kid[10];
    for (unsigned i = 0; i < 10; i++)
        kid[i] = copy(&tb, a, ALL);
    uint32_t budget = 4;
    cr_assert_not(handle_delete_step(a, &budget));
    cr_assert_eq(originals(&ep, NULL, NULL), 5, "a and the four children moved so far");
    cr_assert(listed(&ep, a));
    while (budget = 4, !handle_delete_step(a, &budget))
        ;
    cr_assert_eq(originals(&ep, NULL, NULL), 10);
    cr_assert_not(listed(&ep, a));
    for (unsigned i = 0; i < 10; i++) {
        cr_assert(listed(&ep, kid[i]));
        assert_names(&tb, handle_number(&tb, kid[i]), kid[i]);
    }
}

/* ------------------------------------------------------------ handles the kernel keeps: handle_place */

Test(handle, place_derives_into_a_kernel_slot)
{
    struct handle kept = { 0 };
    struct handle *src = mint(&ta, create(&ta, &ep, ALL), 77, RIGHT_SEND | RIGHT_RECV);
    handle_place(&kept, src, RIGHT_SEND | RIGHT_CONTROL);
    cr_assert_eq(kept.obj, &ep);
    cr_assert_eq(kept.rights, RIGHT_SEND, "rights only shrink");
    cr_assert_eq(kept.badge, 77, "the badge is kept");
    cr_assert(kept.badged);
    cr_assert_eq(kept.parent, src);
    cr_assert_eq(ep.refs, 3);
}

Test(handle, a_placed_handle_is_revocable)
{
    struct handle kept = { 0 };
    struct handle *root = create(&ta, &ep, ALL);
    struct handle *mid = copy(&tb, root, ALL);
    handle_place(&kept, mid, ALL);
    handle_delete(mid);                             /* kept moves up to root */
    cr_assert_eq(kept.parent, root);
    handle_revoke(root);
    cr_assert_null(kept.obj);
    cr_assert_eq(ep.refs, 1);
    cr_assert_eq(put_calls, 2);
}

Test(handle, placing_over_a_handle_deletes_it)
{
    struct handle kept = { 0 };
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *b = create(&ta, &ep2, ALL);
    handle_place(&kept, a, ALL);
    handle_delete(a);
    cr_assert_eq(ep.refs, 1, "kept holds ep alone");
    handle_place(&kept, b, RIGHT_SEND);
    cr_assert_eq(kept.obj, &ep2);
    cr_assert_eq(kept.rights, RIGHT_SEND);
    cr_assert_eq(kept.parent, b);
    cr_assert_eq(times_destroyed(&ep), 1, "the replaced handle was ep's last");
    cr_assert_eq(ep2.refs, 2);
    cr_assert_null(a->child);
}

Test(handle, placed_handles_pass_on_and_revoke_together)
{
    /* A thread's handler, inherited by the threads it creates (fault_inherit). */
    struct handle parent_handler = { 0 }, child_handler = { 0 }, grandchild_handler = { 0 };
    struct handle *ep_handle = create(&ta, &ep, ALL);
    handle_place(&parent_handler, ep_handle, RIGHT_SEND);
    handle_place(&child_handler, &parent_handler, ALL);
    handle_place(&grandchild_handler, &child_handler, ALL);
    cr_assert_eq(grandchild_handler.rights, RIGHT_SEND);
    cr_assert_eq(ep.refs, 4);

    /* Replacing the middle handler keeps the grandchild's reachable from above. */
    handle_place(&child_handler, ep_handle, RIGHT_SEND);
    cr_assert_eq(grandchild_handler.parent, &parent_handler);
    handle_revoke(ep_handle);
    cr_assert_null(parent_handler.obj);
    cr_assert_null(child_handler.obj);
    cr_assert_null(grandchild_handler.obj);
    cr_assert_eq(ep.refs, 1);
}

/* ------------------------------------------------------------ references */

Test(handle, kobject_put_exactly_when_the_last_handle_goes)
{
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *b = copy(&tb, a, ALL);
    struct handle *c = mint(&tc, b, 3, ALL);
    cr_assert_eq(ep.refs, 3);

    handle_delete(b);
    cr_assert_eq(put_calls, 1);
    cr_assert_eq(ep.refs, 2);
    handle_delete(a);
    cr_assert_eq(ep.refs, 1);
    cr_assert_eq(times_destroyed(&ep), 0, "one handle is left");
    handle_delete(c);
    cr_assert_eq(put_calls, 3);
    cr_assert_eq(ep.refs, 0);
    cr_assert_eq(times_destroyed(&ep), 1);
    cr_assert_eq(destroyed_count, 1, "no other object was touched");
}

Test(handle, references_count_per_object)
{
    struct handle *a = create(&ta, &ep, ALL);
    struct handle *b = create(&ta, &ep2, ALL);
    copy(&tb, a, ALL);
    copy(&tb, b, ALL);
    copy(&tc, b, ALL);
    cr_assert_eq(ep.refs, 2);
    cr_assert_eq(ep2.refs, 3);
    handle_revoke(b);
    cr_assert_eq(ep.refs, 2);
    cr_assert_eq(ep2.refs, 1);
    handle_table_clear(&ta);
    cr_assert_eq(ep.refs, 1, "a's copy in tb is left");
    cr_assert_eq(ep2.refs, 0);
    cr_assert_eq(times_destroyed(&ep2), 1);
    cr_assert_eq(times_destroyed(&ep), 0);
}

/* ------------------------------------------------------------ full tables */

Test(handle, a_full_table_has_no_slot)
{
    static struct handle *h[TABLE_HANDLES];
    for (unsigned i = 0; i < TABLE_HANDLES; i++)
        h[i] = create(&ta, &ep, ALL);
    cr_assert_eq(ep.refs, TABLE_HANDLES);

    struct handle *out = NULL;
    cr_assert_eq(handle_create(&ta, &ep2, ALL, &out), ERR_NO_SLOT);
    cr_assert_null(out);
    cr_assert_eq(ep2.refs, 0, "a refused create takes no reference");

    struct handle *src = create(&tb, &ep2, ALL);
    cr_assert_eq(handle_derive(&ta, src, ALL, 0, 0, &out), ERR_NO_SLOT);
    cr_assert_eq(handle_derive(&ta, src, ALL, 1, 1, &out), ERR_NO_SLOT);
    cr_assert_null(out);
    cr_assert_eq(ep2.refs, 1, "a refused derive takes no reference");
    cr_assert_null(src->child, "a refused derive records no child");

    /* Free one slot: the next handle goes there. */
    relay_handle old = handle_number(&ta, h[100]);
    handle_delete(h[100]);
    out = copy(&ta, src, RIGHT_SEND);
    cr_assert_eq(out, h[100]);
    cr_assert_eq(lookup_err(&ta, old), ERR_STALE_HANDLE);
    cr_assert_eq(handle_derive(&ta, src, ALL, 0, 0, &out), ERR_NO_SLOT);
}

/* ------------------------------------------------------------ clearing a table */

Test(handle, clear_deletes_every_handle)
{
    struct snap s[10];
    struct handle *root = create(&ta, &ep, ALL);
    s[0] = snap(root);
    for (unsigned i = 1; i < 10; i++)
        s[i] = snap(i % 2 ? copy(&ta, root, RIGHT_SEND) : create(&ta, &note, RIGHT_RECV));
    handle_table_clear(&ta);
    for (unsigned i = 0; i < 10; i++)
        assert_gone(s[i]);
    for (uint32_t i = 1; i < ta.slots; i++)
        cr_assert_null(handle_slot(&ta, i)->obj, "slot %u", i);
    cr_assert_null(ep.handles, "no original is left listed");
    cr_assert_null(note.handles);
    cr_assert_eq(put_calls, 10);
    cr_assert_eq(ep.refs, 0);
    cr_assert_eq(note.refs, 0);
    cr_assert_eq(times_destroyed(&ep), 1);
    cr_assert_eq(times_destroyed(&note), 1);

    /* The table is usable again and the old numbers stay stale. */
    struct handle *h = create(&ta, &ep2, ALL);
    for (unsigned i = 0; i < 10; i++)
        cr_assert_neq(handle_number(&ta, h), s[i].number);
    for (unsigned i = 0; i < 10; i++)
        cr_assert_eq(lookup_err(&ta, s[i].number), ERR_STALE_HANDLE);
}

Test(handle, clear_keeps_other_tables_consistent)
{
    struct tree t = build_tree();
    struct snap c1a1 = snap(t.c1a1), m2b = snap(t.m2b), g3 = snap(t.g3), c1a = snap(t.c1a);
    handle_table_clear(&tc);            /* a task holding only leaves ends */
    assert_gone(c1a1);
    assert_gone(m2b);
    assert_gone(g3);
    assert_alive(c1a);
    cr_assert_null(t.c1a->child);
    cr_assert_eq(ep.refs, 5);

    handle_table_clear(&ta);            /* root, c1 and m2a go: c1a is now an original */
    assert_alive(c1a);
    cr_assert_null(t.c1a->parent);
    cr_assert_eq(ep.refs, 2);           /* c1a and m2 in tb */
    handle_revoke(t.m2);
    cr_assert_eq(ep.refs, 2);
    handle_table_clear(&tb);
    cr_assert_eq(ep.refs, 0);
    cr_assert_eq(times_destroyed(&ep), 1);
}

Test(handle, clear_an_empty_table)
{
    handle_table_clear(&ta);
    cr_assert_eq(put_calls, 0);
}

/* ------------------------------------------------------------ random operations against a model */

/*
 * Random create / copy / mint / delete / revoke / clear over three tables,
 * checked after every step against a model in which revoke(h) deletes every
 * live handle that has h among its ancestors as they were when each was
 * derived (deleting a handle in between does not break the chain).  Each
 * table may hold MODEL_PAGES pages (the directory among them), so that the
 * tables fill up: a full one is ERR_NO_MEMORY.
 */
#define MODEL_MAX 6000
#define MODEL_OBJS 4
#define MODEL_PAGES 4
#define MODEL_TABLE_HANDLES ((MODEL_PAGES - 1) * PAGE_HANDLES)

struct model {
    int table;             /* 0..2 */
    relay_handle number;
    struct handle *h;
    int parent;            /* model id of the source, -1 for an original */
    int obj;
    uint8_t rights;
    uint32_t badge;
    int badged;
    int alive;
};

static struct model model[MODEL_MAX];
static int model_count;
static struct kobject model_obj[MODEL_OBJS];
static uint32_t rng_state = 12345;
static unsigned seen_full, seen_invalid, seen_revoked, seen_clear;   /* coverage of the walk */

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static struct handle_table *model_table(int i)
{
    return i == 0 ? &ta : i == 1 ? &tb : &tc;
}

static int model_live_in(int table)
{
    int n = 0;
    for (int i = 0; i < model_count; i++)
        n += model[i].alive && model[i].table == table;
    return n;
}

static int model_pick_alive(void)
{
    int n = 0;
    for (int i = 0; i < model_count; i++)
        n += model[i].alive;
    if (!n)
        return -1;
    int k = (int)(rng() % (uint32_t)n);
    for (int i = 0; i < model_count; i++)
        if (model[i].alive && k-- == 0)
            return i;
    return -1;
}

static int model_descends_from(int x, int ancestor)
{
    for (int p = model[x].parent; p >= 0; p = model[p].parent)
        if (p == ancestor)
            return 1;
    return 0;
}

static int model_nearest_live_ancestor(int x)
{
    int p = model[x].parent;
    while (p >= 0 && !model[p].alive)
        p = model[p].parent;
    return p;
}

static void model_add(int table, struct handle *h, int parent, int obj, uint8_t rights,
                      uint32_t badge, int badged)
{
    cr_assert_lt(model_count, MODEL_MAX);
    model[model_count++] = (struct model){ table, handle_number(model_table(table), h), h,
                                           parent, obj, rights, badge, badged, 1 };
}

static void model_check(int step)
{
    int refs[MODEL_OBJS] = { 0 };
    for (int i = 0; i < model_count; i++) {
        struct model *m = &model[i];
        struct handle_table *t = model_table(m->table);
        struct handle *out = NULL;
        enum relay_error err = handle_lookup(t, m->number, KOBJ_NONE, 0, &out);
        if (!m->alive) {
            cr_assert_eq(err, ERR_STALE_HANDLE, "step %d: dead id %d number %#x", step, i, m->number);
            continue;
        }
        refs[m->obj]++;
        cr_assert_eq(err, ERR_NONE, "step %d: live id %d number %#x", step, i, m->number);
        cr_assert_eq(out, m->h, "step %d: id %d", step, i);
        cr_assert_eq(out->obj, &model_obj[m->obj], "step %d: id %d", step, i);
        cr_assert_eq(out->rights, m->rights, "step %d: id %d", step, i);
        cr_assert_eq(out->badge, m->badge, "step %d: id %d", step, i);
        int p = model_nearest_live_ancestor(i);
        cr_assert_eq(out->parent, p >= 0 ? model[p].h : NULL, "step %d: id %d's parent", step, i);
        /* The sibling links agree with the parent's child list. */
        if (out->prev)
            cr_assert_eq(out->prev->next, out, "step %d: id %d", step, i);
        else if (out->parent)
            cr_assert_eq(out->parent->child, out, "step %d: id %d", step, i);
        else
            cr_assert_eq(out->obj->handles, out, "step %d: id %d heads its object's originals", step, i);
        if (out->next)
            cr_assert_eq(out->next->prev, out, "step %d: id %d", step, i);
        if (out->child)
            cr_assert_eq(out->child->parent, out, "step %d: id %d", step, i);
    }
    for (int o = 0; o < MODEL_OBJS; o++)
        cr_assert_eq(model_obj[o].refs, refs[o], "step %d: object %d", step, o);
    /* Each object lists exactly its live handles with no live ancestor. */
    int originals[MODEL_OBJS] = { 0 };
    for (int i = 0; i < model_count; i++)
        if (model[i].alive && model_nearest_live_ancestor(i) < 0)
            originals[model[i].obj]++;
    for (int o = 0; o < MODEL_OBJS; o++) {
        int n = 0;
        for (const struct handle *h = model_obj[o].handles; h; h = h->next, n++) {
            cr_assert_lt(n, MODEL_MAX, "step %d: object %d's list loops", step, o);
            cr_assert_null(h->parent, "step %d: object %d lists a derived handle", step, o);
            cr_assert_eq(h->obj, &model_obj[o], "step %d", step);
        }
        cr_assert_eq(n, originals[o], "step %d: object %d's originals", step, o);
    }
}

/* While `grow`, nine steps in ten make a handle, so that the tables fill up. */
static void model_step(int step, int grow)
{
    uint32_t op = grow && rng() % 10 ? rng() % 60 : rng() % 100;
    int table = (int)(rng() % 3);
    struct handle_table *t = model_table(table);
    uint8_t ask = (uint8_t)(rng() & 0x1F);
    int full = (uint32_t)model_live_in(table) == MODEL_TABLE_HANDLES;
    struct handle *out = NULL;

    if (op < 15) {                                          /* create */
        int obj = (int)(rng() % MODEL_OBJS);
        enum relay_error err = handle_create(t, &model_obj[obj], ask, &out);
        cr_assert_eq(err, full ? ERR_NO_MEMORY : ERR_NONE, "step %d", step);
        seen_full += full;
        if (!full)
            model_add(table, out, -1, obj, ask & ALL, 0, 0);
        return;
    }
    int src = model_pick_alive();
    if (src < 0)
        return;
    struct model *s = &model[src];
    if (op < 60) {                                          /* copy or mint */
        int do_mint = (int)(rng() & 1);
        uint32_t badge = rng();
        enum relay_error want = do_mint && s->badged ? ERR_INVALID : full ? ERR_NO_MEMORY : ERR_NONE;
        cr_assert_eq(handle_derive(t, s->h, ask, do_mint, badge, &out), want, "step %d", step);
        seen_full += want == ERR_NO_MEMORY;
        seen_invalid += want == ERR_INVALID;
        if (want == ERR_NONE)
            model_add(table, out, src, s->obj, s->rights & ask, do_mint ? badge : s->badge,
                      do_mint || s->badged);
    } else if (op < 85) {                                   /* delete */
        handle_delete(s->h);
        s->alive = 0;
    } else if (op < 98) {                                   /* revoke */
        handle_revoke(s->h);
        for (int i = 0; i < model_count; i++)
            if (model[i].alive && model_descends_from(i, src)) {
                model[i].alive = 0;
                seen_revoked++;
            }
    } else {                                                /* a task ends */
        handle_table_clear(t);
        seen_clear++;
        for (int i = 0; i < model_count; i++)
            if (model[i].table == table)
                model[i].alive = 0;
    }
}

Test(handle, random_operations_match_the_model)
{
    for (int o = 0; o < MODEL_OBJS; o++)
        model_obj[o] = (struct kobject){ .type = KOBJ_ENDPOINT };
    model_count = 0;
    page_limit = MODEL_PAGES;
    for (int step = 0; model_count < MODEL_MAX - 1 && step < 5000; step++) {
        model_step(step, step % 2000 < 1000);
        model_check(step);
    }
    cr_assert_gt(model_count, 1000, "the walk made few handles");
    cr_assert_gt(seen_full, 0, "the walk never filled a table");
    cr_assert_gt(seen_invalid, 0, "the walk never re-minted a badged handle");
    cr_assert_gt(seen_revoked, 100, "the walk revoked little");
    cr_assert_gt(seen_clear, 0, "the walk never cleared a table");
}

/* ------------------------------------------------------------ budgets and restarts */

/* Revoke from the root of a chain a budget at a time, as the system call
 * does when it restarts: how many steps, and how many units in all. */
static unsigned revoke_in_steps(struct handle *root, uint32_t budget, uint32_t *units)
{
    unsigned steps = 0;
    *units = 0;
    for (int done = 0; !done; steps++) {
        uint32_t b = budget;
        done = handle_revoke_step(root, &b);
        *units += budget - b;
        cr_assert(done || b == 0, "a step stops early only when its budget is spent");
    }
    return steps;
}

Test(handle, revoke_of_a_10000_deep_chain_is_linear)
{
    enum { DEPTH = 10000, TABLES = 40, PER = 250 };
    static struct handle_table t[TABLES];
    for (unsigned i = 0; i < TABLES; i++)
        handle_table_init(&t[i], 0);
    struct handle *root = create(&ta, &ep, ALL), *h = root;
    for (unsigned i = 0; i < DEPTH; i++)
        h = copy(&t[i / PER], h, ALL);
    cr_assert_eq(ep.refs, DEPTH + 1);
    uint32_t units;
    unsigned steps = revoke_in_steps(root, 256, &units);
    cr_assert_eq(ep.refs, 1);
    cr_assert_eq(put_calls, DEPTH);
    /* every handle deleted once and moved up at most once: at most 2 units a handle */
    cr_assert_leq(units, 2 * DEPTH, "units %u for %u handles", units, DEPTH);
    cr_assert_leq(steps, 2 * DEPTH / 256 + 1);
    for (unsigned i = 0; i < TABLES; i++) {
        cr_assert_eq(live_in(&t[i]), 0);
        release_all(&t[i]);
    }
}

Test(handle, a_wide_tree_revokes_in_bounded_steps)
{
    /* a root with 200 children, each with 50 grandchildren: no step may
     * run past its budget by more than one deletion */
    enum { KIDS = 200, GRAND = 50 };
    static struct handle_table t[KIDS / 4 + 1];
    for (unsigned i = 0; i < KIDS / 4 + 1; i++)
        handle_table_init(&t[i], 0);
    struct handle *root = create(&ta, &ep, ALL);
    for (unsigned k = 0; k < KIDS; k++) {
        struct handle *c = copy(&t[k / 4], root, ALL);
        for (unsigned g = 0; g < GRAND; g++)
            copy(&t[k / 4], c, ALL);
    }
    uint32_t units;
    revoke_in_steps(root, 16, &units);
    cr_assert_eq(ep.refs, 1);
    cr_assert_leq(units, 2 * KIDS * (GRAND + 1));
}

Test(handle, a_delete_restarted_midway_keeps_the_tree_whole)
{
    /* deleting a handle with 100 children, 7 moves at a time: between steps
     * the children are split between it and its parent, and the parent's
     * revoke still reaches every one */
    struct handle *root = create(&ta, &ep, ALL);
    struct handle *mid = copy(&tb, root, ALL);
    struct snap kids[100];
    for (unsigned i = 0; i < 100; i++)
        kids[i] = snap(copy(&tc, mid, ALL));
    struct snap m = snap(mid);
    uint32_t b = 7;
    cr_assert_not(handle_delete_step(mid, &b));
    cr_assert_eq(b, 0);
    assert_alive(m);                                    /* not deleted yet */
    for (unsigned i = 0; i < 100; i++)
        assert_alive(kids[i]);
    while (b = 7, !handle_delete_step(mid, &b))
        ;
    assert_gone(m);
    handle_revoke(root);
    for (unsigned i = 0; i < 100; i++)
        assert_gone(kids[i]);
    cr_assert_eq(ep.refs, 1);
}

/* ------------------------------------------------------------ handles a task holds on itself */

Test(handle, own_refs_count_handles_in_the_home_tasks_table)
{
    handle_table_init(&ta, &task);                    /* ta is task's own table */
    task.home = &task;
    thread.home = &task;
    struct handle *self = create(&ta, &task, ALL);
    struct handle *mine = create(&ta, &thread, ALL);
    struct handle *outside = create(&tb, &task, ALL);
    struct handle *given = copy(&ta, outside, ALL);    /* a copy given into task's own table */
    cr_assert_eq(task.refs, 3);
    cr_assert_eq(task.own_refs, 2, "self and the given copy");
    cr_assert_eq(thread.own_refs, 1);
    cr_assert_eq(ep.own_refs, 0);
    handle_delete(outside);                           /* given moves up: still task's own */
    cr_assert_eq(task.own_refs, 2);
    handle_delete(given);
    handle_delete(self);
    handle_delete(mine);
    cr_assert_eq(task.own_refs, 0);
    cr_assert_eq(thread.own_refs, 0);
    cr_assert_eq(task.refs, 0);
}

Test(handle, release_goes_a_budget_at_a_time)
{
    struct handle *h[20 * HANDLES_PER_PAGE];
    uint32_t n = 0, budget;
    while (n < 20 * (HANDLES_PER_PAGE - 1))
        cr_assert_eq(handle_create(&ta, &ep, RIGHTS_ALL, &h[n++]), ERR_NONE);
    cr_assert_geq(pages_held(&ta), 21, "20 pages of handles and the directory");
    while (n)
        handle_delete(h[--n]);
    budget = 1;
    cr_assert_eq(handle_table_release(&ta, &budget), 0, "one unit does not give back 20 pages");
    cr_assert_eq(budget, 0);
    cr_assert_gt(pages_held(&ta), 0);
    cr_assert_lt(pages_held(&ta), 21, "but it gives back some");
    budget = 100;
    cr_assert_eq(handle_table_release(&ta, &budget), 1);
    cr_assert_eq(pages_held(&ta), 0, "every page back, the directory too");
}

/* ------------------------------------------------------------ tracked kinds */

Test(handle, a_port_range_is_told_of_each_handle_entering_or_leaving_a_task_table)
{
    struct kobject owner_a = { .type = KOBJ_TASK }, owner_b = { .type = KOBJ_TASK };
    struct kobject ports = { .type = KOBJ_IOPORT };
    handle_table_init(&ta, &owner_a);
    handle_table_init(&tb, &owner_b);
    struct handle *a = create(&ta, &ports, ALL);
    cr_assert_eq(entered, 1);
    cr_assert_eq(last_owner, &owner_a);
    struct handle *b = copy(&tb, a, ALL);
    struct handle *b2 = copy(&tb, b, ALL);
    cr_assert_eq(entered, 3);
    cr_assert_eq(last_owner, &owner_b);
    struct handle kept = { 0 };
    handle_place(&kept, b, ALL);           /* kept by the kernel: in no table */
    cr_assert_eq(entered, 3);
    handle_revoke(a);                      /* b, b2 and the kept one go */
    cr_assert_eq(left, 2, "the two in b's table, not the kept one");
    cr_assert_eq(last_owner, &owner_b);
    handle_delete(a);
    cr_assert_eq(left, 3);
    cr_assert_eq(last_left, a);
    cr_assert_eq(ports.refs, 0);
    (void)b2;
}

Test(handle, an_endpoint_is_not_tracked)
{
    struct kobject owner = { .type = KOBJ_TASK };
    handle_table_init(&ta, &owner);
    handle_delete(copy(&ta, create(&ta, &ep, ALL), ALL));
    cr_assert_eq(entered + left, 0);
}

Test(handle, a_refused_entry_changes_nothing)
{
    struct kobject owner = { .type = KOBJ_TASK };
    struct kobject irq = { .type = KOBJ_IRQ };
    handle_table_init(&ta, &owner);
    handle_table_init(&tb, &owner);
    struct handle *a = create(&ta, &irq, ALL);
    refuse_entry = ERR_NO_MEMORY;
    struct handle *out = NULL;
    cr_assert_eq(handle_derive(&tb, a, ALL, 0, 0, &out), ERR_NO_MEMORY);
    cr_assert_eq(handle_create(&tb, &irq, ALL, &out), ERR_NO_MEMORY);
    cr_assert_eq(irq.refs, 1);
    cr_assert_null(a->child);
    cr_assert_eq(live_in(&tb), 0);
}
