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
 */
#include <relay/libos.h>
#include <relay/fault.h>

#define ROUNDS 21
#define BATCH  64

enum { LABEL_HELLO = 1, LABEL_BENCH };

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t median(uint32_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

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
    return median(per_op, ROUNDS);
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
    return median(per_op, ROUNDS);
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

static relay_handle start_server(const char *cmdline, uint32_t pages, relay_handle give,
                                 int wait_ready, struct child *c)
{
    const struct startup_info *si = startup_info();
    relay_handle hello, exits;
    if (endpoint_create(si->factory, &hello) || notification_create(si->factory, &exits))
        return HANDLE_NULL;
    server_exits = exits;
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

/* Kill the server, wait until the kernel has taken it apart, take back its memory. */
static void stop_server(struct child *c)
{
    uint32_t bits;
    thread_kill(c->thread);
    notify_wait(server_exits, &bits, TIMEOUT_FOREVER);
    spawn_release(c);
    handle_delete(server_exits);
}

static uint32_t bench_cross_task(void)
{
    struct child c;
    relay_handle ep = start_server("bench role=server", 16, HANDLE_NULL, 0, &c);
    if (ep == HANDLE_NULL)
        return 0;
    uint32_t result = bench_calls(ep);
    stop_server(&c);
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
    return median(per_op, ROUNDS);
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
    return median(per_op, ROUNDS);
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
    stop_server(&c);
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
    return median(per_op, PF_ROUNDS);
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
    stop_server(&c);
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
    return median(per_op, ROUNDS);
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
