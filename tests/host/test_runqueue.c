/*
 * The priority run queues (microkernel/runqueue.c): the choice is the head of
 * the highest non-empty level, levels are FIFO, and the bitmap of non-empty
 * levels always matches the lists.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "runqueue.h"
#include "thread.h"

#define THREADS 64

static struct runqueue rq;
static struct thread th[THREADS];

static void setup(void)
{
    runqueue_init(&rq);
    for (unsigned i = 0; i < THREADS; i++) {
        th[i] = (struct thread){ .id = (uint16_t)i };
        list_init(&th[i].queue_node);
    }
}

TestSuite(runqueue, .init = setup);

static void ready(unsigned i, unsigned prio)
{
    th[i].priority = (uint8_t)prio;
    runqueue_push_back(&rq, &th[i].queue_node, prio);
}

static void ready_first(unsigned i, unsigned prio)
{
    th[i].priority = (uint8_t)prio;
    runqueue_push_front(&rq, &th[i].queue_node, prio);
}

static void unready(unsigned i)
{
    runqueue_remove(&rq, &th[i].queue_node, th[i].priority);
}

/* The thread the scheduler would choose, or -1; checks the priority it reports. */
static int chosen(void)
{
    unsigned prio = 0xDEAD;
    struct list *n = runqueue_peek(&rq, &prio);
    if (!n) {
        cr_assert_eq(prio, 0xDEAD, "an empty queue reports no priority");
        return -1;
    }
    struct thread *t = list_entry(n, struct thread, queue_node);
    cr_assert(t >= th && t < th + THREADS, "peek returned a foreign node");
    cr_assert_eq(prio, t->priority, "thread %u chosen at priority %u", t->id, prio);
    return t->id;
}

/* Run the queue dry, choosing and removing; the ids must come out as `want`. */
static void assert_order(const int *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        int id = chosen();
        cr_assert_eq(id, want[i], "choice %u: thread %d, expected %d", i, id, want[i]);
        unready((unsigned)id);
    }
    cr_assert_eq(chosen(), -1, "threads left over");
    cr_assert_eq(rq.nonempty, 0);
}

/* The bitmap has exactly the non-empty levels. */
static void assert_bitmap_matches(void)
{
    for (unsigned p = 0; p < PRIORITIES; p++)
        cr_assert_eq(!!(rq.nonempty & 1u << p), !list_empty(&rq.level[p]), "level %u", p);
}

Test(runqueue, one_bitmap_bit_per_level)
{
    cr_assert_eq(PRIORITIES, 8 * sizeof rq.nonempty, "the tests below assume 32 levels");
}

Test(runqueue, empty_chooses_nothing)
{
    cr_assert_eq(rq.nonempty, 0);
    cr_assert_eq(chosen(), -1);
    assert_bitmap_matches();
}

Test(runqueue, highest_priority_is_chosen)
{
    ready(0, 3);
    ready(1, 17);
    ready(2, 9);
    cr_assert_eq(chosen(), 1);
    cr_assert_eq(chosen(), 1, "peek leaves the thread in place");
    assert_bitmap_matches();
    static const int order[] = { 1, 2, 0 };
    assert_order(order, 3);
}

Test(runqueue, fifo_within_a_priority)
{
    for (unsigned i = 0; i < 5; i++)
        ready(i, 12);
    static const int order[] = { 0, 1, 2, 3, 4 };
    assert_order(order, 5);
}

Test(runqueue, round_robin_by_requeueing_the_head)
{
    ready(0, 4);
    ready(1, 4);
    ready(2, 4);
    for (unsigned round = 0; round < 9; round++) {
        int id = chosen();
        cr_assert_eq(id, (int)(round % 3), "round %u", round);
        unready((unsigned)id);                    /* its slice ran out */
        ready((unsigned)id, 4);
    }
}

Test(runqueue, push_front_goes_first)
{
    ready(0, 6);
    ready(1, 6);
    ready_first(2, 6);                            /* a preempted thread keeps its turn */
    static const int order[] = { 2, 0, 1 };
    assert_order(order, 3);
}

Test(runqueue, push_front_on_an_empty_level)
{
    ready(0, 2);
    ready_first(1, 20);
    assert_bitmap_matches();
    cr_assert_eq(chosen(), 1);
    ready(2, 20);
    ready_first(3, 20);
    static const int order[] = { 3, 1, 2, 0 };
    assert_order(order, 4);
}

Test(runqueue, remove_from_the_middle_keeps_the_level)
{
    ready(0, 8);
    ready(1, 8);
    ready(2, 8);
    unready(1);
    cr_assert(rq.nonempty & 1u << 8);
    cr_assert_not(list_linked(&th[1].queue_node), "a removed node is on no list");
    static const int order[] = { 0, 2 };
    assert_order(order, 2);
}

Test(runqueue, remove_the_tail_and_the_head)
{
    ready(0, 8);
    ready(1, 8);
    ready(2, 8);
    unready(2);
    unready(0);
    assert_bitmap_matches();
    static const int order[] = { 1 };
    assert_order(order, 1);
}

Test(runqueue, removing_the_only_thread_clears_the_bit)
{
    ready(0, 30);
    ready(1, 5);
    cr_assert_eq(rq.nonempty, 1u << 30 | 1u << 5);
    unready(0);
    cr_assert_eq(rq.nonempty, 1u << 5);
    cr_assert(list_empty(&rq.level[30]));
    cr_assert_eq(chosen(), 1, "the next level down is chosen");
    unready(1);
    cr_assert_eq(rq.nonempty, 0);
    cr_assert_eq(chosen(), -1);
}

Test(runqueue, a_lower_level_does_not_disturb_a_higher_one)
{
    ready(0, 10);
    ready(1, 1);
    ready(2, 1);
    unready(1);
    cr_assert_eq(chosen(), 0);
    unready(2);
    cr_assert_eq(chosen(), 0);
    cr_assert_eq(rq.nonempty, 1u << 10);
}

Test(runqueue, the_lowest_and_highest_levels)
{
    ready(0, 0);
    cr_assert_eq(rq.nonempty, 1u);
    cr_assert_eq(chosen(), 0, "priority 0 runs when nothing else can");
    ready(1, PRIORITIES - 1);
    cr_assert_eq(rq.nonempty, 1u | 1u << 31);
    cr_assert_eq(chosen(), 1);
    static const int order[] = { 1, 0 };
    assert_order(order, 2);
}

Test(runqueue, all_32_levels)
{
    /* One thread per level, readied in a scrambled order (7 is coprime to 32). */
    for (unsigned k = 0; k < PRIORITIES; k++) {
        unsigned p = (k * 7 + 3) % PRIORITIES;
        ready(p, p);
    }
    cr_assert_eq(rq.nonempty, 0xFFFFFFFFu);
    assert_bitmap_matches();
    for (int p = PRIORITIES - 1; p >= 0; p--) {
        cr_assert_eq(chosen(), p);
        unready((unsigned)p);
        assert_bitmap_matches();
    }
    cr_assert_eq(chosen(), -1);
}

Test(runqueue, every_level_alone)
{
    for (unsigned p = 0; p < PRIORITIES; p++) {
        ready(p, p);
        cr_assert_eq(rq.nonempty, 1u << p);
        cr_assert_eq(chosen(), (int)p);
        unready(p);
        cr_assert_eq(rq.nonempty, 0);
    }
}

Test(runqueue, two_per_level_in_priority_then_fifo_order)
{
    /* Thread i at level i / 2: the pairs come out highest level first, each pair in order. */
    for (unsigned i = 0; i < THREADS; i++)
        ready(i, i / 2);
    int order[THREADS];
    for (unsigned k = 0; k < THREADS; k++) {
        unsigned level = PRIORITIES - 1 - k / 2;
        order[k] = (int)(level * 2 + k % 2);
    }
    assert_order(order, THREADS);
}

/* Random pushes and removals, checked against a per-level model after each step. */
Test(runqueue, random_operations_match_the_model)
{
    int model[PRIORITIES][THREADS];           /* ids per level, oldest first */
    unsigned count[PRIORITIES] = { 0 };
    int queued[THREADS] = { 0 };
    uint32_t seed = 0x9E3779B9u;
    for (unsigned step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned i = (seed >> 8) % THREADS;
        if (!queued[i]) {
            unsigned p = (seed >> 16) % PRIORITIES;
            int front = (seed >> 28) & 1;
            if (front) {
                ready_first(i, p);
                for (unsigned k = count[p]; k > 0; k--)
                    model[p][k] = model[p][k - 1];
                model[p][0] = (int)i;
            } else {
                ready(i, p);
                model[p][count[p]] = (int)i;
            }
            count[p]++;
            queued[i] = 1;
        } else {
            unsigned p = th[i].priority, k = 0;
            unready(i);
            while (model[p][k] != (int)i)
                k++;
            for (; k + 1 < count[p]; k++)
                model[p][k] = model[p][k + 1];
            count[p]--;
            queued[i] = 0;
        }
        assert_bitmap_matches();
        int want = -1;
        for (int p = PRIORITIES - 1; p >= 0 && want < 0; p--)
            if (count[p])
                want = model[p][0];
        cr_assert_eq(chosen(), want, "step %u", step);
    }
    /* Whatever is left comes out level by level, each level in the model's order. */
    int order[THREADS];
    unsigned n = 0;
    for (int p = PRIORITIES - 1; p >= 0; p--)
        for (unsigned k = 0; k < count[p]; k++)
            order[n++] = model[p][k];
    assert_order(order, n);
}
