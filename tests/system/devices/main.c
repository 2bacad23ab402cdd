/*
 * The devices suite: IRQ objects, I/O-port capabilities, device memory and
 * message map items (docs/ARCHITECTURE.md, "Devices"; docs/ABI.md section 9).
 *
 * It runs as the root task, which alone holds the IRQ-control and
 * I/O-control capabilities and owns device memory: tests/suites boots it as
 * the first module, with a second copy of itself as image 0 for its roles.
 * The device is the CMOS real-time clock: ports 0x70/0x71, IRQ 8, whose
 * periodic interrupt fires at a rate register A sets until register B's
 * PIE bit is cleared, each one waiting for register C to be read.
 * Run on the test kernel, so that every test ends with kernel_check clean.
 * With the argument `bench` it measures irq_to_driver and irq_ack instead.
 */
#include <relay/libos.h>
#include <relay/cycles.h>
#include <relay/port_io.h>
#include <relay/fault.h>
#include <relay/kinfo.h>
#include "../lib/roles.h"
#include "../lib/utest.h"

#define RTC_INDEX 0x70u
#define RTC_DATA  0x71u
#define RTC_IRQ   8u
#define RTC_BIT   0x10u              /* the bit our notifications take the IRQ as */
#define PRIORITY  20u                /* the suite's threads: above every role */
#define VGA_TEXT  0xB8000u
#define MAP_VA    0x20000000u        /* where the suite maps what it tests */
#define WINDOW_VA 0x30000000u        /* a role's window for map items */

static uint8_t rtc_read(uint8_t reg)
{
    outb(RTC_INDEX, reg);
    return inb(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t v)
{
    outb(RTC_INDEX, reg);
    outb(RTC_DATA, v);
}

/* Periodic interrupts at 32768 >> (rate - 1) Hz (rate 3..15), or off (0). */
static void rtc_periodic(uint8_t rate)
{
    if (rate)
        rtc_write(0x0A, (uint8_t)((rtc_read(0x0A) & 0xF0) | rate));
    rtc_write(0x0B, (uint8_t)(rate ? rtc_read(0x0B) | 0x40 : rtc_read(0x0B) & ~0x40));
    rtc_read(0x0C);                    /* whatever was pending is taken */
}

static const struct startup_info *si(void) { return startup_info(); }

static int kernel_clean(void)
{
    struct kernel_check k = { 0 };
    if (sys_kernel_check((uint32_t)&k, 0).error != ERR_NONE)
        return 0;
    if (k.violations)
        utest_note("kernel_check: %u violations", k.violations);
    return k.violations == 0;
}

/* The suite's own handles to the RTC's ports and line, made once. */
static relay_handle rtc_ports, rtc_irq;

static void rtc_claim(void)
{
    if (!rtc_ports)
        ioport_create(si()->io_control, si()->factory, RTC_INDEX, 2, &rtc_ports);
    if (!rtc_irq)
        irq_claim(si()->irq_control, RTC_IRQ, 0, &rtc_irq);
}

/* ------------------------------------------------------------------ I/O ports */

/* A role that reads the RTC's register A through port 0x71 with its
 * exception handler the parent's endpoint: it exits with what it read. */
ROLE(port_reader)
{
    (void)argc, (void)argv;
    relay_handle parent = si()->parent;
    if (sys_thread_set_handler(si()->self_thread, HANDLER_EXCEPTION, parent).error)
        return 200;
    for (;;) {
        uint8_t a = rtc_read(0x0A);
        if (!utest_arg(argc, argv, "loop"))
            return a;
        struct msg m;
        msg_set(&m, 1, 0, 0);
        ipc_call(parent, &m, TIMEOUT_FOREVER);     /* "I read it": the parent may revoke now */
    }
}

/* Receive the fault a role forwarded, and end it. */
static int take_fault(relay_handle ep, struct fault *f)
{
    struct msg m;
    int err = ipc_recv(ep, &m, 200);
    if (err || m.label != LABEL_FAULT || !(m.flags & MSGINFO_KERNEL))
        return err ? err : ERR_INVALID;
    err = fault_decode((const struct fault_record *)m.w, f);
    struct fault_answer a = { .verdict = ANSWER_KILL_TASK, .status = 99 };
    struct msg reply;
    if (fault_reply(f, &a, &reply))
        ipc_reply(&reply);
    return err;
}

TEST(port_without_capability, "in/out on a port the task holds no range for is #GP, forwarded to its handler")
{
    relay_handle ep, exit_n;
    struct child c;
    uint32_t status;
    struct fault f;
    CHECK_EQ(endpoint_create(si()->factory, &ep), ERR_NONE);
    CHECK_EQ(role_spawn("role=port_reader", ep, PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(take_fault(ep, &f), ERR_NONE);
    CHECK_EQ(f.vector, 13);
    CHECK_EQ(f.error_code, 0);
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 99);
    handle_delete(ep);
    CHECK(kernel_clean());
}

TEST(port_handle_opens_and_revoke_closes, "a handle to a port range opens its ports to the task that holds it; a revoke from above closes them at once")
{
    relay_handle ep, exit_n, given;
    struct child c;
    struct msg m;
    uint32_t status;
    struct fault f;
    rtc_claim();
    CHECK(rtc_ports != HANDLE_NULL);
    uint8_t here = rtc_read(0x0A);                  /* the suite holds the range itself */
    CHECK_EQ(endpoint_create(si()->factory, &ep), ERR_NONE);
    CHECK_EQ(role_spawn("role=port_reader loop=1", ep, PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(handle_give(c.task, rtc_ports, RIGHTS_ALL, &given), ERR_NONE);
    /* the role is either blocked in its first in, as a fault, or reads */
    int faults_before = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(ipc_recv(ep, &m, 200), ERR_NONE);
        if (m.label == LABEL_FAULT) {              /* it tried before the handle came */
            faults_before++;
            fault_decode((const struct fault_record *)m.w, &f);
            struct fault_answer a = { .verdict = ANSWER_RETRY };
            struct msg reply;
            CHECK(fault_reply(&f, &a, &reply));
            ipc_reply(&reply);
            continue;
        }
        CHECK_EQ(m.label, 1);
        if (i < 2) {
            msg_set(&m, 0, 0, 0);
            ipc_reply(&m);
        }
    }
    CHECK(faults_before <= 1);
    CHECK(handle_revoke(rtc_ports) == ERR_NONE);    /* the role's copy goes: its ports close */
    msg_set(&m, 0, 0, 0);
    ipc_reply(&m);
    CHECK_EQ(take_fault(ep, &f), ERR_NONE);          /* its very next in */
    CHECK_EQ(f.vector, 13);
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(rtc_read(0x0A), here);                  /* the original still opens them here */
    handle_delete(ep);
    CHECK(kernel_clean());
}

TEST(ioport_errors, "ioport_create: ERR_RANGE outside 0..0xFFFF or empty, ERR_STATE overlapping; the range is free again once its last handle goes")
{
    relay_handle p, q;
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x300, 0, &p), ERR_RANGE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x10000, 1, &p), ERR_RANGE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0xFFFF, 2, &p), ERR_RANGE);
    CHECK_EQ(ioport_create(si()->factory, si()->factory, 0x300, 4, &p), ERR_WRONG_TYPE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x300, 4, &p), ERR_NONE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x303, 4, &q), ERR_STATE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x2FF, 1, &q), ERR_NONE);
    CHECK_EQ(handle_delete(p), ERR_NONE);
    CHECK_EQ(ioport_create(si()->io_control, si()->factory, 0x303, 4, &p), ERR_NONE);
    handle_delete(p);
    handle_delete(q);
    CHECK(kernel_clean());
}

/* --------------------------------------------------------------------- IRQs */

TEST(irq_claim_errors, "irq_claim: ERR_RANGE for lines 0, 2 and past 15, ERR_STATE for a line claimed; free again once its last handle goes")
{
    relay_handle a, b;
    CHECK_EQ(irq_claim(si()->irq_control, 0, 0, &a), ERR_RANGE);
    CHECK_EQ(irq_claim(si()->irq_control, 2, 0, &a), ERR_RANGE);
    CHECK_EQ(irq_claim(si()->irq_control, 16, 0, &a), ERR_RANGE);
    CHECK_EQ(irq_claim(si()->factory, 5, 0, &a), ERR_WRONG_TYPE);
    CHECK_EQ(irq_claim(si()->irq_control, 5, 0, &a), ERR_NONE);
    CHECK_EQ(irq_claim(si()->irq_control, 5, 0, &b), ERR_STATE);
    CHECK_EQ(irq_ack(a), ERR_STATE);                 /* nothing bound */
    CHECK_EQ(irq_bind(a, HANDLE_NULL, 0), ERR_NONE);
    CHECK_EQ(handle_delete(a), ERR_NONE);
    yield();                                         /* the reaper's turn */
    CHECK_EQ(irq_claim(si()->irq_control, 5, 0, &a), ERR_NONE);
    handle_delete(a);
    CHECK(kernel_clean());
}

TEST(rtc_interrupts_arrive, "a bound line's interrupts signal the notification, one per ack: unacked, the line stays masked")
{
    relay_handle n;
    uint32_t bits;
    rtc_claim();
    CHECK_EQ(notification_create(si()->factory, &n), ERR_NONE);
    CHECK_EQ(irq_bind(rtc_irq, n, 0), ERR_INVALID);
    CHECK_EQ(irq_bind(rtc_irq, n, RTC_BIT), ERR_NONE);
    rtc_periodic(6);                                 /* 1024 Hz */
    int flagged = 0;
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(notify_wait(n, &bits, 50), ERR_NONE);
        CHECK_EQ(bits, RTC_BIT);
        flagged += (rtc_read(0x0C) & 0x40) != 0;     /* the periodic flag: it was the RTC */
        if (i < 4)
            CHECK_EQ(irq_ack(rtc_irq), ERR_NONE);
    }
    CHECK(flagged >= 1);                             /* (QEMU may replay a late tick unflagged) */
    /* not acked: masked, whatever the RTC does (a tick is 10 ms, ten RTC periods) */
    CHECK_EQ(notify_wait(n, &bits, 3), ERR_TIMEOUT);
    CHECK_EQ(irq_ack(rtc_irq), ERR_NONE);
    CHECK_EQ(notify_wait(n, &bits, 50), ERR_NONE);
    rtc_periodic(0);
    CHECK_EQ(irq_bind(rtc_irq, HANDLE_NULL, 0), ERR_NONE);
    handle_delete(n);
    CHECK(kernel_clean());
}

TEST(watchdog_notice, "an interrupt left unacked past the line's ack_ticks sends the supervisor NOTICE_IRQ_NOT_ACKED naming the driver")
{
    relay_handle irq, n, ep;
    struct msg m;
    uint32_t bits, my_task;
    CHECK_EQ(irq_claim(si()->irq_control, RTC_IRQ, 5, &irq), ERR_STATE);   /* the suite's, unwatched */
    handle_delete(rtc_irq);
    rtc_irq = HANDLE_NULL;
    yield();
    CHECK_EQ(irq_claim(si()->irq_control, RTC_IRQ, 5, &irq), ERR_NONE);
    CHECK_EQ(notification_create(si()->factory, &n), ERR_NONE);
    CHECK_EQ(endpoint_create(si()->factory, &ep), ERR_NONE);
    CHECK_EQ(sys_supervisor_set(si()->supervisor, ep).error, ERR_NONE);
    CHECK_EQ(irq_bind(irq, n, RTC_BIT), ERR_NONE);
    rtc_claim();
    rtc_periodic(6);
    CHECK_EQ(notify_wait(n, &bits, 50), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 2), ERR_TIMEOUT);      /* not before its time (5 ticks) */
    CHECK_EQ(ipc_recv(ep, &m, 100), ERR_NONE);
    CHECK_EQ(m.label, LABEL_NOTICE);
    CHECK(m.flags & MSGINFO_KERNEL);
    const struct fault_record *r = (const void *)m.w;
    CHECK_EQ(r->reason, NOTICE_IRQ_NOT_ACKED);
    CHECK_EQ(r->vector, 32 + RTC_IRQ);
    CHECK_EQ(task_id(si()->self_task, &my_task), ERR_NONE);
    CHECK_EQ(r->task, my_task);
    CHECK_EQ(ipc_recv(ep, &m, 10), ERR_TIMEOUT);     /* once per interrupt */
    rtc_periodic(0);
    handle_delete(irq);
    handle_delete(n);
    handle_delete(ep);
    yield();
    CHECK(kernel_clean());
}

/* A driver of the RTC in another task: its handles to the line and the
 * ports are the parent's copies.  It counts interrupts, calling the parent
 * every 20; when its ack fails (revoked) it checks that nothing more comes. */
ROLE(rtc_driver)
{
    relay_handle irq = startup_handle("irq"), n;
    uint32_t bits, count = 0;
    (void)argc, (void)argv;
    if (notification_create(si()->factory, &n) || irq_bind(irq, n, RTC_BIT))
        return 201;
    struct msg m;
    msg_set(&m, 1, 0, 0);
    ipc_call(si()->parent, &m, TIMEOUT_FOREVER);       /* bound: the parent starts the clock */
    for (;;) {
        if (notify_wait(n, &bits, 100))
            return 202;                                /* it stopped while we held the line */
        rtc_read(0x0C);
        if (++count % 20 == 0) {
            msg_set(&m, 2, &count, 1);
            ipc_call(si()->parent, &m, TIMEOUT_FOREVER);   /* the parent may revoke meanwhile */
        }
        if (irq_ack(irq) != ERR_NONE)
            break;
    }
    notify_poll(n, &bits);                             /* what came before the revoke */
    if (notify_wait(n, &bits, 20) != ERR_TIMEOUT)
        return 203;                                    /* something reached us afterwards */
    return 0;
}

TEST(revoke_while_firing, "revoking a driver's IRQ while its line fires at 1 kHz: nothing reaches it afterwards; the line works for its holder; the kernel is consistent")
{
    relay_handle ep, exit_n, irq, ports, n;
    struct child c;
    struct msg m;
    uint32_t status, bits;
    rtc_claim();
    CHECK_EQ(irq_bind(rtc_irq, HANDLE_NULL, 0), ERR_NONE);
    CHECK_EQ(endpoint_create(si()->factory, &ep), ERR_NONE);
    CHECK_EQ(handle_copy(rtc_irq, RIGHTS_ALL, &irq), ERR_NONE);
    CHECK_EQ(handle_copy(rtc_ports, RIGHTS_ALL, &ports), ERR_NONE);
    struct spawn_handle give[] = { { "irq", irq, RIGHTS_ALL }, { "ports", ports, RIGHTS_ALL } };
    CHECK_EQ(role_spawn_with("role=rtc_driver", ep, PRIORITY - 1, 16, give, 2, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 200), ERR_NONE);
    CHECK_EQ(m.label, 1);
    rtc_periodic(6);
    msg_set(&m, 0, 0, 0);
    ipc_reply(&m);
    CHECK_EQ(ipc_recv(ep, &m, 200), ERR_NONE);        /* 20 interrupts in */
    CHECK_EQ(m.label, 2);
    CHECK_EQ(handle_revoke(irq), ERR_NONE);           /* the driver's line, and its ports */
    CHECK_EQ(handle_revoke(ports), ERR_NONE);
    msg_set(&m, 0, 0, 0);
    ipc_reply(&m);
    CHECK_EQ(role_wait(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    /* the line is whole: its holder binds it again and it fires */
    CHECK_EQ(notification_create(si()->factory, &n), ERR_NONE);
    CHECK_EQ(irq_bind(rtc_irq, n, RTC_BIT), ERR_NONE);
    rtc_read(0x0C);
    CHECK_EQ(notify_wait(n, &bits, 50), ERR_NONE);
    rtc_periodic(0);
    CHECK_EQ(irq_bind(rtc_irq, HANDLE_NULL, 0), ERR_NONE);
    handle_delete(n);
    handle_delete(irq);
    handle_delete(ports);
    handle_delete(ep);
    CHECK(kernel_clean());
}

/* ------------------------------------------------------------ device memory */

TEST(device_memory_is_roots, "the VGA text buffer is the root's device memory: mapped uncached it reads back what was written; it cannot become kernel memory; frame_revoke takes it back")
{
    int listed = 0;
    for (uint32_t i = 0; i < si()->device_count; i++)
        listed |= si()->devices[i].start <= VGA_TEXT && VGA_TEXT < si()->devices[i].end;
    CHECK(listed);
    CHECK_EQ(page_map(si()->self_task, MAP_VA, VGA_TEXT, MAP_WRITABLE | MAP_UNCACHED), ERR_NONE);
    volatile uint16_t *cell = (volatile uint16_t *)MAP_VA;
    cell[0] = 0x0752;                                 /* 'R', white on black */
    CHECK_EQ(cell[0], 0x0752);
    struct sys_result q = sys_map_query(si()->self_task, MAP_VA);
    CHECK_EQ(q.error, ERR_NONE);
    CHECK_EQ(q.r[0], VGA_TEXT);
    CHECK_EQ(q.r[1], MAP_WRITABLE | MAP_UNCACHED);
    CHECK_EQ(page_map(si()->self_task, MAP_VA + PAGE_SIZE, VGA_TEXT, 0x4), ERR_RANGE);
    relay_handle f;
    CHECK_EQ(factory_create(si()->factory, &f), ERR_NONE);
    CHECK_EQ(factory_give(f, VGA_TEXT, 1), ERR_RANGE);
    handle_delete(f);
    CHECK_EQ(sys_frame_revoke(VGA_TEXT).error, ERR_NONE);
    CHECK_EQ(sys_map_query(si()->self_task, MAP_VA).error, ERR_NOT_MAPPED);
    CHECK(kernel_clean());
}

/* -------------------------------------------------------------- map items */

/* Receives a map item into its window, checks the words the parent wrote,
 * writes its own after them, and answers how many pages it got. */
ROLE(map_receiver)
{
    (void)argc, (void)argv;
    relay_handle ep;
    struct msg m;
    if (endpoint_create(si()->factory, &ep))
        return 210;
    msg_set(&m, 1, 0, 0);
    m.handle = ep;
    m.flags = MSGINFO_HANDLE;
    ipc_call(si()->parent, &m, TIMEOUT_FOREVER);       /* here is where to send */
    struct utcb *u = utcb_self();
    for (int round = 0; round < 3; round++) {
        u->recv_map_va = WINDOW_VA;
        u->recv_map_pages = 4;
        if (ipc_recv(ep, &m, 300))
            return 211;
        uint32_t got = m.flags & MSGINFO_MAP ? u->recv_mapped : 0;
        volatile uint32_t *w = (volatile uint32_t *)WINDOW_VA;
        for (uint32_t p = 0; p < got; p++)
            if (w[p * 1024] != 0xC0DE0000u + p)
                got = 100 + p;
        uint32_t writable = 0;                           /* pages mapped writable */
        for (uint32_t p = 0; p < got && p < 4; p++)
            writable += (sys_map_query(si()->self_task, WINDOW_VA + p * PAGE_SIZE).r[1] & MAP_WRITABLE) != 0;
        for (uint32_t p = 0; p < got && p < 4 && writable == got; p++)
            w[p * 1024 + 1] = 0xFEED0000u + p;
        uint32_t words[2] = { got, writable };
        msg_set(&m, 2, words, 2);
        ipc_reply(&m);
    }
    return 0;
}

TEST(map_items, "a message maps the sender's pages into the receiver's window: as many as both allow, writable only if asked; none without RIGHT_GRANT")
{
    relay_handle ep, exit_n, to, plain;
    struct child c;
    struct msg m;
    uint32_t status, pa[3];
    CHECK_EQ(endpoint_create(si()->factory, &ep), ERR_NONE);
    CHECK_EQ(role_spawn("role=map_receiver", ep, PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 200), ERR_NONE);
    CHECK(m.flags & MSGINFO_HANDLE);
    to = m.handle;
    msg_set(&m, 0, 0, 0);
    ipc_reply(&m);
    for (uint32_t p = 0; p < 3; p++) {
        CHECK_EQ(frame_alloc(&pa[p]), ERR_NONE);
        CHECK_EQ(page_map(si()->self_task, MAP_VA + p * PAGE_SIZE, pa[p], MAP_WRITABLE), ERR_NONE);
        *(volatile uint32_t *)(MAP_VA + p * PAGE_SIZE) = 0xC0DE0000u + p;
    }
    struct utcb *u = utcb_self();
    /* without RIGHT_GRANT: the message arrives, no page */
    CHECK_EQ(handle_copy(to, RIGHT_SEND, &plain), ERR_NONE);
    u->send_map_va = MAP_VA;
    u->send_map_pages = 3;
    u->send_map_flags = MAP_WRITABLE;
    msg_set(&m, 3, 0, 0);
    m.flags = MSGINFO_MAP;
    CHECK_EQ(ipc_call(plain, &m, 300), ERR_NONE);
    CHECK_EQ(m.w[0], 0);
    /* with it: three pages of a four-page window, writable */
    msg_set(&m, 3, 0, 0);
    m.flags = MSGINFO_MAP;
    CHECK_EQ(ipc_call(to, &m, 300), ERR_NONE);
    CHECK_EQ(m.w[0], 3);
    CHECK_EQ(m.w[1], 3);
    for (uint32_t p = 0; p < 3; p++)
        CHECK_EQ(*(volatile uint32_t *)(MAP_VA + p * PAGE_SIZE + 4), 0xFEED0000u + p);
    /* not asked for writable: the same pages again, read-only, replacing the first */
    u->send_map_flags = 0;
    msg_set(&m, 3, 0, 0);
    m.flags = MSGINFO_MAP;
    CHECK_EQ(ipc_call(to, &m, 300), ERR_NONE);
    CHECK_EQ(m.w[0], 3);
    CHECK_EQ(m.w[1], 0);
    CHECK_EQ(role_wait(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    for (uint32_t p = 0; p < 3; p++) {
        page_unmap(si()->self_task, MAP_VA + p * PAGE_SIZE);
        frame_free(pa[p]);
    }
    handle_delete(plain);
    handle_delete(ep);
    CHECK(kernel_clean());
}

/* ----------------------------------------------------------------- benchmarks */

static volatile uint32_t spin_tsc;       /* the spinner's latest rdtsc */
static volatile uint32_t spinning;

static inline uint32_t rdtsc32(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo;
}

/* wait(n), and rdtsc the moment it returns: nothing between the gate and the clock. */
static inline uint32_t wait_then_rdtsc(relay_handle n)
{
    uint32_t eax = RELAY_SYSNR(SYS_wait, TIMEOUT_FOREVER), ebx = n, ecx, edx, esi, edi;
    asm volatile("push %%ebp\n\tint $0x80\n\trdtsc\n\tpop %%ebp"
                 : "+a"(eax), "+b"(ebx), "=c"(ecx), "=d"(edx), "=S"(esi), "=D"(edi) : : "memory");
    return eax;
}

static void spinner(void *arg)
{
    (void)arg;
    while (spinning)
        spin_tsc = rdtsc32();
}

#define SAMPLES 65

/* seL4's way: a low-priority thread spins on rdtsc; the driver, woken by
 * the interrupt, reads rdtsc as its first act; the difference is the time
 * from the interrupt's entry (as near as the spinner's loop tells) to the
 * driver running in ring 3.  And the ack, on its own. */
static int bench(void)
{
    relay_handle n;
    struct thread *t;
    uint32_t bits, irq_to_driver[SAMPLES], ack[SAMPLES];
    rtc_claim();
    if (notification_create(si()->factory, &n) || irq_bind(rtc_irq, n, RTC_BIT))
        return 1;
    spinning = 1;
    struct thread_spec spec = { .fn = spinner, .priority = 1 };
    if (thread_spawn(&spec, &t))
        return 1;
    rtc_periodic(6);
    for (unsigned i = 0; i < SAMPLES + 3; i++) {
        uint32_t woke = wait_then_rdtsc(n);
        uint32_t before = spin_tsc;
        rtc_read(0x0C);
        uint32_t a0 = rdtsc32();
        irq_ack(rtc_irq);
        uint32_t a1 = rdtsc32();
        if (i >= 3) {                                 /* the first ones warm up */
            irq_to_driver[i - 3] = woke - before;
            ack[i - 3] = a1 - a0;
        }
    }
    rtc_periodic(0);
    spinning = 0;
    (void)bits;
    uint32_t tsc_cost = rdtsc32();
    tsc_cost = rdtsc32() - tsc_cost;
    printf("BENCH irq_to_driver %u\n", median_u32(irq_to_driver, SAMPLES));
    printf("PASS irq_to_driver: RTC interrupt to the driver thread in ring 3, guest instructions (median of %u)\n", SAMPLES);
    printf("BENCH irq_ack %u\n", median_u32(ack, SAMPLES) - tsc_cost);
    printf("PASS irq_ack: the ack system call, guest instructions (median of %u)\n", SAMPLES);
    printf("devbench: 2 passed, 0 failed\n");
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "bench"))
            return bench();
    return utest_main("devices", argc, argv);
}
