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

Test(proc_table, budgets_are_charged_and_repaid)
{
    uint32_t charged, allowance;
    struct process *a = process_new(&t, 0, PROC_PROGRAM, "a", 0);
    a->allowance = 1000;
    cr_assert_eq(process_charge(a, 1001, &charged, &allowance), ERR_NO_MEMORY);
    cr_assert_eq(a->allowance, 1000);
    cr_assert_eq(process_charge(a, 200, &charged, &allowance), ERR_NONE);
    cr_assert_eq(charged, 600);                /* the cost and half the rest */
    cr_assert_eq(allowance, 400);
    cr_assert_eq(a->allowance, 400);
    struct process *b = process_new(&t, a->pid, PROC_PROGRAM, "b", 0);
    b->charged = charged;
    b->allowance = allowance;
    process_end(&t, b, TASK_EXITED, 0);
    process_reap(&t, b);
    cr_assert_eq(a->allowance, 1000);
    cr_assert_eq(process_charge(0, 5000, &charged, &allowance), ERR_NONE);   /* proc's */
    cr_assert_eq(charged, 0);
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
