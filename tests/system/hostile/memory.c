/* Memory: partial copies, frames that must come home, mappings a pager cannot loop on. */
#include "hostile.h"

#define SLOT 3u

TEST(copy_out_all_or_nothing, "kernel_info into a buffer running off the end of a mapping writes nothing")
{
    uint32_t pa;
    void *va;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(scratch_map(SLOT, pa, &va), ERR_NONE);
    memset(va, 0xAA, PAGE_SIZE);
    uint8_t *tail = (uint8_t *)va + PAGE_SIZE - 8;    /* the next page is not mapped */
    CHECK_EQ(sys_kernel_info((uint32_t)tail).error, ERR_BAD_ADDRESS);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(tail[i], 0xAA);
    scratch_unmap(SLOT);
    frame_free(pa);
}

TEST(debug_write_all_or_nothing, "debug_write of a buffer running off the end of a mapping prints nothing")
{
    uint32_t pa;
    void *va;
    static const char marker[] = "HOSTILE-PARTIAL-WRITE-MARKER";
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(scratch_map(SLOT, pa, &va), ERR_NONE);
    char *buf = (char *)va + PAGE_SIZE - 300;         /* 300 bytes here, then unmapped */
    memset(buf, ' ', 300);
    memcpy(buf, marker, sizeof marker - 1);
    CHECK_EQ(sys_debug_write((uint32_t)buf, 600).error, ERR_BAD_ADDRESS);
    scratch_unmap(SLOT);
    frame_free(pa);
}

ROLE(give_to_self)
{
    (void)argc, (void)argv;
    uint32_t pa;
    if (frame_alloc(&pa) || frame_give(startup_info()->self_task, pa, 1))
        return 1;
    return (int)(pa >> 12);                          /* tell the parent which frame */
}

TEST(frames_come_home, "a frame a task gave itself goes back to its giver when the task ends")
{
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(role_spawn("role=give_to_self", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 100, &status), TASK_EXITED);
    CHECK(status > 1);
    uint32_t pa = status << 12;
    void *va;
    CHECK_EQ(scratch_map(SLOT, pa, &va), ERR_NONE);   /* ours again, not the dead task's */
    scratch_unmap(SLOT);
}

static volatile uint32_t *ro_page = (volatile uint32_t *)0x0C000000u;

static void write_read_only(void)
{
    RAISE("", "movl $1, 0x0C000000", "memory");
}

TEST(fault_map_no_livelock, "FAULT_MAP over a read-only mapping is refused to the pager, not retried for ever")
{
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(startup_info()->self_task, (uint32_t)ro_page, pa, 0), ERR_NONE);
    uint32_t before = fault_log.count;
    answer = REPLY_MAP_WRITABLE;
    CHECK(!run_victim(write_read_only, 50));          /* the victim dies of the refusal */
    CHECK_EQ(fault_log.count, before + 1);            /* after one fault, not thousands */
    CHECK_EQ(fault_log.reply_error, ERR_MAPPED);      /* and the pager learns why */
    struct fault_record n;
    CHECK_EQ(take_notice(&n, 100), ERR_NONE);
    CHECK_EQ(n.reason, NOTICE_BAD_REPLY);
    answer = REPLY_SKIP;
    page_unmap(startup_info()->self_task, (uint32_t)ro_page);
    frame_free(pa);
}

TEST(protect_then_retry, "a pager raises a read-only page's rights with map_protect and RETRY: the write goes on")
{
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(startup_info()->self_task, (uint32_t)ro_page, pa, 0), ERR_NONE);
    uint32_t before = fault_log.count;
    answer = REPLY_PROTECT;
    CHECK(run_victim(write_read_only, 50));           /* one fault, then the write succeeds */
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(*ro_page, 1);
    answer = REPLY_SKIP;
    page_unmap(startup_info()->self_task, (uint32_t)ro_page);
    frame_free(pa);
}
