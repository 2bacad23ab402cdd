/*
 * Intrusive circular lists (microkernel/list.h): what the run queues,
 * endpoint queues and timer list are built from.
 */
#include <criterion/criterion.h>
#include <stddef.h>

#include "list.h"

struct item {
    int value;
    struct list node;
    int after;                 /* a field after the node, for container_of */
};

#define ITEMS 8

static struct list head;
static struct item items[ITEMS];

static void setup(void)
{
    list_init(&head);
    for (int i = 0; i < ITEMS; i++) {
        items[i] = (struct item){ .value = i, .after = 100 + i };
        list_init(&items[i].node);
    }
}

TestSuite(list, .init = setup);

/* The list holds exactly `want`, front to back, and is consistent backwards too. */
static void assert_list(const int *want, int n)
{
    int i = 0;
    for (struct list *p = head.next; p != &head; p = p->next, i++) {
        cr_assert_lt(i, n, "more than %d items", n);
        cr_assert_eq(list_entry(p, struct item, node)->value, want[i], "position %d", i);
        cr_assert_eq(p->next->prev, p, "position %d: broken back link", i);
    }
    cr_assert_eq(i, n, "%d items, expected %d", i, n);
    i = n - 1;
    for (struct list *p = head.prev; p != &head; p = p->prev, i--)
        cr_assert_eq(list_entry(p, struct item, node)->value, want[i], "backwards, position %d", i);
    cr_assert_eq(i, -1);
    cr_assert_eq(list_empty(&head), n == 0);
}

Test(list, init_is_empty_and_unlinked)
{
    cr_assert(list_empty(&head));
    cr_assert_eq(head.next, &head);
    cr_assert_eq(head.prev, &head);
    cr_assert_not(list_linked(&items[0].node));
}

Test(list, static_initialiser)
{
    static struct list l = LIST_INIT(l);
    cr_assert(list_empty(&l));
    cr_assert_eq(l.prev, &l);
}

Test(list, push_back_keeps_order)
{
    for (int i = 0; i < 4; i++)
        list_push_back(&head, &items[i].node);
    static const int want[] = { 0, 1, 2, 3 };
    assert_list(want, 4);
    cr_assert(list_linked(&items[2].node));
    cr_assert_not(list_empty(&head));
}

Test(list, pop_front_is_fifo)
{
    for (int i = 0; i < 3; i++)
        list_push_back(&head, &items[i].node);
    for (int i = 0; i < 3; i++) {
        struct list *n = list_pop_front(&head);
        cr_assert_eq(n, &items[i].node);
        cr_assert_not(list_linked(n), "a popped node is on no list");
    }
    cr_assert_null(list_pop_front(&head));
    cr_assert(list_empty(&head));
}

Test(list, pop_front_on_empty_is_null)
{
    cr_assert_null(list_pop_front(&head));
    cr_assert(list_empty(&head));
}

Test(list, remove_head_middle_tail)
{
    for (int i = 0; i < 5; i++)
        list_push_back(&head, &items[i].node);
    list_remove(&items[2].node);
    static const int a[] = { 0, 1, 3, 4 };
    assert_list(a, 4);
    list_remove(&items[0].node);
    static const int b[] = { 1, 3, 4 };
    assert_list(b, 3);
    list_remove(&items[4].node);
    static const int c[] = { 1, 3 };
    assert_list(c, 2);
    for (int i = 0; i < 5; i += 2)
        cr_assert_not(list_linked(&items[i].node), "item %d", i);
}

Test(list, remove_the_last_node_empties_the_list)
{
    list_push_back(&head, &items[0].node);
    list_remove(&items[0].node);
    assert_list(NULL, 0);
    cr_assert_not(list_linked(&items[0].node));
}

Test(list, removing_an_unlinked_node_is_harmless)
{
    list_push_back(&head, &items[1].node);
    list_remove(&items[0].node);                  /* points at itself: nothing happens */
    cr_assert_not(list_linked(&items[0].node));
    static const int want[] = { 1 };
    assert_list(want, 1);
}

Test(list, insert_before)
{
    list_push_back(&head, &items[0].node);
    list_push_back(&head, &items[2].node);
    list_insert_before(&items[2].node, &items[1].node);     /* in the middle */
    list_insert_before(head.next, &items[3].node);          /* at the front */
    list_insert_before(&head, &items[4].node);              /* before the head: at the back */
    static const int want[] = { 3, 0, 1, 2, 4 };
    assert_list(want, 5);
}

Test(list, a_node_can_move_between_lists)
{
    struct list other;
    list_init(&other);
    list_push_back(&head, &items[0].node);
    list_push_back(&head, &items[1].node);
    list_remove(&items[0].node);
    list_push_back(&other, &items[0].node);
    static const int want[] = { 1 };
    assert_list(want, 1);
    cr_assert_eq(list_pop_front(&other), &items[0].node);
    cr_assert(list_empty(&other));
}

Test(list, container_of_finds_the_enclosing_struct)
{
    struct item *it = list_entry(&items[5].node, struct item, node);
    cr_assert_eq(it, &items[5]);
    cr_assert_eq(it->value, 5);
    cr_assert_eq(it->after, 105);
    cr_assert_eq(container_of(&items[6].after, struct item, after), &items[6]);
}
