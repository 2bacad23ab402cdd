/* User int n on every vector, and a thousand faults in a row. */
#include "faulttest.h"

static volatile uint32_t vector_n;

/* int n for a vector n chosen at run time: jump into a table of int instructions. */
static void int_n(void)
{
    static uint8_t code[2] = { 0xCD, 0 };       /* int imm8 ... ret below */
    (void)code;
    site_at = 0;
    asm volatile("movl $int_table, %%eax\n\t"
                 "movl vector_n, %%ecx\n\t"
                 "leal (%%eax,%%ecx,2), %%eax\n\t"
                 "movl %%eax, site_at\n\t"
                 "addl $2, %%eax\n\tmovl %%eax, site_next\n\t"
                 "call *site_at\n\t"
                 "jmp 3f\n"
                 "int_table:\n\t"
                 ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
                 ".irp m, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
                 ".byte 0xcd, \\n*16+\\m\n\t"
                 ".endr\n\t.endr\n\t"
                 "ret\n"
                 "3:" ::: "eax", "ecx", "edx", "memory");
}

TEST(int_n_every_vector, "user int n for each n but 0x80: DPL-0 gates give #GP(n*8+2), 3 and 4 their traps, the kernel survives")
{
    unsigned wrong = 0;
    for (uint32_t n = 0; n < 256; n++) {
        if (n == 0x80)
            continue;
        vector_n = n;
        answer = REPLY_RETURN;                  /* back out of the call into the table */
        uint32_t before = fault_log.count;
        int ok = run_victim(int_n, 100);
        uint32_t want_vector = n == 3 ? 3 : n == 4 ? 4 : 13;
        uint32_t want_error = want_vector == 13 ? n * 8 + 2 : 0;
        if (!ok || fault_log.count != before + 1 || fault_log.rec.vector != want_vector
            || fault_log.rec.error_code != want_error) {
            if (wrong++ < 4)
                printf("  int 0x%x: finished %d, vector %u error 0x%x\n", n, ok,
                       fault_log.rec.vector, fault_log.rec.error_code);
        }
    }
    CHECK_EQ(wrong, 0);
}

static void thousand(void)
{
    for (int i = 0; i < 1000; i++)
        RAISE("", "ud2");
}

TEST(thousand_faults_no_leak, "1,000 faults in a row from one thread leave the kernel's objects and frames where they were")
{
    ensure_handler();
    answer = REPLY_SKIP;
    run_victim(thousand, 10);                   /* warm up: the victim's stack and slot exist */
    struct kernel_info before = kinfo();
    uint32_t count = fault_log.count;
    CHECK(run_victim(thousand, 500));
    CHECK_EQ(fault_log.count, count + 1000);
    struct kernel_info after = kinfo();
    CHECK_EQ(after.frames_free, before.frames_free);
    CHECK_EQ(after.tasks, before.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.endpoints, before.endpoints);
    CHECK_EQ(after.notifications, before.notifications);
}

struct fpu_worker {
    uint32_t tag;
    volatile int ok;
};

/* Put a pattern in XMM1 and the x87 stack, let other threads run, check both. */
static void fpu_worker(void *arg)
{
    struct fpu_worker *w = arg;
    uint32_t pattern[4] = { w->tag, ~w->tag, w->tag * 3, w->tag ^ 0x5A5A5A5A }, back[4];
    int32_t value = (int32_t)w->tag, top = 0;   /* integers: the x87 holds them exactly */
    asm volatile("movups %0, %%xmm1\n\tfildl %1" : : "m"(pattern), "m"(value));
    int ok = 1;
    for (int i = 0; i < 20; i++) {
        yield();
        asm volatile("movups %%xmm1, %0" : "=m"(back));
        ok &= back[0] == pattern[0] && back[1] == pattern[1] && back[2] == pattern[2] && back[3] == pattern[3];
    }
    asm volatile("fistpl %0" : "=m"(top));
    w->ok = ok && top == value;
}

TEST(fpu_state_per_thread, "each thread keeps its own x87 and SSE registers across switches")
{
    struct fpu_worker a = { 0x1234567, 0 }, b = { 0x7654321, 0 }, c = { 0xABCDEF, 0 };
    struct thread *ta, *tb, *tc;
    struct thread_spec sa = { fpu_worker, &a, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
    struct thread_spec sb = { fpu_worker, &b, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
    struct thread_spec sc = { fpu_worker, &c, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
    /* all three at one priority below main: they start when main sleeps, then take turns */
    CHECK_EQ(thread_spawn(&sa, &ta), ERR_NONE);
    CHECK_EQ(thread_spawn(&sb, &tb), ERR_NONE);
    CHECK_EQ(thread_spawn(&sc, &tc), ERR_NONE);
    for (int i = 0; i < 100 && !(ta->finished && tb->finished && tc->finished); i++)
        sleep_ticks(1);
    CHECK(a.ok);
    CHECK(b.ok);
    CHECK(c.ok);
    thread_release(ta);
    thread_release(tb);
    thread_release(tc);
}
