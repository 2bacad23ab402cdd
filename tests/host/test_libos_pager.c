/*
 * libos' pager helpers, their pure part (libos/pager.c, relay/pager.h): the
 * FIFO of resident pages an evicting pager keeps.  How a pager's answer
 * becomes the kernel's reply is fault_reply's, in test_libos_faults.c.
 */
#include <criterion/criterion.h>

#include <relay/pager.h>
#include <relay/error.h>

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
