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

/* ---- MAP and FORWARD from an exception handler */

#define SPARE_PAGE 0x5F800000u                   /* nothing is mapped here */

static struct {
    volatile uint32_t count;
    bool forwarded;
    uint32_t frame;                              /* the frame mapped at SPARE_PAGE */
} mapper;

/* A pager's answer from any handler: a zeroed frame at SPARE_PAGE. */
static int map_spare(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    mapper.count++;
    mapper.forwarded = f->forwarded;
    if (f->vector != 14 || PAGE_DOWN(f->address) != SPARE_PAGE)
        return ERR_RANGE;
    a->verdict = ANSWER_MAP;
    a->flags = MAP_WRITABLE;
    int err = pager_zero_frame(&a->frame);
    mapper.frame = a->frame;
    return err;
}

static int forward_to(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)f;
    a->verdict = ANSWER_FORWARD;
    a->forward = *(relay_handle *)arg;
    return ERR_NONE;
}

/* Touch SPARE_PAGE: it reads as zero and keeps what is written. */
static int touch_spare(void)
{
    volatile uint32_t *p = (volatile uint32_t *)SPARE_PAGE;
    p[1] = 7;
    return p[0] == 0 && p[1] == 7;
}

static void unmap_spare(relay_handle ep)
{
    fault_set_handler(startup_info()->self_thread, HANDLE_NULL);
    handle_delete(ep);
    page_unmap(startup_info()->self_task, SPARE_PAGE);
    frame_free(mapper.frame);
}

TEST(handler_maps, "an exception handler answers a #PF with MAP: the kernel maps its frame, and it counts as a map")
{
    relay_handle ep;
    mapper.count = 0;
    CHECK_EQ(fault_handler_start(map_spare, 0, &ep), ERR_NONE);
    CHECK(touch_spare());
    CHECK_EQ(mapper.count, 1);
    CHECK(!mapper.forwarded);
    const struct fault_stats *st = fault_stats(ep);
    CHECK(st != NULL);
    if (st) {
        CHECK_EQ(st->faults, 1);
        CHECK_EQ(st->maps, 1);
        CHECK_EQ(st->refused, 0);
    }
    unmap_spare(ep);
}

TEST(handler_forwards, "an exception handler forwards a #PF to a pager: the pager sees a claim, its MAP becomes the handler's reply")
{
    relay_handle pager_ep, ep;
    mapper.count = 0;
    CHECK_EQ(pager_start(map_spare, 0, MAIN_PRIORITY, &pager_ep), ERR_NONE);
    CHECK_EQ(fault_handler_start(forward_to, &pager_ep, &ep), ERR_NONE);
    CHECK(touch_spare());
    CHECK_EQ(mapper.count, 1);
    CHECK(mapper.forwarded);
    const struct fault_stats *handler = fault_stats(ep), *pager = fault_stats(pager_ep);
    CHECK(handler != NULL && pager != NULL);
    if (handler && pager) {
        CHECK_EQ(handler->forwards, 1);
        CHECK_EQ(handler->maps, 1);              /* the kernel carried out the reply it relayed */
        CHECK_EQ(pager->faults, 1);
        CHECK_EQ(pager->maps, 0);                /* its answer went to the handler */
    }
    unmap_spare(ep);
    handle_delete(pager_ep);
}

/* ---- signal() says why it failed */

/* role=signals: an unknown signal, then SIGSEGV; exits with what signal_error() said of each. */
ROLE(signals)
{
    (void)argc, (void)argv;
    if (signal(NSIG + 1, SIG_DFL) != SIG_ERR)
        return 90;
    int unknown = signal_error();
    signal_handler_fn old = signal(SIGSEGV, SIG_DFL);
    return unknown << 4 | (old == SIG_ERR ? 0x100 : 0) | signal_error();
}

/* Start role=signals with or without a factory; its exit status. */
static uint32_t run_signals(relay_handle factory)
{
    const struct startup_info *si = startup_info();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 0xFFFFFFFFu;
    if (notification_create(si->factory, &exit_n))
        return status;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "role role=signals", .factory = si->factory, .exit_notification = exit_n,
        .exit_bits = 1, .give_factory = factory, .memory_pages = 16, .priority = CHILD_PRIORITY,
    };
    if (spawn(&a, &c) == ERR_NONE && wait_role(&c, exit_n, 300, &status) != TASK_EXITED)
        status = 0xFFFFFFFEu;
    return status;
}

TEST(signal_says_why, "signal() that fails says why in signal_error(): ERR_INVALID for no such signal, ERR_BAD_HANDLE without a factory; ERR_NONE once it works")
{
    CHECK_EQ(run_signals(startup_info()->factory), ERR_INVALID << 4 | ERR_NONE);
    CHECK_EQ(run_signals(HANDLE_NULL), ERR_INVALID << 4 | 0x100 | ERR_BAD_HANDLE);
}
