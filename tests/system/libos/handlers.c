/* Fault handler threads (relay/faults.h): what they tell a fn about the instruction at eip. */
#include <relay/insn.h>
#include "libostest.h"

#define CHILD_PRIORITY (MAIN_PRIORITY - 1)   /* runs only when main waits */

/*
 * Code at the same address in every copy of this program, with different
 * bytes in each: here a 5-byte mov, in the role=foreign_ud2 child a 2-byte
 * ud2.  A handler that decoded its own copy for the child's fault would say 5.
 */
static uint8_t code[16] = { 0xB8, 0x01, 0x02, 0x03, 0x04, 0xC3 };   /* movl $0x04030201, %eax; ret */

static struct {
    volatile uint32_t count;
    uint32_t vector, eip, task, insn_length;
} seen;

static int record_then_kill(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    seen.count++;
    seen.vector = f->vector;
    seen.eip = f->regs.eip;
    seen.task = f->task;
    seen.insn_length = f->insn_length;
    a->verdict = ANSWER_KILL_TASK;
    return ERR_NONE;
}

static int record_then_skip(struct fault *f, struct fault_answer *a, void *arg)
{
    record_then_kill(f, a, arg);
    f->regs.eip += f->insn_length;
    a->verdict = f->insn_length ? ANSWER_RESUME : ANSWER_KILL_THREAD;
    return ERR_NONE;
}

/* role=foreign_ud2: run a ud2 from this task's copy of code[]. */
ROLE(foreign_ud2)
{
    (void)argc, (void)argv;
    code[0] = 0x0F;                              /* ud2 */
    code[1] = 0x0B;
    ((void (*)(void))(uintptr_t)code)();
    return 1;
}

TEST(handler_insn_length_own, "a fault of the handler's own task: insn_length is the faulting instruction's (a 2-byte ud2)")
{
    relay_handle ep;
    seen.count = 0;
    CHECK_EQ(fault_handler_start(record_then_skip, 0, &ep), ERR_NONE);
    uint32_t at, after;
    asm volatile("movl $1f, %0\n\tmovl $2f, %1\n"
                 "1:\tud2\n"
                 "2:" : "=r"(at), "=r"(after));
    CHECK_EQ(seen.count, 1);
    CHECK_EQ(seen.vector, 6);
    CHECK_EQ(seen.eip, at);
    CHECK_EQ(seen.insn_length, after - at);
    CHECK_EQ(seen.insn_length, 2);
    fault_set_handler(startup_info()->self_thread, HANDLE_NULL);
    handle_delete(ep);
}

TEST(handler_insn_length_foreign, "another task's fault: insn_length is 0, not the length of the handler's own bytes at that eip")
{
    relay_handle ep, exit_n;
    struct child c;
    uint32_t status;
    seen.count = 0;
    CHECK_EQ(fault_handler_start(record_then_kill, 0, &ep), ERR_NONE);
    fault_set_handler(startup_info()->self_thread, HANDLE_NULL);   /* only the child's faults */
    CHECK_EQ(role_spawn("role=foreign_ud2", HANDLE_NULL, CHILD_PRIORITY, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(fault_set_handler(c.thread, ep), ERR_NONE);          /* before it first runs */
    CHECK_EQ(wait_role(&c, exit_n, 300, &status), TASK_KILLED);
    CHECK_EQ(seen.count, 1);
    CHECK_EQ(seen.vector, 6);
    CHECK_EQ(seen.eip, (uint32_t)code);
    CHECK_EQ(insn_length(code, sizeof code), 5);                  /* what our own copy holds */
    CHECK_EQ(seen.insn_length, 0);
    handle_delete(ep);
}
