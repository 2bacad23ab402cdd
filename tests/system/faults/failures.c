/* Faults nobody can handle end the thread with a notice to the supervisor; nothing hangs. */
#include "faulttest.h"

static void ud(void) { RAISE("", "ud2"); }

/* role=nohandler: fault with no handler at all. */
ROLE(nohandler)
{
    (void)argc, (void)argv;
    asm volatile("ud2");
    return 1;
}

TEST(no_handler, "a fault with no handler kills the task (status: the vector) and the supervisor gets the record")
{
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=nohandler", HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 6);
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_NO_HANDLER);
    CHECK_EQ(rec.vector, 6);
    CHECK_EQ(rec.version, FAULT_RECORD_VERSION);
}

TEST(handler_never_receives, "a handler endpoint nobody receives on: the fault is not taken in time, the thread dies with a notice")
{
    relay_handle lonely;
    CHECK_EQ(endpoint_create(startup_info()->factory, &lonely), ERR_NONE);
    ensure_handler();                          /* serving the usual endpoint, not this one */
    relay_handle saved = handler_ep;
    handler_ep = lonely;                       /* the victim's handler: nobody serves it */
    CHECK(!run_victim(ud, FAULT_DELIVERY_TICKS + 100));
    handler_ep = saved;
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_NOT_TAKEN);
    handle_delete(lonely);
}

TEST(handler_dies, "a handler that dies while the thread waits for its answer: the thread dies with a notice")
{
    ensure_handler();
    answer = REPLY_DIE;                        /* takes the fault, then kills itself */
    CHECK(!run_victim(ud, 50));
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_HANDLER_GONE);
}

TEST(handler_faults, "a handler that faults while handling dies, and so does the thread it was handling")
{
    ensure_handler();
    answer = REPLY_FAULT;                      /* the handler's own faults go nowhere: it has no handler */
    CHECK(!run_victim(ud, 50));
    struct fault_record a, b;
    CHECK_EQ(take_notice(&a, 100), ERR_NONE);
    CHECK_EQ(take_notice(&b, 100), ERR_NONE);
    CHECK(a.reason == NOTICE_HANDLER_FAULTED || b.reason == NOTICE_HANDLER_FAULTED);
    CHECK(a.reason == NOTICE_HANDLER_GONE || b.reason == NOTICE_HANDLER_GONE);
    ensure_handler();
}

/* role=selfhandler: its exception handler is an endpoint only it serves. */
ROLE(selfhandler)
{
    (void)argc, (void)argv;
    relay_handle ep;
    endpoint_create(startup_info()->factory, &ep);
    sys_thread_set_handler(startup_info()->self_thread, HANDLER_EXCEPTION, ep);
    asm volatile("ud2");                       /* to itself: it can never receive it */
    return 1;
}

TEST(handler_loop, "a thread that is its own handler cannot take its fault: it dies with a notice, nothing hangs")
{
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=selfhandler", HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, FAULT_DELIVERY_TICKS + 200, &status), TASK_KILLED);
    CHECK_EQ(status, 6);
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_NOT_TAKEN);
}

static void bad_stack(void)
{
    asm volatile("pushl %%ebp\n\tmovl %%esp, %%ebp\n\t"
                 "movl $1f, site_at\n\tmovl $2f, site_next\n\t"
                 "movl $0x10, %%esp\n"
                 "1:\tpushl %%eax\n"                /* onto page 0: #PF with a garbage stack */
                 "2:\tmovl %%ebp, %%esp\n\tpopl %%ebp" ::: "memory");
}

TEST(bad_stack_pointer, "a fault with ESP pointing nowhere still reaches the handler, which can repair it")
{
    answer = REPLY_RESUME_REGS;                /* back to the frame pointer's stack, after the push */
    ensure_handler();
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(bad_stack, 100));         /* the skip keeps ESP = 0x10; the epilogue restores it */
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(fault_log.rec.vector, 14);
    CHECK_EQ(fault_log.rec.esp, 0x10);
    CHECK_EQ(fault_log.rec.cr2, 0xC);
}

/* role=badstack: the same with no handler. */
ROLE(badstack)
{
    (void)argc, (void)argv;
    asm volatile("movl $0, %%esp\n\tpushl %%eax" ::: "memory");
    return 1;
}

TEST(bad_stack_no_handler, "with no handler, a garbage stack pointer just gets the thread killed and reported")
{
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=badstack", HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    struct fault_record rec;
    CHECK_EQ(take_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.esp, 0);
    CHECK_EQ(rec.cr2, 0xFFFFFFFC);
}
