/* spawn: children that exit, fault, assert and call back; bad images; frames come back. */
#include "libostest.h"

enum { LABEL_REPORT = 1 };

/* role=exit N: exit with status N. */
ROLE(exit)
{
    return argc > 2 ? (int)(argv[2][0] - '0') : 99;
}

/* role=crash: write to page 0. */
ROLE(crash)
{
    (void)argc, (void)argv;
    volatile uint32_t *page0 = (volatile uint32_t *)16;
    asm("" : "+r"(page0));                      /* the compiler may not see it is page 0 */
    *page0 = 1;
    return 0;
}

/* role=assert: a failed assert. */
ROLE(assert)
{
    (void)argv;
    assert(argc == 1000);
    return 0;
}

/* role=report: call the parent with argc, what memory it got, and its handles. */
ROLE(report)
{
    const struct startup_info *si = startup_info();
    uint32_t pages = 0;
    for (uint32_t i = 0; i < si->memory_count; i++)
        pages += (si->memory[i].end - si->memory[i].start) / PAGE_SIZE;
    uint32_t w[6] = { (uint32_t)argc, pages, frame_free_count(), si->image_count,
                      si->factory != HANDLE_NULL, (uint32_t)strlen(argv[argc - 1]) };
    struct msg out;
    return rpc_call(si->parent, LABEL_REPORT, w, 6, &out) ? 1 : 0;
}

TEST(spawn_exit_status, "a child's exit status reaches task_status; its frames come back")
{
    uint32_t before = frame_free_count(), status;
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(spawn_role("role=exit 7", HANDLE_NULL, 0, &c, &exit_n), ERR_NONE);
    CHECK(frame_free_count() < before);
    CHECK_EQ(wait_role(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 7);
    CHECK_EQ(frame_free_count(), before);
}

TEST(spawn_killed, "a child that writes to page 0 is killed by vector 14")
{
    uint32_t status;
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(spawn_role("role=crash", HANDLE_NULL, 0, &c, &exit_n), ERR_NONE);
    CHECK_EQ(wait_role(&c, exit_n, 300, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
}

TEST(spawn_assert, "a failed assert ends the child with EXIT_ASSERT")
{
    uint32_t status;
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(spawn_role("role=assert", HANDLE_NULL, 0, &c, &exit_n), ERR_NONE);
    CHECK_EQ(wait_role(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, EXIT_ASSERT);
}

TEST(spawn_gives_memory_and_handles, "the child gets argv, its memory, a factory and the parent endpoint; the memory comes back")
{
    const struct startup_info *si = startup_info();
    relay_handle ep, exit_n;
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    struct child c;
    uint32_t before = frame_free_count(), status;
    CHECK_EQ(spawn_role("role=report a bb ccc", ep, 100, &c, &exit_n), ERR_NONE);
    CHECK_EQ(c.memory_pages, 100);
    CHECK_EQ(frame_free_count(), before - c.pages - 100);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, 300), ERR_NONE);
    CHECK_EQ(m.label, LABEL_REPORT);
    CHECK_EQ(m.length, 6);
    CHECK_EQ(m.w[0], 5);                         /* libostest role=report a bb ccc */
    CHECK_EQ(m.w[1], 100);
    CHECK_EQ(m.w[2], 100);                       /* all of it free in the child's pool */
    CHECK_EQ(m.w[3], 0);                         /* no images passed on */
    CHECK_EQ(m.w[4], 1);
    CHECK_EQ(m.w[5], 3);
    CHECK_EQ(ipc_reply(&(struct msg){ .label = ERR_NONE }), ERR_NONE);
    CHECK_EQ(wait_role(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(frame_free_count(), before);        /* the given memory came back with the rest */
    uint32_t pa;                                 /* and is ours again: it can be mapped */
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(si->self_task, SCRATCH_BASE + 15 * PAGE_SIZE, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(page_unmap(si->self_task, SCRATCH_BASE + 15 * PAGE_SIZE), ERR_NONE);
    frame_free(pa);
    handle_delete(ep);
}

TEST(spawn_refuses, "bad images and arguments are refused before anything is made")
{
    const struct startup_info *si = startup_info();
    static const char junk[128] = "this is not an ELF file";
    uint32_t before = frame_free_count();
    struct child c;
    struct spawn_args a = { .image = junk, .image_size = sizeof junk, .cmdline = "junk",
                            .factory = si->factory, .priority = MAIN_PRIORITY };
    CHECK_EQ(spawn(&a, &c), ERR_INVALID);
    a.image = (const void *)si->images[0].vaddr;
    a.image_size = 40;                           /* cut short */
    CHECK_EQ(spawn(&a, &c), ERR_INVALID);
    a.image_size = si->images[0].size;
    a.priority = THREAD_PRIORITY_MAX + 1;
    CHECK_EQ(spawn(&a, &c), ERR_INVALID);
    a.priority = MAIN_PRIORITY;
    a.cmdline = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17";
    CHECK_EQ(spawn(&a, &c), ERR_RANGE);
    a.cmdline = "x";
    a.factory = si->self_task;                   /* not a factory */
    CHECK_EQ(spawn(&a, &c), ERR_WRONG_TYPE);
    CHECK_EQ(frame_free_count(), before);
}

TEST(spawn_without_memory, "asked for more memory than this task has free, spawn says ERR_NO_MEMORY and makes nothing")
{
    const struct startup_info *si = startup_info();
    uint32_t before = frame_free_count();
    struct kernel_info k0, k1;
    CHECK_EQ(kernel_info_settled(&k0), ERR_NONE);
    struct child c;
    struct spawn_args a = { .image = (const void *)si->images[0].vaddr,
                            .image_size = si->images[0].size, .cmdline = "x role=exit 0",
                            .factory = si->factory, .priority = MAIN_PRIORITY,
                            .memory_pages = before + 1 };
    CHECK_EQ(spawn(&a, &c), ERR_NO_MEMORY);
    CHECK_EQ(frame_free_count(), before);
    CHECK_EQ(kernel_info_settled(&k1), ERR_NONE);
    CHECK_EQ(k1.tasks, k0.tasks);
    CHECK_EQ(k1.threads, k0.threads);
}
