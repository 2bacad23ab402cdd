/*
 * bench: Relay's IPC and system-call benchmarks, in guest instructions per
 * operation.  Run under QEMU with -icount shift=0 (make bench), where rdtsc
 * counts guest instructions exactly.  Each figure is the median of ROUNDS
 * rounds of BATCH operations, less the cost of the measuring itself, and
 * includes the user-side stub (as a program would run it: the int 0x80 and
 * its register moves).  Prints `BENCH name N` and a PASS line per benchmark.
 *
 *   null_syscall               nop: the cheapest round trip through the gate
 *   ipc_call_reply_cross_task  call + the server's reply_recv, two address spaces
 *   ipc_call_reply_same_task   the same between two threads of one task
 *   notify_signal_wait         signal one notification and wake its waiter:
 *                              half of a signal/wait ping-pong round trip
 *   fault_resume_cross_task    a #DE, its fault record to a handler in another
 *                              task, the handler's RESUME past the div, and
 *                              the faulting thread running again
 *   fault_resume_same_task     the same with the handler a thread of the task
 *   pf_demand_zero             a first touch of a fresh page: #PF to a pager in
 *                              another task, which zeroes a frame of its own
 *                              (1,024 rep stosd steps), maps it into the
 *                              faulting task and replies RETRY
 *   pf_demand_zero_reply_map   the same with the pager's one-call FAULT_MAP reply
 *   pf_cow                     a write to a copy-on-write page: #PF (protection)
 *                              to the pager, which copies the shared frame
 *                              into a fresh one (1,024 rep movsd steps),
 *                              unmaps the read-only share and FAULT_MAPs the copy
 *   map_unmap                  map a frame in the caller's task and unmap it
 *   task_create_destroy        task_create from this program's factory, the
 *                              shared code page mapped, a thread created and
 *                              started, which exits at once; wait for the
 *                              exit notification (the kernel has taken the
 *                              task apart), delete the handles
 *   endpoint_create_delete     endpoint_create, then handle_delete
 *   threads_16384              thread_create of 16,384 threads that live at
 *                              once in one task (each never started, its
 *                              handle deleted at once), then the task ends
 *   ipc_call_reply_cross_task_at_N, fault_resume_cross_task_at_N
 *                              the cross-task benchmarks with N tasks alive
 *                              (N = 2, 64, 1024, 4096; at 2 there are 3:
 *                              proc, bench and the server): a crowd of idle
 *                              tasks, each with one thread blocked in recv on
 *                              an endpoint nobody sends to, made first
 *   ipc_call_reply_cross_task_mapped_100000, fault_resume_cross_task_mapped_100000
 *                              the same with one idle task holding 100,000
 *                              mappings (4 frames, each at 25,000 addresses)
 *
 * The crowds are made in a factory of their own funded with this program's
 * frames when it has enough, else in its own factory (proc's kmem=N: a
 * program gets at most 16 MiB of frames, a crowd of 1,024 needs more); a
 * crowd in a factory of its own ends by deleting that factory, one in ours
 * by killing each thread.  Either way the kernel must then give back every
 * task, thread, endpoint and mapping (kernel_info), or the benchmark fails.
 * What making and ending a crowd or the mappings cost is printed as a
 * `bench:` line beside them (information, not a benchmark).
 */
#include <relay/libos.h>
#include <relay/cycles.h>
#include <relay/fault.h>

#define ROUNDS 21
#define BATCH  64

enum { LABEL_HELLO = 1, LABEL_BENCH };

/* The cost of two back-to-back rdtsc reads, taken off every round. */
static uint32_t overhead(void)
{
    uint64_t a = rdtsc(), b = rdtsc();
    return (uint32_t)(b - a);
}

static inline void nop_syscall(void)
{
    uint32_t eax = SYS_nop;
    asm volatile("int $0x80" : "+a"(eax) : : "memory");
}

/* call(ep, one word) -> reply word; the minimal stub a program would inline. */
static inline uint32_t call1(relay_handle ep, uint32_t w)
{
    uint32_t eax = RELAY_SYSNR(SYS_call, TIMEOUT_FOREVER), ebx = ep, ecx = msginfo(LABEL_BENCH, 1, 0);
    asm volatile("push %%ebp\n\tint $0x80\n\tpop %%ebp"
                 : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(w)
                 : : "esi", "edi", "memory");
    return w;
}

/* The server loop: reply with w + 1 and wait for the next call, for ever. */
static void serve(relay_handle ep)
{
    uint32_t eax = RELAY_SYSNR(SYS_recv, TIMEOUT_FOREVER), ebx = ep, ecx = 0, w = 0;
    asm volatile("push %%ebp\n\tint $0x80\n\tpop %%ebp"
                 : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(w) : : "esi", "edi", "memory");
    for (;;) {
        eax = RELAY_SYSNR(SYS_reply_recv, TIMEOUT_FOREVER);
        ebx = ep;
        ecx = msginfo(LABEL_BENCH, 1, 0);
        w++;
        asm volatile("push %%ebp\n\tint $0x80\n\tpop %%ebp"
                     : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(w) : : "esi", "edi", "memory");
    }
}

static void report(const char *name, const char *what, uint32_t value)
{
    printf("BENCH %s %u\n", name, value);
    printf("PASS %s: %s\n", name, what);
}

static uint32_t bench_null_syscall(void)
{
    uint32_t per_op[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++)
            nop_syscall();
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    return median_u32(per_op, ROUNDS);
}

static uint32_t bench_calls(relay_handle ep)
{
    uint32_t per_op[ROUNDS], w = 0;
    call1(ep, 0);                                  /* warm up: the server is waiting now */
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++)
            w = call1(ep, w);
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    if (w != (uint32_t)(ROUNDS * BATCH)) {              /* each reply is the word sent + 1 */
        printf("bench: the server's replies went wrong: %u after %u calls\n", w, ROUNDS * BATCH);
        return 0;
    }
    return median_u32(per_op, ROUNDS);
}

/* role: the cross-task server.  Its HELLO call hands the parent an endpoint. */
static int server_role(void)
{
    const struct startup_info *si = startup_info();
    relay_handle ep;
    if (endpoint_create(si->factory, &ep))
        return 2;
    struct msg m = { .label = LABEL_HELLO, .flags = MSGINFO_HANDLE, .handle = ep };
    if (ipc_call(si->parent, &m, TIMEOUT_FOREVER))
        return 3;
    serve(ep);
    return 0;
}

/*
 * Start a copy of this program as a server (its role in cmdline) in a task
 * of its own, with `pages` frames, and take the endpoint its HELLO call hands
 * over.  The reply carries `give` (a handle, or HANDLE_NULL); with
 * wait_ready, wait for the server's second message saying it is set up.
 * *c is the child, to stop_server afterwards.
 */
static relay_handle server_exits;         /* the running server's exit notification */
static relay_handle server_hello;         /* and the endpoint it said hello on */

static relay_handle start_server(const char *cmdline, uint32_t pages, relay_handle give,
                                 int wait_ready, struct child *c)
{
    const struct startup_info *si = startup_info();
    relay_handle hello, exits;
    if (endpoint_create(si->factory, &hello) || notification_create(si->factory, &exits))
        return HANDLE_NULL;
    server_exits = exits;
    server_hello = hello;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = cmdline, .factory = si->factory, .exit_notification = exits,
        .exit_bits = 1, .give_factory = si->factory, .parent = hello, .memory_pages = pages,
        .priority = 10,
    };
    struct msg m;
    if (spawn(&a, c) || ipc_recv(hello, &m, 500) || !(m.flags & MSGINFO_HANDLE))
        return HANDLE_NULL;
    relay_handle server = m.handle;
    ipc_reply(&(struct msg){ .label = LABEL_HELLO, .flags = give ? MSGINFO_HANDLE : 0, .handle = give });
    if (wait_ready && ipc_recv(hello, &m, 500))
        return HANDLE_NULL;
    return server;
}

/* Kill the server, wait until the kernel has taken it apart, take back its
 * memory, and delete the handles it came with (ep, its endpoint, as well). */
static void stop_server(struct child *c, relay_handle ep)
{
    uint32_t bits;
    thread_kill(c->thread);
    notify_wait(server_exits, &bits, TIMEOUT_FOREVER);
    spawn_release(c);
    handle_delete(server_exits);
    handle_delete(server_hello);
    handle_delete(ep);
}

static uint32_t bench_cross_task(void)
{
    struct child c;
    relay_handle ep = start_server("bench role=server", 16, HANDLE_NULL, 0, &c);
    if (ep == HANDLE_NULL)
        return 0;
    uint32_t result = bench_calls(ep);
    stop_server(&c, ep);
    return result;
}

static void serve_thread(void *arg)
{
    serve(*(relay_handle *)arg);
}

static uint32_t bench_same_task(void)
{
    relay_handle ep;
    struct thread *t;
    if (endpoint_create(startup_info()->factory, &ep))
        return 0;
    struct thread_spec spec = { serve_thread, &ep, 10, HANDLE_NULL, 0 };
    if (thread_spawn(&spec, &t))
        return 0;
    uint32_t result = bench_calls(ep);
    thread_kill(t->handle);
    thread_release(t);
    return result;
}

struct pingpong {
    relay_handle ping, pong;
};

static void pong_thread(void *arg)
{
    struct pingpong *p = arg;
    for (;;) {
        struct sys_result r = sys_wait(p->ping);
        sys_signal(p->pong, r.r[2]);
    }
}

static uint32_t bench_notify(void)
{
    struct pingpong p;
    struct thread *t;
    const struct startup_info *si = startup_info();
    if (notification_create(si->factory, &p.ping) || notification_create(si->factory, &p.pong))
        return 0;
    struct thread_spec spec = { pong_thread, &p, 11, HANDLE_NULL, 0 };   /* waits at once */
    if (thread_spawn(&spec, &t))
        return 0;
    uint32_t per_op[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++) {
            sys_signal(p.ping, 1);                 /* the waiter runs at once: higher priority */
            sys_wait(p.pong);
        }
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / (2 * BATCH);
    }
    thread_kill(t->handle);
    thread_release(t);
    return median_u32(per_op, ROUNDS);
}

/*
 * The fault handler's loop, as tight as a tuned handler would be: every
 * fault is a #DE at a 2-byte div; answer RESUME past it.  The record's words
 * 4.. are in the UTCB and so are the reply's: rearrange them in place.
 */
static void serve_faults(relay_handle ep)
{
    struct utcb *u = utcb_self();
    struct sys_result r = sys_recv(ep);
    while (r.error == ERR_NONE) {
        const uint32_t *f = u->mr;             /* fault_record words 4..23 */
        uint32_t eip = f[4], eflags = f[6], esp = f[7];
        uint32_t eax = f[9], ebx = f[10], ecx = f[11], edx = f[12];
        uint32_t esi = f[13], edi = f[14], ebp = f[15], ds = f[16], es = f[17], fs = f[18], gs = f[19];
        u->mr[4] = esi;                        /* struct fault_regs words 4..13 */
        u->mr[5] = edi;
        u->mr[6] = ebp;
        u->mr[7] = esp;
        u->mr[8] = eip + 2;
        u->mr[9] = eflags;
        u->mr[10] = ds;
        u->mr[11] = es;
        u->mr[12] = fs;
        u->mr[13] = gs;
        r = sys_reply_recv(ep, msginfo(FAULT_RESUME, FAULT_REGS_WORDS, 0), eax, ebx, ecx, edx);
    }
}

static void fault_thread(void *arg)
{
    serve_faults(*(relay_handle *)arg);
}

/* Divide by zero BATCH times; each fault is resumed past the div by the handler. */
static uint32_t measure_faults(void)
{
    uint32_t per_op[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++)
            asm volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" ::: "eax", "ecx", "edx");
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    return median_u32(per_op, ROUNDS);
}

static uint32_t bench_fault_same_task(void)
{
    relay_handle ep;
    struct thread *t;
    if (endpoint_create(startup_info()->factory, &ep))
        return 0;
    struct thread_spec spec = { fault_thread, &ep, thread_priority_max(), HANDLE_NULL, 0 };
    if (thread_spawn(&spec, &t))
        return 0;
    relay_handle me = startup_info()->self_thread;
    sys_thread_set_handler(me, HANDLER_EXCEPTION, ep);
    uint32_t result = measure_faults();
    sys_thread_set_handler(me, HANDLER_EXCEPTION, HANDLE_NULL);
    thread_kill(t->handle);
    thread_release(t);
    return result;
}

/* role: the cross-task fault handler; its HELLO call hands over its endpoint. */
static int fault_server_role(void)
{
    const struct startup_info *si = startup_info();
    relay_handle ep;
    if (endpoint_create(si->factory, &ep))
        return 2;
    struct msg m = { .label = LABEL_HELLO, .flags = MSGINFO_HANDLE, .handle = ep };
    if (ipc_call(si->parent, &m, TIMEOUT_FOREVER))
        return 3;
    serve_faults(ep);
    return 0;
}

static uint32_t bench_fault_cross_task(void)
{
    struct child c;
    relay_handle ep = start_server("bench role=faultserver", 16, HANDLE_NULL, 0, &c), me = startup_info()->self_thread;
    if (ep == HANDLE_NULL)
        return 0;
    sys_thread_set_handler(me, HANDLER_EXCEPTION, ep);
    uint32_t result = measure_faults();
    sys_thread_set_handler(me, HANDLER_EXCEPTION, HANDLE_NULL);
    stop_server(&c, ep);
    return result;
}

#define PF_ROUNDS 11
#define PF_BATCH  32
#define PF_REGION 0x50000000u

static inline void zero_page(void *va)
{
    uint32_t n = PAGE_SIZE / 4;
    asm volatile("rep stosl" : "+D"(va), "+c"(n) : "a"(0) : "memory");
}

enum pager_kind { PAGER_MAP_RETRY, PAGER_REPLY_MAP, PAGER_COW };

#define COW_REGION (PF_REGION + 0x02000000)

/*
 * The pager's frames, each mapped once in its own space at POOL_VA (before
 * any fault is timed), so that filling one is just a store loop: a pager
 * keeps its memory at hand rather than mapping a frame in to fill it.
 */
#define POOL_VA    0x70000000u
#define POOL_PAGES (PF_ROUNDS * PF_BATCH + 1)
static uint32_t pool_pa[POOL_PAGES], pool_next;

static int pool_init(void)
{
    relay_handle self = startup_info()->self_task;
    for (uint32_t i = 0; i < POOL_PAGES; i++)
        if (frame_alloc(&pool_pa[i]) || page_map(self, POOL_VA + i * PAGE_SIZE, pool_pa[i], MAP_WRITABLE))
            return ERR_NO_MEMORY;
    return ERR_NONE;
}

/* The next pool frame, and where it is mapped here. */
static uint32_t pool_take(void **va)
{
    *va = (void *)(POOL_VA + pool_next * PAGE_SIZE);
    return pool_pa[pool_next++];
}

static uint32_t pool_zeroed(void)
{
    void *va;
    uint32_t pa = pool_take(&va);
    zero_page(va);
    return pa;
}

static uint32_t pool_copy(const void *src)
{
    void *va;
    uint32_t pa = pool_take(&va), n = PAGE_SIZE / 4;
    asm volatile("rep movsl" : "+D"(va), "+S"(src), "+c"(n) : : "memory");
    return pa;
}

/*
 * role: the pager.  Its HELLO call hands over its endpoint, and the reply
 * brings the client's task handle (to map into).  PAGER_REPLY_MAP answers
 * with FAULT_MAP instead of map + RETRY; PAGER_COW first shares one frame of
 * its own read-only across the client's copy-on-write region, then answers
 * each write fault with a private copy.
 */
static int pager_role(enum pager_kind kind)
{
    const struct startup_info *si = startup_info();
    relay_handle ep;
    if (endpoint_create(si->factory, &ep))
        return 2;
    struct msg m = { .label = LABEL_HELLO, .flags = MSGINFO_HANDLE, .handle = ep };
    if (ipc_call(si->parent, &m, TIMEOUT_FOREVER) || !(m.flags & MSGINFO_HANDLE))
        return 3;
    relay_handle client = m.handle;
    void *shared = 0;
    if (pool_init())
        return 4;
    if (kind == PAGER_COW) {
        uint32_t src = pool_take(&shared);
        for (uint32_t i = 0; i < PF_ROUNDS * PF_BATCH; i++)
            page_map(client, COW_REGION + i * PAGE_SIZE, src, 0);
        ipc_send(si->parent, LABEL_HELLO, 0, 0, TIMEOUT_FOREVER);   /* ready */
    }
    struct sys_result r = sys_recv(ep);
    while (r.error == ERR_NONE) {
        uint32_t page = r.r[5] & ~(PAGE_SIZE - 1);                 /* word 3: cr2 */
        if (kind == PAGER_COW) {
            uint32_t pa = pool_copy(shared);
            page_unmap(client, page);
            r = sys_reply_recv(ep, msginfo(FAULT_MAP, 2, 0), pa, MAP_WRITABLE, 0, 0);
        } else if (kind == PAGER_REPLY_MAP) {
            r = sys_reply_recv(ep, msginfo(FAULT_MAP, 2, 0), pool_zeroed(), MAP_WRITABLE, 0, 0);
        } else {
            page_map(client, page, pool_zeroed(), MAP_WRITABLE);
            r = sys_reply_recv(ep, msginfo(FAULT_RETRY, 0, 0), 0, 0, 0, 0);
        }
    }
    return 0;
}

/* Touch PF_BATCH fresh pages a round, each a page fault its pager answers. */
static uint32_t measure_page_faults(uint32_t base)
{
    uint32_t per_op[PF_ROUNDS];
    for (int r = 0; r < PF_ROUNDS; r++) {
        volatile uint32_t *p = (volatile uint32_t *)(base + (uint32_t)r * PF_BATCH * PAGE_SIZE);
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < PF_BATCH; i++)
            p[i * (PAGE_SIZE / 4)] = 1;
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / PF_BATCH;
    }
    return median_u32(per_op, PF_ROUNDS);
}

static uint32_t bench_page_faults(const char *cmdline, uint32_t base)
{
    const struct startup_info *si = startup_info();
    struct child c;
    relay_handle me = si->self_thread;
    relay_handle pager = start_server(cmdline, POOL_PAGES + 16, si->self_task,
                                      base == COW_REGION /* the shares are in place */, &c);
    if (pager == HANDLE_NULL)
        return 0;
    sys_thread_set_handler(me, HANDLER_PAGER, pager);
    uint32_t result = measure_page_faults(base);
    sys_thread_set_handler(me, HANDLER_PAGER, HANDLE_NULL);
    for (uint32_t i = 0; i < PF_ROUNDS * PF_BATCH; i++)
        page_unmap(si->self_task, base + i * PAGE_SIZE);
    stop_server(&c, pager);
    return result;
}

static uint32_t bench_pf_demand_zero(void) { return bench_page_faults("bench role=pager", PF_REGION); }
static uint32_t bench_pf_cow(void) { return bench_page_faults("bench role=cowpager", COW_REGION); }
static uint32_t bench_pf_reply_map(void)
{
    return bench_page_faults("bench role=mappager", PF_REGION + 0x01000000);
}

static uint32_t bench_map_unmap(void)
{
    const struct startup_info *si = startup_info();
    uint32_t pa, per_op[ROUNDS];
    if (frame_alloc(&pa))
        return 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++) {
            sys_map(si->self_task, 0x5F000000, pa, MAP_WRITABLE);
            sys_unmap(si->self_task, 0x5F000000);
        }
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    frame_free(pa);
    return median_u32(per_op, ROUNDS);
}

static uint32_t bench_endpoint_create_delete(void)
{
    relay_handle factory = startup_info()->factory, ep;
    uint32_t per_op[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++) {
            if (endpoint_create(factory, &ep))
                return 0;
            handle_delete(ep);
        }
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    return median_u32(per_op, ROUNDS);
}

/*
 * Tasks made here directly (not spawned): each runs code from one page of
 * this program's text, shared read-only.  kid_wait is an int 0x80 whose
 * registers thread_write_regs set (a recv that never returns); should it
 * return, the task exits, as a kid started at kid_exit does at once.  No
 * stack: nothing is pushed.  The UTCB goes in the page after the code, so
 * that one page table covers both.
 */
extern const char kid_wait[], kid_exit[], kid_end[];
asm(".pushsection .text.kid, \"ax\"\n"
    ".balign 32\n"
    "kid_wait:\n\t"
    "int $0x80\n"
    "kid_exit:\n\t"
    "movl $20, %eax\n\t"                  /* SYS_exit */
    "xorl %ebx, %ebx\n\t"
    "int $0x80\n\t"
    "ud2\n"
    "kid_end:\n"
    ".popsection");
_Static_assert(SYS_exit == 20, "kid_exit's call number");

#define KID_CODE_VA  0x00400000u
#define KID_UTCB_VA  (KID_CODE_VA + PAGE_SIZE)
#define KID_PRIORITY 11                   /* above ours: a started kid runs (and blocks or exits) at once */

static uint32_t kid_code_pa;              /* the frame kid_wait is in */

static int kid_init(void)
{
    if (kid_code_pa)
        return ERR_NONE;
    if (PAGE_DOWN(kid_wait) != PAGE_DOWN(kid_end - 1)) {
        printf("bench: the kids' code crosses a page\n");
        return ERR_INVALID;
    }
    struct sys_result r = sys_map_query(startup_info()->self_task, PAGE_DOWN(kid_wait));
    if (r.error) {
        printf("bench: map_query of its own code: %s\n", strerror((int)r.error));
        return (int)r.error;
    }
    kid_code_pa = r.r[0];
    return ERR_NONE;
}

static uint32_t kid_entry(const char *code)
{
    return KID_CODE_VA + ((uint32_t)code & (PAGE_SIZE - 1));
}

/*
 * A task made from factory (exit_n signalled with bits when it ends), its
 * one thread started: blocked for ever in recv on ep if ep is not
 * HANDLE_NULL, else exiting at once.  On failure, *task and *thread are
 * HANDLE_NULL or what was made (for the caller to take apart).
 */
static int kid_make(relay_handle factory, relay_handle exit_n, uint32_t bits, relay_handle ep,
                    relay_handle *task, relay_handle *thread)
{
    *task = *thread = HANDLE_NULL;
    int err = task_create(factory, exit_n, bits, task);
    if (!err)
        err = page_map(*task, KID_CODE_VA, kid_code_pa, 0);
    if (!err)
        err = thread_create(*task, kid_entry(ep != HANDLE_NULL ? kid_wait : kid_exit), 0,
                            KID_UTCB_VA, KID_PRIORITY, thread);
    if (!err && ep != HANDLE_NULL) {
        struct relay_regs regs;
        relay_handle n;
        err = handle_give(*task, ep, RIGHT_RECV, &n);
        if (!err)
            err = thread_read_regs(*thread, &regs);
        if (!err) {
            regs.eax = RELAY_SYSNR(SYS_recv, TIMEOUT_FOREVER);
            regs.ebx = n;
            err = thread_write_regs(*thread, &regs);
        }
    }
    if (!err)
        err = thread_start(*thread);
    return err;
}

static uint32_t bench_task_create_destroy(void)
{
    const struct startup_info *si = startup_info();
    relay_handle exits, task, thread;
    uint32_t per_op[ROUNDS], bits;
    if (kid_init() || notification_create(si->factory, &exits))
        return 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++) {
            int err = kid_make(si->factory, exits, 1, HANDLE_NULL, &task, &thread);
            if (!err)
                err = notify_wait(exits, &bits, TIMEOUT_FOREVER);
            if (err) {
                printf("bench: task_create_destroy, task %u: %s\n", r * BATCH + i, strerror(err));
                return 0;
            }
            handle_delete(thread);
            handle_delete(task);
        }
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    handle_delete(exits);
    return median_u32(per_op, ROUNDS);
}

/* kernel_info once the kernel has finished taking apart what ended. */
static int settle(struct kernel_info *k)
{
    int err;
    for (int tries = 0; tries < 100; tries++)
        if ((err = kernel_info_settled(k)) != ERR_TIMEOUT)
            return err;
    return ERR_TIMEOUT;
}

/* A new factory made from ours, given pages of this program's frames. */
static int fund_factory(uint32_t pages, relay_handle *f, uint32_t *pa)
{
    int err = factory_create(startup_info()->factory, f);
    if (err)
        return err;
    if ((err = frame_alloc_range(pages, pa)) != ERR_NONE) {
        handle_delete(*f);
        return err;
    }
    if ((err = factory_give_range(*f, *pa, pages)) != ERR_NONE) {
        handle_delete(*f);            /* frames given so far come back once it is gone */
        settle(&(struct kernel_info){ 0 });
        frame_free_range(*pa, pages);
    }
    return err;
}

/* Delete the factory: everything made from it ends; its frames come back. */
static int unfund_factory(relay_handle f, uint32_t pa, uint32_t pages)
{
    struct kernel_info k;
    handle_delete(f);
    int err = settle(&k);
    if (err)
        printf("bench: a deleted factory's teardown: %s (reaping %u)\n", strerror(err), k.reaping);
    else
        frame_free_range(pa, pages);
    return err;
}

#define CROWD_MAX          4096u
#define CROWD_PAGES_EACH   10u       /* a kid: task, page directory and table, handle table
                                        (directory and page), thread (cell, stack, UTCB); and more */
#define FRAMES_KEPT        512u      /* of this program's, for the server the benchmark starts */

struct crowd {
    uint32_t n;                       /* kids made */
    relay_handle ep;                  /* they wait on */
    relay_handle factory;             /* their own, or HANDLE_NULL: made in ours */
    uint32_t pa, pages;               /* the frames it was given */
    struct kernel_info before;        /* before the crowd was made */
};
static relay_handle crowd_task[CROWD_MAX], crowd_thread[CROWD_MAX];

/* Take the crowd apart, and check the kernel has given back all it held. */
static int crowd_end(struct crowd *c, const char *name)
{
    int err = ERR_NONE;
    struct kernel_info k;
    if (c->factory != HANDLE_NULL)
        err = unfund_factory(c->factory, c->pa, c->pages);    /* our handles to the kids go too */
    else
        for (uint32_t i = 0; i < c->n; i++) {
            if (crowd_thread[i] != HANDLE_NULL) {
                thread_kill(crowd_thread[i]);
                handle_delete(crowd_thread[i]);
            }
            handle_delete(crowd_task[i]);
        }
    if (c->ep != HANDLE_NULL)
        handle_delete(c->ep);
    if (!err)
        err = settle(&k);
    if (err)
        return err;
    if (k.tasks != c->before.tasks || k.threads != c->before.threads
        || k.endpoints != c->before.endpoints || k.mappings != c->before.mappings) {
        printf("bench: %s: after the crowd's teardown tasks %u (%u before), threads %u (%u), "
               "endpoints %u (%u), mappings %u (%u)\n", name, k.tasks, c->before.tasks, k.threads,
               c->before.threads, k.endpoints, c->before.endpoints, k.mappings, c->before.mappings);
        return ERR_INVALID;
    }
    printf("bench: %s: crowd of %u taken apart; our factory has %u frames free (%u before)\n",
           name, c->n, k.frames_free, c->before.frames_free);
    return ERR_NONE;
}

/*
 * n idle kids, each blocked in recv; extra more pages in their factory (for
 * what the caller will make in it).  own: they must be in a factory of
 * their own (funded from our frames).
 */
static int crowd_make(struct crowd *c, uint32_t n, uint32_t extra, int own, const char *name)
{
    const struct startup_info *si = startup_info();
    *c = (struct crowd){ .ep = HANDLE_NULL, .factory = HANDLE_NULL };
    int err = kid_init();
    if (!err)
        err = settle(&c->before);
    if (!err)
        err = endpoint_create(si->factory, &c->ep);
    if (err || n == 0)
        return err;
    uint32_t pages = n * CROWD_PAGES_EACH + extra + 16;
    if (own || pages + FRAMES_KEPT <= frame_free_count()) {
        if ((err = fund_factory(pages, &c->factory, &c->pa)) != ERR_NONE) {
            printf("bench: %s: a factory of %u of our %u free frames: %s\n", name, pages,
                   frame_free_count(), strerror(err));
            return err;
        }
        c->pages = pages;
    }
    relay_handle from = c->factory != HANDLE_NULL ? c->factory : si->factory;
    for (; c->n < n; c->n++) {
        err = kid_make(from, HANDLE_NULL, 0, c->ep, &crowd_task[c->n], &crowd_thread[c->n]);
        if (err) {
            struct kernel_info k;
            sys_kernel_info((uint32_t)&k);
            uint32_t frames = 0, free = 0, objects = 0;
            factory_status(from, &frames, &free, &objects);
            printf("bench: %s: kid %u of %u: %s; its factory (%s) has %u frames, %u free, %u objects\n",
                   name, c->n, n, strerror(err), c->factory != HANDLE_NULL ? "the crowd's" : "ours",
                   frames, free, objects);
            c->n++;                    /* what was made of it is taken apart with the rest */
            return err;
        }
    }
    return ERR_NONE;
}

/* tasks alive now, and with the server a cross-task benchmark starts */
static uint32_t tasks_alive(void)
{
    struct kernel_info k;
    return settle(&k) ? 0 : k.tasks;
}

/* Run fn (a cross-task benchmark) with n tasks alive: a crowd of idle ones as well. */
static uint32_t with_crowd(uint32_t n, uint32_t (*fn)(void), const char *name)
{
    struct crowd c;
    uint32_t base = tasks_alive() + 1, result = 0;        /* + the server fn starts */
    uint64_t t0 = rdtsc();
    int err = crowd_make(&c, n > base ? n - base : 0, 0, 0, name);
    uint64_t t1 = rdtsc();
    if (!err && c.n)
        printf("bench: %s: the crowd made in %llu instructions, %llu a task\n", name,
               (unsigned long long)(t1 - t0), (unsigned long long)(t1 - t0) / c.n);
    if (!err) {
        uint32_t frames = 0, free = 0, objects = 0;
        if (c.factory != HANDLE_NULL)
            factory_status(c.factory, &frames, &free, &objects);
        printf("bench: %s: %u tasks alive with the server, a crowd of %u in %s%s", name,
               tasks_alive() + 1, c.n, c.factory != HANDLE_NULL ? "a factory of its own" : "ours",
               c.factory != HANDLE_NULL ? "" : "\n");
        if (c.factory != HANDLE_NULL)
            printf(" (%u of its %u frames used)\n", frames - free, frames);
        result = fn();
    }
    t0 = rdtsc();
    if (crowd_end(&c, name))
        result = 0;
    t1 = rdtsc();
    if (c.n)
        printf("bench: %s: the crowd taken apart (%s) in %llu instructions, %llu a task\n", name,
               c.factory != HANDLE_NULL ? "its factory deleted" : "each thread killed",
               (unsigned long long)(t1 - t0), (unsigned long long)(t1 - t0) / c.n);
    return result;
}

#define AT(n)                                                                                     \
    static uint32_t bench_ipc_at_##n(void)                                                        \
    {                                                                                             \
        return with_crowd(n, bench_cross_task, "ipc_call_reply_cross_task_at_" #n);               \
    }                                                                                             \
    static uint32_t bench_fault_at_##n(void)                                                      \
    {                                                                                             \
        return with_crowd(n, bench_fault_cross_task, "fault_resume_cross_task_at_" #n);           \
    }
AT(2)
AT(64)
AT(1024)
AT(4096)

#define MAPPED_COUNT   100000u
#define MAPPED_FRAMES  4u
#define MAPPED_BASE    0x10000000u
/* Reverse-map entries (16 bytes, 254 to a page of cells) and page tables. */
#define MAPPED_PAGES   (MAPPED_COUNT / 254 + 1 + 2 * (MAPPED_COUNT / 1024 + 1) + 16)   /* entries, tables and their tags */

/* Run fn with one idle task holding MAPPED_COUNT mappings, paid from a factory of its own. */
static uint32_t with_mapped(uint32_t (*fn)(void), const char *name)
{
    struct crowd c;
    uint32_t fpa = 0, result = 0;
    int err = crowd_make(&c, 1, MAPPED_PAGES, 1, name);
    if (!err && (err = frame_alloc_range(MAPPED_FRAMES, &fpa)) != ERR_NONE)
        fpa = 0;
    uint64_t t0 = rdtsc(), t1;
    for (uint32_t i = 0; !err && i < MAPPED_COUNT; i++)
        if ((err = page_map(crowd_task[0], MAPPED_BASE + i * PAGE_SIZE,
                            fpa + (i % MAPPED_FRAMES) * PAGE_SIZE, 0)) != ERR_NONE) {
            uint32_t frames = 0, free = 0, objects = 0;
            factory_status(c.factory, &frames, &free, &objects);
            printf("bench: %s: mapping %u: %s; the factory has %u frames, %u free\n", name, i,
                   strerror(err), frames, free);
        }
    if (!err) {
        struct kernel_info k;
        uint32_t frames = 0, free = 0, objects = 0;
        t1 = rdtsc();
        factory_status(c.factory, &frames, &free, &objects);
        settle(&k);
        printf("bench: %s: %u mappings in all (%u before), made in %llu instructions; "
               "the task's factory used %u of %u frames\n", name, k.mappings, c.before.mappings,
               (unsigned long long)(t1 - t0), frames - free, frames);
        result = fn();
    }
    t0 = rdtsc();
    if (crowd_end(&c, name))
        result = 0;
    t1 = rdtsc();
    printf("bench: %s: the task and its mappings taken apart (its factory deleted) in %llu instructions\n",
           name, (unsigned long long)(t1 - t0));
    if (fpa)
        frame_free_range(fpa, MAPPED_FRAMES);
    return result;
}

#define THREADS_MANY 16384u
#define THREADS_UTCBS 0x40000000u           /* their UTCBs, a page each */

/*
 * 16,384 threads live at once, in one task made in this program's factory
 * (each thread: a 1 KiB cell, a kernel stack and a UTCB).  They are never
 * started; the task ends, and takes them with it, when its handle goes.
 * The figure is thread_create's cost, the kernel's own handle for each
 * deleted at once; the kernel must then give back every thread.
 */
static uint32_t bench_threads_16384(void)
{
    relay_handle factory = startup_info()->factory, task, th;
    struct kernel_info before, after;
    kernel_info_settled(&before);
    if (task_create(factory, HANDLE_NULL, 0, &task))
        return 0;
    uint64_t t0 = rdtsc();
    uint32_t made = 0;
    for (; made < THREADS_MANY; made++) {
        int err = thread_create(task, (uint32_t)kid_exit, 0, THREADS_UTCBS + made * PAGE_SIZE, 1, &th);
        if (err) {
            printf("bench: threads_16384: thread %u: %s\n", made, strerror(err));
            break;
        }
        handle_delete(th);
    }
    uint64_t t1 = rdtsc();
    struct kernel_info during;
    kernel_info_settled(&during);
    printf("bench: threads_16384: %u threads alive in one task (%u in all)\n", made, during.threads);
    handle_delete(task);                    /* out of reach: it ends with its threads */
    kernel_info_settled(&after);
    if (made < THREADS_MANY || after.threads != before.threads || after.tasks != before.tasks) {
        printf("bench: threads_16384: %u made; threads %u -> %u after\n", made, before.threads, after.threads);
        return 0;
    }
    return (uint32_t)((t1 - t0) / made);
}

static uint32_t bench_ipc_mapped(void)
{
    return with_mapped(bench_cross_task, "ipc_call_reply_cross_task_mapped_100000");
}

static uint32_t bench_fault_mapped(void)
{
    return with_mapped(bench_fault_cross_task, "fault_resume_cross_task_mapped_100000");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "role=server"))
            return server_role();
        else if (!strcmp(argv[i], "role=faultserver"))
            return fault_server_role();
        else if (!strcmp(argv[i], "role=pager"))
            return pager_role(PAGER_MAP_RETRY);
        else if (!strcmp(argv[i], "role=mappager"))
            return pager_role(PAGER_REPLY_MAP);
        else if (!strcmp(argv[i], "role=cowpager"))
            return pager_role(PAGER_COW);
    static const struct {
        const char *name, *what;
        uint32_t (*run)(void);
    } benches[] = {
        { "null_syscall", "nop through int 0x80 and back", bench_null_syscall },
        { "ipc_call_reply_cross_task", "call + reply_recv between two tasks", bench_cross_task },
        { "ipc_call_reply_same_task", "call + reply_recv between two threads of a task", bench_same_task },
        { "notify_signal_wait", "signal a notification, its waiter wakes (half a ping-pong)", bench_notify },
        { "fault_resume_cross_task", "#DE -> handler in another task -> RESUME -> running again", bench_fault_cross_task },
        { "fault_resume_same_task", "#DE -> handler thread of the task -> RESUME -> running again", bench_fault_same_task },
        { "pf_demand_zero", "#PF -> pager in another task -> zero, map -> RETRY", bench_pf_demand_zero },
        { "pf_demand_zero_reply_map", "#PF -> pager -> zero -> FAULT_MAP reply", bench_pf_reply_map },
        { "pf_cow", "write to a shared page -> pager copies -> unmap share -> FAULT_MAP copy", bench_pf_cow },
        { "map_unmap", "map a frame into the caller's task, then unmap it", bench_map_unmap },
        { "task_create_destroy", "task_create + code mapped + thread started, runs to exit, reaped", bench_task_create_destroy },
        { "endpoint_create_delete", "endpoint_create + handle_delete", bench_endpoint_create_delete },
        { "threads_16384", "thread_create, 16,384 threads alive in one task", bench_threads_16384 },
        { "ipc_call_reply_cross_task_at_2", "call + reply_recv between two tasks, 3 tasks alive", bench_ipc_at_2 },
        { "fault_resume_cross_task_at_2", "#DE -> handler in another task -> RESUME, 3 tasks alive", bench_fault_at_2 },
        { "ipc_call_reply_cross_task_at_64", "call + reply_recv between two tasks, 64 tasks alive", bench_ipc_at_64 },
        { "fault_resume_cross_task_at_64", "#DE -> handler in another task -> RESUME, 64 tasks alive", bench_fault_at_64 },
        { "ipc_call_reply_cross_task_at_1024", "call + reply_recv between two tasks, 1024 tasks alive", bench_ipc_at_1024 },
        { "fault_resume_cross_task_at_1024", "#DE -> handler in another task -> RESUME, 1024 tasks alive", bench_fault_at_1024 },
        { "ipc_call_reply_cross_task_at_4096", "call + reply_recv between two tasks, 4096 tasks alive", bench_ipc_at_4096 },
        { "fault_resume_cross_task_at_4096", "#DE -> handler in another task -> RESUME, 4096 tasks alive", bench_fault_at_4096 },
        { "ipc_call_reply_cross_task_mapped_100000", "call + reply_recv between two tasks, a third with 100,000 mappings", bench_ipc_mapped },
        { "fault_resume_cross_task_mapped_100000", "#DE -> handler in another task -> RESUME, a third with 100,000 mappings", bench_fault_mapped },
    };
    unsigned failed = 0, n = sizeof benches / sizeof benches[0];
    for (unsigned i = 0; i < n; i++) {
        uint32_t v = benches[i].run();
        if (v)
            report(benches[i].name, benches[i].what, v);
        else
            printf("FAIL %s: %s (could not run)\n", benches[i].name, benches[i].what), failed++;
    }
    printf("bench: %u passed, %u failed\n", n - failed, failed);
    return (int)failed;
}
