/*
 * Handle tables and the derivation tree (microkernel/handle.c), against the
 * contract of docs/ABI.md section 2: rights only shrink, badges are set once
 * and kept by copies, a stale number is refused even after its slot is
 * reused, and revoke deletes every handle derived from one, in any table.
 *
 * handle.c drops references through kobject_put(); the double below counts
 * the calls and records each object whose last reference went.  This is the
 * only host test file that defines kobject_put.
 */
#include <criterion/criterion.h>
#include <stdint.h>
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

static unsigned times_destroyed(const struct kobject *obj)
{
    unsigned n = 0;
    cr_assert_leq(destroyed_count, DESTROYED_MAX, "the record overflowed");
    for (unsigned i = 0; i < destroyed_count; i++)
        n += destroyed[i] == obj;
    return n;
}

/* ------------------------------------------------------------ without a budget */

/* The kernel's calls go a budget at a time; these do the whole job. */
static void handle_revoke(struct handle *h)
{
    uint32_t unlimited = UINT32_MAX;
    cr_assert(handle_revoke_step(h, &unlimited));
}

static void handle_table_clear(struct handle_table *t)
{
    for (uint32_t i = 1; i < HANDLE_SLOTS; i++)
        if (t->slot[i].obj)
            handle_delete(&t->slot[i]);
}

/* ------------------------------------------------------------ fixture */

#define SLOTS_USABLE (HANDLE_SLOTS - 1)    /* slot 0 is never used */

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
}

TestSuite(handle, .init = setup);

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
    uint32_t slot = (uint32_t)(h - ta.slot);
    cr_assert_eq(HANDLE_SLOT(n), slot, "bits 0..7 are the slot");
    cr_assert_neq(slot, 0, "slot 0 is never used");
    cr_assert_eq(n >> 8, h->gen, "bits 8..31 are the generation");
    cr_assert_neq(h->gen, 0);
}

Test(handle, number_round_trip_in_every_slot)
{
    struct handle *h[SLOTS_USABLE];
    relay_handle n[SLOTS_USABLE];
    for (unsigned i = 0; i < SLOTS_USABLE; i++) {
        h[i] = create(&ta, &ep, ALL);
        n[i] = handle_number(&ta, h[i]);
    }
    for (unsigned i = 0; i < SLOTS_USABLE; i++) {
        for (unsigned j = 0; j < i; j++)
            cr_assert_neq(n[i], n[j], "two live handles share number %#x", n[i]);
        assert_names(&ta, n[i], h[i]);
    }
    cr_assert_eq(ep.refs, SLOTS_USABLE);
}

Test(handle, slot_zero_is_never_a_handle)
{
    create(&ta, &ep, ALL);
    cr_assert_eq(lookup_err(&ta, HANDLE_NULL), ERR_BAD_HANDLE);
    for (uint32_t gen = 1; gen < 4; gen++)
        cr_assert_eq(lookup_err(&ta, gen << 8), ERR_BAD_HANDLE, "slot 0 gen %u", gen);
    cr_assert_eq(lookup_err(&ta, 0xFFFFFF00u), ERR_BAD_HANDLE);
    struct handle *out = NULL;
    cr_assert_eq(handle_find(&ta, HANDLE_NULL, &out), ERR_BAD_HANDLE);
    cr_assert_null(out);
}

Test(handle, never_allocated_numbers_are_bad)
{
    /* An empty table: nothing resolves, whatever the slot or generation. */
    static const relay_handle empty_numbers[] = {
        0x001, 0x101, 0x1FF, 0x205, 0xFFFFFFFFu, 0x80000001u, 0xFFFFFF01u,
    };
    for (size_t i = 0; i < sizeof empty_numbers / sizeof empty_numbers[0]; i++)
        cr_assert_eq(lookup_err(&ta, empty_numbers[i]), ERR_BAD_HANDLE, "%#x", empty_numbers[i]);

    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    uint32_t slot = HANDLE_SLOT(n), gen = n >> 8;
    cr_assert_eq(lookup_err(&ta, slot), ERR_BAD_HANDLE, "generation 0 is never allocated");
    cr_assert_eq(lookup_err(&ta, slot | (gen + 1) << 8), ERR_BAD_HANDLE, "a future generation");
    cr_assert_eq(lookup_err(&ta, slot | 0xFFFFFFu << 8), ERR_BAD_HANDLE, "the last generation");
    cr_assert_eq(lookup_err(&ta, (slot + 1) | gen << 8), ERR_BAD_HANDLE, "the next, empty slot");
    cr_assert_eq(lookup_err(&ta, 0xFFFFFFFFu), ERR_BAD_HANDLE);
}

Test(handle, a_number_is_only_good_in_its_own_table)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle n = handle_number(&ta, h);
    cr_assert_eq(lookup_err(&tb, n), ERR_BAD_HANDLE);
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
    cr_assert_neq(fresh, old, "the generation changed");
    cr_assert_eq(lookup_err(&ta, old), ERR_STALE_HANDLE);
    assert_names(&ta, fresh, again);
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
 * Generations are 24 bits.  A slot whose generation runs out is retired
 * rather than wrapped (handle.h), so that no number is ever issued twice:
 * every number the slot had stays stale (ABI section 2).  Driven through
 * the API: 2^24 - 1 create/delete rounds on one slot.
 */
#define GEN_LAST 0xFFFFFFu

Test(handle, used_up_slot_is_retired)
{
    struct handle *h = create(&ta, &ep, ALL);
    relay_handle first = handle_number(&ta, h);
    while (h->gen != GEN_LAST) {
        handle_delete(h);
        h = create(&ta, &ep, ALL);
    }
    relay_handle last = handle_number(&ta, h);
    cr_assert_eq(HANDLE_SLOT(last), HANDLE_SLOT(first), "every round reused the one slot");
    cr_assert_eq(last >> 8, GEN_LAST);
    handle_delete(h);

    h = create(&ta, &ep, ALL);                      /* the generation would wrap here */
    relay_handle next = handle_number(&ta, h);
    cr_assert_neq(HANDLE_SLOT(next), HANDLE_SLOT(last), "the used-up slot was handed out again");
    cr_assert_neq(next, first, "the slot's first number %#x was issued again", first);
    cr_assert_eq(lookup_err(&ta, last), ERR_STALE_HANDLE,
                 "the last generation's number of a retired slot: expected ERR_STALE_HANDLE");
    cr_assert_eq(lookup_err(&ta, first), ERR_STALE_HANDLE);
    assert_names(&ta, next, h);
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
    for (unsigned i = 0; i < SLOTS_USABLE; i++)
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
    cr_assert(given >= tb.slot && given < tb.slot + HANDLE_SLOTS, "the copy lives in tb");
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
        if (h >= tables[i]->slot && h < tables[i]->slot + HANDLE_SLOTS)
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
    struct handle *h[SLOTS_USABLE];
    for (unsigned i = 0; i < SLOTS_USABLE; i++)
        h[i] = create(&ta, &ep, ALL);
    cr_assert_eq(ep.refs, SLOTS_USABLE);

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
    for (unsigned i = 1; i < HANDLE_SLOTS; i++)
        cr_assert_null(ta.slot[i].obj, "slot %u", i);
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
 * derived (deleting a handle in between does not break the chain).
 */
#define MODEL_MAX 6000
#define MODEL_OBJS 4

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
static unsigned seen_no_slot, seen_invalid, seen_revoked, seen_clear;   /* coverage of the walk */

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
        if (out->next)
            cr_assert_eq(out->next->prev, out, "step %d: id %d", step, i);
        if (out->child)
            cr_assert_eq(out->child->parent, out, "step %d: id %d", step, i);
    }
    for (int o = 0; o < MODEL_OBJS; o++)
        cr_assert_eq(model_obj[o].refs, refs[o], "step %d: object %d", step, o);
}

/* While `grow`, nine steps in ten make a handle, so that the tables fill up. */
static void model_step(int step, int grow)
{
    uint32_t op = grow && rng() % 10 ? rng() % 60 : rng() % 100;
    int table = (int)(rng() % 3);
    struct handle_table *t = model_table(table);
    uint8_t ask = (uint8_t)(rng() & 0x1F);
    int full = model_live_in(table) == SLOTS_USABLE;
    struct handle *out = NULL;

    if (op < 15) {                                          /* create */
        int obj = (int)(rng() % MODEL_OBJS);
        enum relay_error err = handle_create(t, &model_obj[obj], ask, &out);
        cr_assert_eq(err, full ? ERR_NO_SLOT : ERR_NONE, "step %d", step);
        seen_no_slot += full;
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
        enum relay_error want = do_mint && s->badged ? ERR_INVALID : full ? ERR_NO_SLOT : ERR_NONE;
        cr_assert_eq(handle_derive(t, s->h, ask, do_mint, badge, &out), want, "step %d", step);
        seen_no_slot += want == ERR_NO_SLOT;
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
    for (int step = 0; model_count < MODEL_MAX - 1 && step < 5000; step++) {
        model_step(step, step % 2000 < 1000);
        model_check(step);
    }
    cr_assert_gt(model_count, 1000, "the walk made few handles");
    cr_assert_gt(seen_no_slot, 0, "the walk never filled a table");
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
    for (unsigned i = 0; i < TABLES; i++)
        for (uint32_t s = 1; s < HANDLE_SLOTS; s++)
            cr_assert_null(t[i].slot[s].obj);
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
