/* Preemption: CPU-bound tasks of equal priority share the CPU. */
#include "ipctest.h"

#define SLICE_TICKS_HINT 5   /* the kernel's time slice (docs/ABI.md section 6) */

/* role=spin bit=B: never blocks or yields; now and then signals bit B to the parent. */
ROLE(spin)
{
    uint32_t bit = utest_arg_u32(argc, argv, "bit", 1);
    volatile uint32_t count = 0;
    for (;;) {                          /* ends when the parent kills the thread */
        if (++count % 20000 == 0)
            notify_signal(startup_info()->parent, bit);
    }
    return 0;
}

TEST(cpu_bound_tasks_share, "two CPU-bound tasks of one priority both make progress: the clock preempts")
{
    relay_handle n = new_notification(), exits[2];
    struct child c[2];
    CHECK_EQ(spawn_role("role=spin bit=1", n, MAIN_PRIORITY - 2, &c[0], &exits[0]), ERR_NONE);
    CHECK_EQ(spawn_role("role=spin bit=2", n, MAIN_PRIORITY - 2, &c[1], &exits[1]), ERR_NONE);
    /* Sleep a few slices at a time, then see who signalled meanwhile: both,
     * in each of three rounds, or the clock is not taking turns. */
    int rounds_with_both = 0;
    for (int round = 0; round < 3; round++) {
        uint32_t bits = 0;
        sleep_ticks(4 * SLICE_TICKS_HINT);
        notify_poll(n, &bits);
        rounds_with_both += bits == 3;
    }
    CHECK_EQ(rounds_with_both, 3);
    for (int i = 0; i < 2; i++) {
        uint32_t status;
        CHECK_EQ(thread_kill(c[i].thread), ERR_NONE);     /* its only thread: the task ends */
        CHECK_EQ(wait_role(&c[i], exits[i], 100, &status), TASK_KILLED);
        CHECK_EQ(status, TASK_STATUS_KILLED);
    }
    handle_delete(n);
}
