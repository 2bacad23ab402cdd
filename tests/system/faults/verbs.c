/* What the handler's reply does: retry, resume with registers, kill; and what it may not do. */
#include "faulttest.h"

static volatile uint32_t out[7];

/* Known values in every general register, a fault, then the registers as they came back. */
#define REGS_AROUND(insn)                                                                       \
    asm volatile("pushl %%ebp\n\t"                                                              \
                 "movl $0x11111111, %%eax\n\tmovl $0x22222222, %%ebx\n\tmovl $0x33333333, %%ecx\n\t" \
                 "movl $0x44444444, %%edx\n\tmovl $0x55555555, %%esi\n\tmovl $0x66666666, %%edi\n\t" \
                 "movl $0x77777777, %%ebp\n\t"                                                  \
                 "movl $1f, site_at\n\tmovl $2f, site_next\n"                                   \
                 "1:\t" insn "\n2:\n\t"                                                         \
                 "movl %%eax, out\n\tmovl %%ebx, out+4\n\tmovl %%ecx, out+8\n\tmovl %%edx, out+12\n\t" \
                 "movl %%esi, out+16\n\tmovl %%edi, out+20\n\tmovl %%ebp, out+24\n\t"           \
                 "popl %%ebp"                                                                   \
                 ::: "eax", "ebx", "ecx", "edx", "esi", "edi", "memory")

static void check_regs_back(void)
{
    static const uint32_t want[7] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444,
                                      0x55555555, 0x66666666, 0x77777777 };
    for (int i = 0; i < 7; i++)
        CHECK_EQ(out[i], want[i]);
    CHECK_EQ(fault_log.rec.eax, 0x11111111);
    CHECK_EQ(fault_log.rec.ebx, 0x22222222);
    CHECK_EQ(fault_log.rec.ecx, 0x33333333);
    CHECK_EQ(fault_log.rec.edx, 0x44444444);
    CHECK_EQ(fault_log.rec.esi, 0x55555555);
    CHECK_EQ(fault_log.rec.edi, 0x66666666);
    CHECK_EQ(fault_log.rec.ebp, 0x77777777);
}

static void touch_unmapped(void) { REGS_AROUND("movl 0x60000000, %%eax\n\tmovl $0x11111111, %%eax"); }
TEST(retry_after_map, "RETRY runs the instruction again: the handler mapped the page; every register survives")
{
    answer = REPLY_MAP_RETRY;
    uint32_t before = fault_log.count;
    CHECK(run_victim(touch_unmapped, 100));
    CHECK_EQ(fault_log.count, before + 1);          /* one fault: the retry succeeded */
    CHECK_EQ(fault_log.rec.cr2, 0x60000000);
    check_regs_back();
    CHECK_EQ(page_unmap(startup_info()->self_task, 0x60000000), ERR_NONE);
}

static volatile uint32_t first_read;
static void touch_61(void)
{
    first_read = *(volatile uint32_t *)0x61000010;   /* faults: the pager maps a zeroed page */
    *(volatile uint32_t *)0x61000010 = 0xFEED;
}

TEST(map_reply, "FAULT_MAP: the pager's one-call answer maps its frame at the faulting page and retries")
{
    answer = REPLY_MAP_REPLY;
    uint32_t before = fault_log.count;
    first_read = 1;
    CHECK(run_victim(touch_61, 100));
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(first_read, 0);
    CHECK_EQ(*(volatile uint32_t *)0x61000010, 0xFEED);   /* the same task: we see it too */
    CHECK_EQ(page_unmap(startup_info()->self_task, 0x61000000), ERR_NONE);
}

TEST(map_reply_foreign_frame, "FAULT_MAP with a frame the pager does not own is refused: the thread dies with a notice")
{
    answer = REPLY_MAP_FOREIGN;
    CHECK(!run_victim(touch_61, 30));
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_BAD_REPLY);
    CHECK_EQ(rec.cr2, 0x61000010);
}

static void undefined_between(void) { REGS_AROUND("ud2"); }
TEST(resume_skips, "RESUME past the ud2 with the registers as they were: every register survives")
{
    answer = REPLY_SKIP;
    CHECK(run_victim(undefined_between, 100));
    CHECK_EQ(fault_log.rec.vector, 6);
    check_regs_back();
}

volatile uint32_t resumed_eax, resumed_flags;
void resume_target(void);
void resume_end(void);
/* Where the handler sends the victim: save EAX and EFLAGS before anything
 * (a C prologue would change the flags), then end the thread. */
asm(".pushsection .text\n.globl resume_target\nresume_target:\n\t"
    "movl %eax, resumed_eax\n\tpushfl\n\tpopl resumed_flags\n\tjmp resume_end\n.popsection");
void resume_end(void)
{
    for (;;)                                   /* the victim ends here (no libos: odd stack) */
        sys_thread_kill(victim_handle);
}

static void ud_for_regs(void) { RAISE("", "ud2"); }
TEST(resume_new_registers, "RESUME with registers of the handler's choosing; EFLAGS is sanitised")
{
    answer = REPLY_RESUME_REGS;
    static uint32_t stack[256];
    answer_regs = (struct fault_regs){ .eax = 0xABCD1234, .esp = (uint32_t)&stack[200],
                                       .eip = (uint32_t)resume_target,
                                       .eflags = 0x3000 | 0x4000 | 0x20000 | 0x10000 | 0x1 | 0x400,
                                       .ds = 0x23, .es = 0x23, .fs = 0, .gs = 0 };
    resumed_eax = 0;
    run_victim(ud_for_regs, 50);               /* ends in resume_target, killed: no "done" */
    CHECK_EQ(resumed_eax, 0xABCD1234);
    CHECK_EQ(resumed_flags & 0x3000, 0);       /* IOPL 0 */
    CHECK_EQ(resumed_flags & 0x4000, 0);       /* NT clear */
    CHECK_EQ(resumed_flags & 0x20000, 0);      /* VM clear */
    CHECK(resumed_flags & 0x200);              /* IF set */
    CHECK(resumed_flags & 0x1);                /* CF as asked */
    CHECK(resumed_flags & 0x400);              /* DF as asked */
    asm volatile("cld");
}

TEST(resume_bad_selector, "RESUME with a kernel selector in a segment register is refused: the thread dies, a notice says why")
{
    static const uint32_t bad[] = { 0x10, 0x08, 0x2b, 0x1b };
    for (unsigned i = 0; i < 4; i++) {
        answer = REPLY_RESUME_REGS;
        answer_regs = (struct fault_regs){ .eip = 0x400000, .ds = 0x23, .es = 0x23, .fs = 0x23, .gs = 0x23 };
        uint32_t *sel = i < 2 ? &answer_regs.ds : i == 2 ? &answer_regs.fs : &answer_regs.gs;
        *sel = bad[i];
        CHECK(!run_victim(ud_for_regs, 30));
        struct fault_record rec;
        CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
        CHECK_EQ(rec.reason, NOTICE_BAD_REPLY);
        CHECK_EQ(rec.vector, 6);
    }
}

TEST(bad_verb, "a reply with an unknown verb is malformed: the thread dies with a notice")
{
    answer = REPLY_BAD_VERB;
    CHECK(!run_victim(ud_for_regs, 30));
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_BAD_REPLY);
}

TEST(kill_thread_verb, "KILL_THREAD ends the faulting thread, and only it")
{
    answer = REPLY_KILL_THREAD;
    struct kernel_info before = kinfo();
    CHECK(!run_victim(ud_for_regs, 30));
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, TIMEOUT_POLL), ERR_TIMEOUT);   /* the handler decided: no notice */
    CHECK_EQ(kinfo().threads, before.threads);
}

/* role=ud: raise #UD with the parent's endpoint as exception handler. */
ROLE(ud)
{
    (void)argc, (void)argv;
    sys_thread_set_handler(startup_info()->self_thread, HANDLER_EXCEPTION, startup_info()->parent);
    asm volatile("ud2");
    return 1;                                    /* not reached when the handler kills */
}

TEST(kill_task_verb, "KILL_TASK from a handler in another task ends that task with the status the reply gives")
{
    answer = REPLY_KILL_TASK;
    ensure_handler();
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=ud", handler_ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 0x5A);
    CHECK_EQ(fault_log.rec.vector, 6);
    CHECK(fault_log.badge == 0);
}
