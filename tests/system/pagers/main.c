/*
 * The pager suite: libos' pager framework (relay/pager.h) serving clients in
 * other tasks -- copies of this program playing role=client -- from pager
 * threads of this task.  The clients check what they read and exit 0.
 */
#include <relay/libos.h>
#include <relay/kinfo.h>
#include "../lib/roles.h"
#include "../lib/utest.h"
#include "../../../user/pagers/evict/evict.h"

#define CLIENT_PRIORITY 9u      /* below main (10): a client runs when main waits */
#define PAGER_PRIORITY  14u
#define REGION          0x50000000u
#define OTHER_REGION    0x58000000u   /* the forwarding test's parent serves it */
#define BIG_PAGES       1000u
#define CLIENT_TICKS    3000u

/* How the suite's pager answers. */
enum mode {
    MODE_ZERO, MODE_PATTERN, MODE_FOREIGN, MODE_EVICT, MODE_FORWARD,
    MODE_RETRY_FIRST,     /* RETRY a page's first fault without mapping it, MAP the second */
    MODE_MAPPED,          /* page_map a zeroed frame into the client, then MAP another there */
    MODE_RESUME,          /* RESUME past the client's 2-byte load, with eax = RESUMED_EAX */
};

#define RESUMED_EAX 0x600Du

static struct {
    enum mode mode;
    uint32_t frames[BIG_PAGES + 8], count;   /* frames handed out, to free after */
    relay_handle parent;                     /* MODE_FORWARD: where REGION's others go */
    relay_handle client;                     /* the running client's task */
    uint32_t retried;                        /* MODE_RETRY_FIRST: the last page retried */
} suite;

static struct evict_pager evict;
static relay_handle pager_ep, parent_ep, notices;

static uint32_t own_address(uint32_t va, uint32_t i, void *arg)
{
    (void)arg;
    return va + 4 * i;
}

/* Remember frame *pa, unless err says there is none, to free after the test. */
static int keep(const uint32_t *pa, int err)
{
    if (!err && suite.count < sizeof suite.frames / sizeof suite.frames[0])
        suite.frames[suite.count++] = *pa;
    return err;
}

static int zero(struct fault_answer *a)
{
    a->verdict = ANSWER_MAP;
    a->flags = MAP_WRITABLE;
    return keep(&a->frame, pager_zero_frame(&a->frame));
}

static int suite_pager(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    switch (suite.mode) {
    case MODE_ZERO:
        return zero(a);
    case MODE_PATTERN:
        a->verdict = ANSWER_MAP;
        return keep(&a->frame, pager_fill_frame(&a->frame, PAGE_DOWN(f->address), own_address, 0));
    case MODE_FOREIGN:
        a->verdict = ANSWER_MAP;
        a->frame = 0x00100000;               /* the kernel's image: not ours */
        return ERR_NONE;
    case MODE_EVICT:
        return evict_fault(f, a, &evict);
    case MODE_FORWARD:
        if (f->address >= OTHER_REGION) {
            a->verdict = ANSWER_FORWARD;
            a->forward = suite.parent;
            return ERR_NONE;
        }
        return zero(a);
    case MODE_RETRY_FIRST:
        if (suite.retried != PAGE_DOWN(f->address)) {
            suite.retried = PAGE_DOWN(f->address);
            a->verdict = ANSWER_RETRY;           /* nothing mapped: the client faults again */
            return ERR_NONE;
        }
        return zero(a);
    case MODE_MAPPED: {                          /* the MAP then finds our own mapping */
        uint32_t own;
        int err = keep(&own, pager_zero_frame(&own));
        if (!err)
            err = page_map(suite.client, PAGE_DOWN(f->address), own, MAP_WRITABLE);
        return err ? err : zero(a);
    }
    case MODE_RESUME:
        a->verdict = ANSWER_RESUME;
        f->regs.eax = RESUMED_EAX;
        f->regs.eip += 2;                        /* the client's movl (%ecx), %eax */
        return ERR_NONE;
    }
    return ERR_INVALID;
}

/* The parent of the forwarding test: patterns, for what the child passes on. */
static int parent_pager(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    a->verdict = ANSWER_MAP;
    return keep(&a->frame, pager_fill_frame(&a->frame, PAGE_DOWN(f->address), own_address, 0));
}

static void free_frames(void)
{
    for (uint32_t i = 0; i < suite.count; i++)
        frame_free(suite.frames[i]);
    suite.count = 0;
}

/* ---- the clients */

static int check_zero_then_write(uint32_t base, uint32_t pages)
{
    for (uint32_t p = 0; p < pages; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(base + p * PAGE_SIZE);
        if (w[0] != 0 || w[PAGE_SIZE / 8] != 0 || w[PAGE_SIZE / 4 - 1] != 0)
            return 1;
        w[0] = p + 1;
        w[PAGE_SIZE / 4 - 1] = ~p;
    }
    for (uint32_t p = 0; p < pages; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(base + p * PAGE_SIZE);
        if (w[0] != p + 1 || w[PAGE_SIZE / 4 - 1] != ~p)
            return 2;
    }
    return 0;
}

static int check_pattern(uint32_t base, uint32_t pages)
{
    for (uint32_t va = base; va < base + pages * PAGE_SIZE; va += 4)
        if (*(volatile uint32_t *)va != va)
            return 3;
    return 0;
}

/* Write every word of pages pages, rounds times over (each round adds 1), then check. */
static int check_evict(uint32_t pages, uint32_t rounds, uint32_t words)
{
    for (uint32_t r = 0; r < rounds; r++)
        for (uint32_t p = 0; p < pages; p++) {
            volatile uint32_t *w = (volatile uint32_t *)(REGION + p * PAGE_SIZE);
            for (uint32_t i = 0; i < words; i++)
                w[i] = r ? w[i] + 1 : p * 0x10000u + i;
        }
    for (uint32_t p = 0; p < pages; p++) {
        volatile uint32_t *w = (volatile uint32_t *)(REGION + p * PAGE_SIZE);
        for (uint32_t i = 0; i < words; i++)
            if (w[i] != p * 0x10000u + i + rounds - 1)
                return 4;
    }
    return 0;
}

/* role=client what=... pages=N [rounds=N words=N] */
ROLE(client)
{
    const char *what = utest_arg(argc, argv, "what");
    uint32_t pages = utest_arg_u32(argc, argv, "pages", 1);
    if (!what)
        return 100;
    if (strcmp(what, "zero") == 0)
        return check_zero_then_write(REGION, pages);
    if (strcmp(what, "pattern") == 0)
        return check_pattern(REGION, pages);
    if (strcmp(what, "evict") == 0)
        return check_evict(pages, utest_arg_u32(argc, argv, "rounds", 2),
                           utest_arg_u32(argc, argv, "words", PAGE_SIZE / 4));
    if (strcmp(what, "both") == 0)
        return check_zero_then_write(REGION, pages) | check_pattern(OTHER_REGION, pages);
    if (strcmp(what, "none") == 0)
        return 0;
    if (strcmp(what, "forge") == 0) {            /* a fault record that is no fault */
        struct fault_record r = { .version = FAULT_RECORD_VERSION, .vector = 14, .cr2 = REGION,
                                  .error_code = 6 };
        struct msg m = { .label = LABEL_FAULT, .length = FAULT_WORDS };
        memcpy(m.w, &r, sizeof r);
        return ipc_call(startup_info()->parent, &m, 100);
    }
    if (strcmp(what, "kernel") == 0)
        return (int)*(volatile uint32_t *)0xC0100000u;   /* kernel space: a #PF */
    if (strcmp(what, "resume") == 0) {           /* a load the pager answers with registers */
        uint32_t eax;
        asm volatile("movl (%1), %0" : "=a"(eax) : "c"(REGION) : "memory");
        return eax == RESUMED_EAX ? 0 : 5;
    }
    return 101;
}

/* Run a client with pager ep attached before it runs; its end state and status. */
static uint32_t run_client(const char *args, relay_handle ep, uint32_t *status)
{
    struct child c;
    relay_handle exit_n;
    char line[96];
    snprintf(line, sizeof line, "role=client %s", args);
    *status = 0xFFFFFFFFu;
    if (role_spawn(line, HANDLE_NULL, CLIENT_PRIORITY, 16, &c, &exit_n) != ERR_NONE)
        return 0xFFu;
    suite.client = c.task;
    if (suite.mode == MODE_EVICT)
        evict.client = c.task;
    if (pager_attach(c.thread, ep) != ERR_NONE) {
        thread_kill(c.thread);
        role_wait(&c, exit_n, CLIENT_TICKS, status);
        return 0xFEu;
    }
    uint32_t state = role_wait(&c, exit_n, CLIENT_TICKS, status);
    if (state == TASK_ALIVE) {
        thread_kill(c.thread);
        role_wait(&c, exit_n, CLIENT_TICKS, status);
    }
    return state;
}

static struct kernel_info kinfo(void)
{
    struct kernel_info k = { 0 };
    kernel_info_settled(&k);
    return k;
}

/* Take notices until one for vector 14 comes (or none is left). */
static int take_pf_notice(struct fault_record *rec, uint32_t ticks)
{
    struct msg m;
    int err;
    while ((err = ipc_recv(notices, &m, ticks)) == ERR_NONE) {
        memcpy(rec, m.w, sizeof *rec);
        if (msg_from_kernel(&m, LABEL_NOTICE) && rec->vector == 14)
            return ERR_NONE;
    }
    return err;
}

static void drain_notices(void)
{
    struct msg m;
    while (ipc_recv(notices, &m, TIMEOUT_POLL) == ERR_NONE)
        ;
}

/* ---- the tests */

TEST(demand_zero, "a demand-zero pager: 64 fresh pages read as zero and keep what is written")
{
    suite.mode = MODE_ZERO;
    const struct fault_stats *st = fault_stats(pager_ep);
    uint32_t before = st->faults, status;
    CHECK_EQ(run_client("what=zero pages=64", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(st->faults - before, 64);
    CHECK_EQ(suite.count, 64);
    free_frames();
}

TEST(thousand_pages, "1,000 pages (4 MB) through the pager: zero, then written and read back; every frame comes back")
{
    suite.mode = MODE_ZERO;
    uint32_t pool = frame_free_count(), status;
    CHECK(pool > BIG_PAGES + 64);
    CHECK_EQ(run_client("what=zero pages=1000", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(suite.count, BIG_PAGES);
    free_frames();
    CHECK_EQ(frame_free_count(), pool);
}

TEST(pattern, "a pattern pager: every word of 64 read-only pages holds its own address")
{
    suite.mode = MODE_PATTERN;
    uint32_t status;
    CHECK_EQ(run_client("what=pattern pages=64", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(suite.count, 64);
    free_frames();
}

TEST(evict_refault, "4 frames for 16 pages touched twice: pages are evicted and faulted back, every byte survives")
{
    suite.mode = MODE_EVICT;
    evict_init(&evict, HANDLE_NULL, REGION, 16);
    uint32_t pool = frame_free_count(), status;
    CHECK_EQ(run_client("what=evict pages=16 rounds=2", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(evict.faults, 48);                  /* 16 + 16 re-faults + 16 while checking */
    CHECK_EQ(evict.evictions, 44);
    CHECK_EQ(evict.restores, 32);
    evict_release(&evict);
    CHECK_EQ(frame_free_count(), pool);
}

TEST(map_not_owned, "FAULT_MAP of a frame the pager does not own is refused (ERR_NOT_OWNER); the client dies by #PF")
{
    suite.mode = MODE_FOREIGN;
    drain_notices();
    const struct fault_stats *st = fault_stats(pager_ep);
    uint32_t refused = st->refused, status;
    CHECK_EQ(run_client("what=zero pages=1", pager_ep, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    CHECK_EQ(st->refused, refused + 1);
    CHECK_EQ(st->last_refusal, ERR_NOT_OWNER);
    struct fault_record rec;
    CHECK_EQ(take_pf_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_BAD_REPLY);
    CHECK_EQ(rec.cr2, REGION);
}

TEST(map_kernel_space, "a client touching kernel space: the pager's FAULT_MAP there is refused (ERR_RANGE), and so is page_map")
{
    suite.mode = MODE_ZERO;
    drain_notices();
    const struct fault_stats *st = fault_stats(pager_ep);
    uint32_t refused = st->refused, status;
    CHECK_EQ(run_client("what=kernel", pager_ep, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    CHECK_EQ(st->refused, refused + 1);
    CHECK_EQ(st->last_refusal, ERR_RANGE);
    CHECK_EQ(suite.count, 1);
    CHECK_EQ(page_map(startup_info()->self_task, 0xC0100000u, suite.frames[0], 0), ERR_RANGE);
    CHECK_EQ(page_map(startup_info()->self_task, 0x60000000u, 0x00100000u, 0), ERR_NOT_OWNER);
    free_frames();
}

TEST(forward, "hierarchical pagers: a pager serves its region and forwards the rest to its parent pager")
{
    suite.mode = MODE_FORWARD;
    suite.parent = parent_ep;
    const struct fault_stats *child = fault_stats(pager_ep), *parent = fault_stats(parent_ep);
    struct fault_stats c0 = *child, p0 = *parent;
    uint32_t status;
    CHECK_EQ(run_client("what=both pages=8", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(child->faults - c0.faults, 16);
    CHECK_EQ(child->forwards - c0.forwards, 8);
    CHECK_EQ(child->maps - c0.maps, 16);        /* its own 8, and the 8 it relayed: the kernel's */
    CHECK_EQ(parent->faults - p0.faults, 8);
    CHECK_EQ(parent->maps, p0.maps);            /* its answers went to the child, not the kernel */
    CHECK_EQ(suite.count, 16);
    free_frames();
}

TEST(retry_is_not_a_map, "a pager that answers RETRY without mapping: the client faults again; only the MAPs the kernel carried out count as maps")
{
    suite.mode = MODE_RETRY_FIRST;
    suite.retried = 0;
    const struct fault_stats *st = fault_stats(pager_ep);
    struct fault_stats before = *st;
    uint32_t status;
    CHECK_EQ(run_client("what=zero pages=8", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(st->faults - before.faults, 16);   /* each page: RETRY, fault again, MAP */
    CHECK_EQ(st->maps - before.maps, 8);
    CHECK_EQ(st->refused, before.refused);
    CHECK_EQ(st->kills, before.kills);
    CHECK_EQ(suite.count, 8);
    free_frames();
}

TEST(map_over_a_mapping, "a MAP where the page is mapped already: the kernel says ERR_MAPPED, the client retries with what is there, and it is no map")
{
    suite.mode = MODE_MAPPED;
    const struct fault_stats *st = fault_stats(pager_ep);
    struct fault_stats before = *st;
    uint32_t status;
    CHECK_EQ(run_client("what=zero pages=4", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);                         /* our own page_map was writable: it served */
    CHECK_EQ(st->faults - before.faults, 4);
    CHECK_EQ(st->maps, before.maps);
    CHECK_EQ(st->refused - before.refused, 4);
    CHECK_EQ(st->last_refusal, ERR_MAPPED);
    free_frames();
}

TEST(pager_resumes_with_registers, "a pager answers RESUME with registers: the client's load gets the pager's eax and goes on past it")
{
    suite.mode = MODE_RESUME;
    const struct fault_stats *st = fault_stats(pager_ep);
    struct fault_stats before = *st;
    uint32_t status;
    CHECK_EQ(run_client("what=resume", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(st->faults - before.faults, 1);
    CHECK_EQ(st->maps, before.maps);
    CHECK_EQ(st->refused, before.refused);
}

TEST(forged_fault, "a client calling a pager with a made-up fault record gets no answer and no frame")
{
    suite.mode = MODE_ZERO;
    const struct fault_stats *st = fault_stats(pager_ep);
    uint32_t faults = st->faults, frames = suite.count, status;
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=client what=forge", pager_ep, CLIENT_PRIORITY, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, CLIENT_TICKS, &status), TASK_EXITED);
    CHECK_EQ(status, ERR_NO_PARTNER);            /* the pager moved on without a reply */
    CHECK_EQ(st->faults, faults);
    CHECK_EQ(suite.count, frames);
    free_frames();
}

/* role=dyingpager: a pager in its own task that exits on its first fault. */
static int die_on_fault(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)f, (void)a, (void)arg;
    exit(7);
}

ROLE(dyingpager)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle ep, never;
    if (pager_start(die_on_fault, 0, thread_priority_max(), &ep) || notification_create(si->factory, &never))
        return 1;
    struct msg m = { .flags = MSGINFO_HANDLE, .handle = ep };
    ipc_call(si->parent, &m, TIMEOUT_FOREVER);
    uint32_t bits;
    notify_wait(never, &bits, TIMEOUT_FOREVER);
    return 2;
}

TEST(pager_dies, "a pager that dies while its client waits: the client is killed by #PF, NOTICE_HANDLER_GONE")
{
    drain_notices();
    const struct startup_info *si = startup_info();
    relay_handle hello;
    CHECK_EQ(endpoint_create(si->factory, &hello), ERR_NONE);
    struct child p;
    relay_handle p_exit;
    CHECK_EQ(role_spawn("role=dyingpager", hello, CLIENT_PRIORITY, 16, &p, &p_exit), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(hello, &m, 500), ERR_NONE);
    CHECK(m.flags & MSGINFO_HANDLE);
    relay_handle ep = m.handle;
    struct msg r = { 0 };
    ipc_reply(&r);
    uint32_t status;
    CHECK_EQ(run_client("what=zero pages=4", ep, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    CHECK_EQ(role_wait(&p, p_exit, CLIENT_TICKS, &status), TASK_EXITED);
    CHECK_EQ(status, 7);
    struct fault_record rec;
    CHECK_EQ(take_pf_notice(&rec, 100), ERR_NONE);
    CHECK_EQ(rec.reason, NOTICE_HANDLER_GONE);
    handle_delete(ep);
    handle_delete(hello);
}

/* What one client task costs the kernel even if it never faults: at the time
 * of writing a spawned and released task leaves its task object and its exit
 * notification counted (a kernel matter, not the pager's); the leak check
 * compares against that. */
static struct kernel_info cost_of_a_client(void)
{
    uint32_t status;
    struct kernel_info before = kinfo();
    run_client("what=none", pager_ep, &status);
    struct kernel_info after = kinfo();
    return (struct kernel_info){
        .frames_free = after.frames_free - before.frames_free, .tasks = after.tasks - before.tasks,
        .threads = after.threads - before.threads, .endpoints = after.endpoints - before.endpoints,
        .notifications = after.notifications - before.notifications,
    };
}

TEST(no_leak, "10,000 evict cycles (fault, unmap, map): no frame, page table or object leaks")
{
    struct kernel_info client = cost_of_a_client();
    CHECK_EQ(client.frames_free, 0);
    CHECK_EQ(client.threads, 0);
    suite.mode = MODE_EVICT;
    evict_init(&evict, HANDLE_NULL, REGION, 100);
    uint32_t pool = frame_free_count(), status;
    struct kernel_info before = kinfo();
    CHECK_EQ(run_client("what=evict pages=100 rounds=100 words=1", pager_ep, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(evict.faults, 100 * 100 + 100);     /* the check pass faults each page again */
    CHECK_EQ(evict.evictions, evict.faults - EVICT_FRAMES);
    evict_release(&evict);
    struct kernel_info after = kinfo();
    CHECK_EQ(after.frames_free, before.frames_free);       /* page tables: the kernel's frames */
    CHECK_EQ(after.tasks, before.tasks + client.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.endpoints, before.endpoints);
    CHECK_EQ(after.notifications, before.notifications + client.notifications);
    CHECK_EQ(frame_free_count(), pool);
    printf("  %u faults, %u evictions; kernel frames free %u before, %u after; "
           "a client task leaves %u task and %u notification counted\n",
           evict.faults, evict.evictions, before.frames_free, after.frames_free,
           client.tasks, client.notifications);
}

int main(int argc, char **argv)
{
    const struct startup_info *si = startup_info();
    if (utest_arg(argc, argv, "role"))           /* a copy playing a role: no suite set-up */
        return utest_main("pagers", argc, argv);
    if (program_page_in()                         /* paged: its pagers' code in before they run */
        || pager_start(suite_pager, 0, PAGER_PRIORITY, &pager_ep)
        || pager_start(parent_pager, 0, PAGER_PRIORITY, &parent_ep)
        || endpoint_create(si->factory, &notices) || sys_supervisor_set(si->supervisor, notices).error)
        return 126;
    return utest_main("pagers", argc, argv);
}
