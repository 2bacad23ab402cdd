/*
 * proc's process table, its pure part (servers/proc/process.c): pids,
 * the tree, zombies and orphans, budgets, the exit bits, the list walk.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "relay/error.h"
#include "../../servers/proc/process.h"

static struct process_table t;

static void setup(void) { process_table_init(&t); }

TestSuite(proc_table, .init = setup);

Test(proc_table, pids_count_up_from_2_and_1_is_inits_once)
{
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "build/user/sh.elf x", 0);
    struct process *init = process_new(&t, 0, PROC_PROGRAM, "init", PROC_INIT_PID);
    struct process *b = process_new(&t, 0, PROC_PROGRAM, "b", PROC_INIT_PID);
    cr_assert_eq(a->pid, 2);
    cr_assert_eq(init->pid, 1);
    cr_assert_eq(b->pid, 3);                       /* pid 1 only once */
    cr_assert(!memcmp(a->name, "sh.elf\0\0\0\0\0\0", PROC_NAME_BYTES));
    cr_assert_eq(a->state, PROC_RUNNING);
    cr_assert_eq(a->fault.vector, PROC_NO_FAULT);
    process_end(&t, a, TASK_EXITED, 0);
    process_reap(&t, a);
    cr_assert_eq(process_new(&t, 0, PROC_PROGRAM, "c", 0)->pid, 4);   /* never reused */
    cr_assert_null(process_find(&t, 2));
}

Test(proc_table, names_are_cut_to_twelve_bytes)
{
    char name[PROC_NAME_BYTES];
    process_name("a/b/consoletest.elf arg", name);
    cr_assert(!memcmp(name, "consoletest.", PROC_NAME_BYTES));
}

Test(proc_table, the_table_fills)
{
    for (uint32_t i = 0; i < PROC_MAX; i++)
        cr_assert_not_null(process_new(&t, 0, PROC_PROGRAM, "p", 0));
    cr_assert_null(process_new(&t, 0, PROC_PROGRAM, "p", 0));
}

Test(proc_table, ancestors)
{
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "a", 0);
    struct process *b = process_new(&t, a->pid, PROC_PROGRAM, "b", 0);
    struct process *c = process_new(&t, b->pid, PROC_PROGRAM, "c", 0);
    cr_assert(process_is_ancestor(&t, a->pid, c->pid));
    cr_assert(process_is_ancestor(&t, b->pid, c->pid));
    cr_assert(process_is_ancestor(&t, 0, c->pid));
    cr_assert(!process_is_ancestor(&t, c->pid, a->pid));
    cr_assert(!process_is_ancestor(&t, c->pid, c->pid));
    cr_assert(!process_is_ancestor(&t, a->pid, 99));
}

Test(proc_table, wait_finds_zombies_of_the_caller_only)
{
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "a", 0), *z;
    cr_assert_eq(process_waitable(&t, a->pid, PROC_ANY, &z), ERR_NO_CHILD);
    struct process *b = process_new(&t, a->pid, PROC_PROGRAM, "b", 0);
    struct process *c = process_new(&t, a->pid, PROC_PROGRAM, "c", 0);
    cr_assert_eq(process_waitable(&t, a->pid, PROC_ANY, &z), ERR_WOULD_BLOCK);
    cr_assert_eq(process_waitable(&t, a->pid, 77, &z), ERR_NO_CHILD);
    cr_assert_eq(process_waitable(&t, b->pid, c->pid, &z), ERR_NO_CHILD);
    process_end(&t, c, TASK_KILLED, 14);
    cr_assert_eq(process_waitable(&t, a->pid, b->pid, &z), ERR_WOULD_BLOCK);
    cr_assert_eq(process_waitable(&t, a->pid, PROC_ANY, &z), ERR_NONE);
    cr_assert_eq(z, c);
    cr_assert_eq(z->end_state, TASK_KILLED);
    cr_assert_eq(z->end_status, 14);
}

Test(proc_table, orphans_go_to_init_or_proc)
{
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "a", 0);
    struct process *b = process_new(&t, a->pid, PROC_PROGRAM, "b", 0);
    struct process *c = process_new(&t, a->pid, PROC_PROGRAM, "c", 0);
    process_end(&t, c, TASK_EXITED, 0);
    cr_assert_eq(process_end(&t, a, TASK_EXITED, 0), 0);   /* a zombie went to proc */
    cr_assert_eq(b->ppid, 0);
    cr_assert_eq(c->ppid, 0);
    struct process *init = process_new(&t, 0, PROC_PROGRAM, "init", PROC_INIT_PID);
    struct process *d = process_new(&t, b->pid, PROC_PROGRAM, "d", 0);
    cr_assert_eq(process_end(&t, b, TASK_EXITED, 0), -1);  /* no zombie among them */
    cr_assert_eq(d->ppid, init->pid);
}

/* A child of parent costing cost, as serve.c makes one. */
static struct process *child(uint32_t parent, uint32_t cost)
{
    if (process_charge(&t, parent, cost))
        return 0;
    struct process *p = process_new(&t, parent, PROC_PROGRAM, "c", 0);
    p->cost = cost;
    p->limit = process_room(&t, parent);
    return p;
}

Test(proc_table, costs_are_charged_up_the_tree_and_given_back)
{
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "a", 0);
    a->limit = 1000;
    cr_assert_null(child(a->pid, 1001));
    cr_assert_eq(a->used, 0);
    struct process *b = child(a->pid, 300);
    cr_assert_eq(a->used, 300);
    cr_assert_eq(b->limit, 700);                   /* the room a had left */
    struct process *c = child(a->pid, 300);        /* wide: a second child */
    cr_assert_eq(c->limit, 400);
    struct process *d = child(b->pid, 350);        /* b has room, but a has only 400 */
    cr_assert_not_null(d);
    cr_assert_eq(a->used, 950);
    cr_assert_eq(b->used, 350);
    cr_assert_null(child(c->pid, 100));            /* a is out of room: c cannot spend */
    cr_assert_eq(c->used, 0);
    cr_assert_eq(a->used, 950);
    process_end(&t, d, TASK_EXITED, 0);
    process_reap(&t, d);
    cr_assert_eq(b->used, 0);
    cr_assert_eq(a->used, 600);
    cr_assert_eq(process_charge(&t, 0, 5000), ERR_NONE);   /* proc's children: no one pays */
}

Test(proc_table, an_orphans_cost_moves_to_its_new_ancestors)
{
    struct process *init = process_new(&t, 0, PROC_PROGRAM, "init", PROC_INIT_PID);
    init->limit = 10000;
    struct process *a = child(init->pid, 1000);
    struct process *b = child(a->pid, 200);
    struct process *c = child(b->pid, 50);
    cr_assert_eq(init->used, 1250);
    process_end(&t, b, TASK_EXITED, 0);            /* c goes to init */
    cr_assert_eq(c->ppid, PROC_INIT_PID);
    cr_assert_eq(a->used, 200);                    /* b's own cost until it is reaped */
    cr_assert_eq(b->used, 0);
    cr_assert_eq(init->used, 1250);
    process_reap(&t, b);
    cr_assert_eq(a->used, 0);
    cr_assert_eq(init->used, 1050);
    process_end(&t, c, TASK_EXITED, 0);
    process_reap(&t, c);
    cr_assert_eq(init->used, 1000);
}

Test(proc_table, exit_bits_leave_the_clock_bit)
{
    for (uint32_t pid = 0; pid < 100; pid++)
        cr_assert_neq(process_bit(pid), 1u << 31);
    cr_assert_eq(process_bit(2), 1u << 2);
    cr_assert_eq(process_bit(33), 1u << 2);
}

Test(proc_table, the_list_walks_by_pid)
{
    struct process *out[3];
    uint32_t next;
    for (int i = 0; i < 5; i++)
        process_new(&t, 0, PROC_PROGRAM, "p", 0);          /* pids 2..6 */
    process_reap(&t, process_find(&t, 4));
    cr_assert_eq(process_list(&t, 1, out, 3, &next), 3);
    cr_assert_eq(out[0]->pid, 2);
    cr_assert_eq(out[1]->pid, 3);
    cr_assert_eq(out[2]->pid, 5);
    cr_assert_eq(next, 6);
    cr_assert_eq(process_list(&t, next, out, 3, &next), 1);
    cr_assert_eq(out[0]->pid, 6);
    cr_assert_eq(next, 0);
}
