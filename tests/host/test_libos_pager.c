/*
 * libos' pager framework, its pure parts (libos/pager.c, relay/pager.h):
 * how a pager's answer becomes the reply the kernel reads, and the FIFO of
 * resident pages an evicting pager keeps.
 */
#include <criterion/criterion.h>

#include <relay/pager.h>
#include <relay/error.h>

static const struct fault pf = { .vector = 14, .address = 0x50001234 };

Test(libos_pager, map_is_one_fault_map_reply)
{
    struct pager_answer a = { .verdict = PAGER_MAP, .frame = 0x00345000, .flags = MAP_WRITABLE };
    struct msg m;
    cr_assert_eq(pager_reply(&pf, &a, &m), 1);
    cr_assert_eq(m.label, FAULT_MAP);
    cr_assert_eq(m.length, 2);
    cr_assert_eq(m.w[0], 0x00345000);
    cr_assert_eq(m.w[1], MAP_WRITABLE);
    a.flags = 0;
    pager_reply(&pf, &a, &m);
    cr_assert_eq(m.w[1], 0, "read-only");
}

Test(libos_pager, map_with_unknown_flags_kills_the_task)
{
    struct pager_answer a = { .verdict = PAGER_MAP, .frame = 0x1000, .flags = 0x80 };
    struct msg m;
    cr_assert_eq(pager_reply(&pf, &a, &m), 1);
    cr_assert_eq(m.label, FAULT_KILL_TASK);
    cr_assert_eq(m.w[0], PAGER_STATUS_FAILED);
}

Test(libos_pager, verdicts_become_verbs)
{
    struct msg m;
    struct pager_answer a = { .verdict = PAGER_RETRY };
    pager_reply(&pf, &a, &m);
    cr_assert_eq(m.label, FAULT_RETRY);
    cr_assert_eq(m.length, 0);
    a = (struct pager_answer){ .verdict = PAGER_KILL_THREAD };
    pager_reply(&pf, &a, &m);
    cr_assert_eq(m.label, FAULT_KILL_THREAD);
    a = (struct pager_answer){ .verdict = PAGER_KILL_TASK, .status = 0x5A };
    pager_reply(&pf, &a, &m);
    cr_assert_eq(m.label, FAULT_KILL_TASK);
    cr_assert_eq(m.length, 1);
    cr_assert_eq(m.w[0], 0x5A);
    cr_assert_eq(PAGER_STATUS_FAILED, 128 + 7, "SIGBUS");
}

Test(libos_pager, forward_is_left_to_the_loop)
{
    struct pager_answer a = { .verdict = PAGER_FORWARD, .forward = 9 };
    struct msg m;
    cr_assert_eq(pager_reply(&pf, &a, &m), 0);
}

Test(libos_pager, an_unknown_verdict_kills_the_task)
{
    struct pager_answer a = { .verdict = (enum pager_verdict)42 };
    struct msg m;
    cr_assert_eq(pager_reply(&pf, &a, &m), 1);
    cr_assert_eq(m.label, FAULT_KILL_TASK);
    cr_assert_eq(m.w[0], PAGER_STATUS_FAILED);
}

Test(libos_pager, fifo_evicts_oldest_first)
{
    struct pager_page slots[4], out;
    struct pager_fifo q;
    pager_fifo_init(&q, slots, 4);
    cr_assert_eq(pager_fifo_evict(&q, &out), 0, "empty");
    for (uint32_t i = 0; i < 4; i++)
        cr_assert_eq(pager_fifo_add(&q, 0x1000 * i, 0x100000 + 0x1000 * i), ERR_NONE);
    cr_assert(pager_fifo_full(&q));
    cr_assert_eq(pager_fifo_add(&q, 0x9000, 0), ERR_NO_MEMORY);
    /* 16 pages through 4 slots: each eviction gives back the oldest, frames reused */
    for (uint32_t i = 4; i < 16; i++) {
        cr_assert_eq(pager_fifo_evict(&q, &out), 1);
        cr_assert_eq(out.va, 0x1000 * (i - 4));
        cr_assert_eq(out.pa, 0x100000 + 0x1000 * (i % 4));
        cr_assert_eq(pager_fifo_add(&q, 0x1000 * i, out.pa), ERR_NONE);
    }
    for (uint32_t i = 12; i < 16; i++) {
        cr_assert_eq(pager_fifo_evict(&q, &out), 1);
        cr_assert_eq(out.va, 0x1000 * i);
    }
    cr_assert_eq(q.count, 0);
}
