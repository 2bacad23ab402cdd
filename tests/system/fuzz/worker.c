/*
 * A worker: makes calls [first, end) of the run (role=worker).
 *
 * It sets up the same things each time -- objects to aim at, two helper
 * threads to exchange messages with (helpers.c), a page whose neighbour is
 * unmapped -- then
 * makes one call after another, each drawn from (seed, index).  Before a
 * call it records in the shared page that the call has begun, so that if
 * the call ends the worker (exit, a kill, a suspend, an unmapped page) the
 * next worker goes on after it.  Every FUZZ_CHECK_EVERY calls it prints the
 * progress line and runs the kernel's invariant checker.  A wrong result
 * is written to the shared page, and the worker exits: the supervisor tells.
 */
#include "fuzz.h"
#include "../lib/utest.h"

#define FAILED_STATUS 3

/* The worker's objects, which stay in its pools for its whole life; its
 * endpoints for the helpers in ep[0] (served) and ep[1] (called). */
static void make_objects(struct fuzz_pools *p, relay_handle ep[2])
{
    const struct startup_info *si = startup_info();
    relay_handle n = HANDLE_NULL, h = HANDLE_NULL;
    pool_add_handle(p, si->self_task, K_TASK, 0);
    pool_add_handle(p, si->self_thread, K_SELF_THREAD, 0);
    pool_add_handle(p, si->factory, K_FACTORY, 0);
    /* The supervisor's endpoint (send only), as a copy: upkeep gives new
     * threads the original as their handler, which a revoke of the copy
     * leaves alone. */
    handle_copy(si->parent, RIGHT_SEND, &h);
    pool_add_handle(p, h, K_ENDPOINT, 0);
    endpoint_create(si->factory, ep);
    pool_add_handle(p, ep[0], K_ENDPOINT, 0);
    notification_create(si->factory, &n);
    pool_add_handle(p, n, K_NOTIFICATION, 0);
    handle_copy(ep[0], RIGHT_SEND, &h);
    pool_add_handle(p, h, K_ENDPOINT, 0);
    handle_copy(ep[0], RIGHT_RECV, &h);
    pool_add_handle(p, h, K_ENDPOINT, 0);
    handle_mint(ep[0], 0x5A, RIGHT_SEND | RIGHT_GRANT, &h);
    pool_add_handle(p, h, K_ENDPOINT, 0);
    handle_mint(n, 0xA5, RIGHT_SEND, &h);
    pool_add_handle(p, h, K_NOTIFICATION, 0);
    if (task_create(si->factory, n, 1, &h) == ERR_NONE)
        pool_add_handle(p, h, K_TASK, 0);
    endpoint_create(si->factory, &ep[1]);
    pool_add_handle(p, ep[1], K_ENDPOINT, 0);
}

/* The straddle page (zeroed: its bytes may go to the console), and every
 * frame left over as a frame argument. */
static void take_memory(struct fuzz_pools *p)
{
    uint32_t pa;
    if (frame_alloc(&pa) == ERR_NONE
        && page_map(startup_info()->self_task, FUZZ_STRADDLE_VA, pa, MAP_WRITABLE) == ERR_NONE) {
        memset((void *)FUZZ_STRADDLE_VA, 0, PAGE_SIZE);
        pool_add_frame(p, pa, 0);
    }
    while (frame_alloc(&pa) == ERR_NONE)
        pool_add_frame(p, pa, 0);
}

static void setup(struct fuzz_pools *p)
{
    relay_handle ep[2] = { HANDLE_NULL, HANDLE_NULL };
    memset(p, 0, sizeof *p);
    make_objects(p, ep);
    helpers_start(p, ep[0], ep[1]);
    thread_set_priority(startup_info()->self_thread, FUZZ_PRIORITY, PARTNER_PRIORITY);
    take_memory(p);
    p->fixed = p->handles;
}

static __attribute__((noreturn)) void fail(struct fuzz_shared *sh, uint32_t k, uint32_t why,
                                           uint32_t error, uint32_t value)
{
    sh->fail_index = k;
    sh->fail_error = error;
    sh->fail_value = value;
    sh->failure = why;
    exit(FAILED_STATUS);
}

/* Once per window of FUZZ_CHECK_EVERY calls: the progress line, the checker. */
static void window_check(struct fuzz_shared *sh, uint32_t k)
{
    uint32_t window = k / FUZZ_CHECK_EVERY + 1, violations;
    if (sh->window >= window)
        return;
    sh->window = window;
    printf("fuzz: seed %u, %u calls\n", sh->seed, k);
    int err = fuzz_kernel_check(&violations);
    if (err == ERR_NO_SYSCALL && !sh->no_checker) {
        printf("fuzz: this kernel has no invariant checker (kernel_check): going on without\n");
        sh->no_checker = 1;
    } else if (err != ERR_NO_SYSCALL && (err != ERR_NONE || violations)) {
        fail(sh, k, FUZZ_CHECKER, (uint32_t)err, violations);
    }
}

/* Bytes a debug_write put on the console (whatever the buffer held) get a
 * line end, if they did not end one, so that the next line of the log
 * starts clean.  The kernel could read the buffer, so this task can. */
static void end_line(const struct fuzz_call *c)
{
    const char *buf = (const char *)c->arg[0];
    uint32_t n = c->arg[1];
    while (n && buf[n - 1] == '\0')
        n--;                               /* NULs: nothing to see (the runner drops them) */
    if (n && buf[n - 1] != '\n')
        puts("");
}

/* After a call: keep what it handed back; a new thread's faults go to the
 * supervisor, which ends them without a word on the console. */
static void upkeep(struct fuzz_pools *p, const struct fuzz_call *c, uint32_t draw)
{
    struct utcb *u = utcb_self();
    if ((c->eax & SYSCALL_NUMBER_MASK) == SYS_debug_write && c->error == ERR_NONE)
        end_line(c);
    relay_handle h = pool_harvest(p, c, draw);
    if (h != HANDLE_NULL)
        sys_thread_set_handler(h, HANDLER_EXCEPTION, startup_info()->parent);
    if (u->recv_handle != HANDLE_NULL)
        pool_add_handle(p, u->recv_handle, K_UNKNOWN, draw >> 8);
    pool_add_handle(p, helpers_gift(), K_UNKNOWN, draw >> 16);
    u->recv_handle = HANDLE_NULL;
}

static void one_call(struct fuzz_shared *sh, struct fuzz_pools *p, uint32_t k)
{
    struct fuzz_call *c = &sh->ring[k % FUZZ_RING];
    fuzz_draw(sh->seed, k, p, c);
    struct utcb *u = utcb_self();
    u->send_handle = c->send_handle;
    u->send_map_va = c->map[0];
    u->send_map_pages = c->map[1];
    u->send_map_flags = c->map[2];
    u->recv_map_va = c->map[3];
    u->recv_map_pages = c->map[4];
    sh->started = k + 1;
    if (k >= sh->trace_from)
        trace_call(c);
    struct sys_result r = relay_syscall(c->eax, c->arg);
    c->error = r.error;
    c->result = r.r[0];
    if (k >= sh->trace_from)
        trace_result(c);
    uint32_t verdict = fuzz_verdict(c, r.r);
    if (verdict != FUZZ_RIGHT)
        fail(sh, k, FUZZ_BAD_ERROR, c->error, verdict);
    if (c->error == ERR_NONE && (c->eax & SYSCALL_NUMBER_MASK) < FUZZ_COUNTED)
        sh->succeeded[c->eax & SYSCALL_NUMBER_MASK]++;
    upkeep(p, c, fuzz_side_draw(sh->seed, k));
}

ROLE(worker)
{
    (void)argc, (void)argv;
    struct fuzz_shared *sh = fuzz_shared();
    struct fuzz_pools pools;
    setup(&pools);
    for (uint32_t k = sh->first; k < sh->end; k++) {
        window_check(sh, k);
        one_call(sh, &pools, k);
    }
    return 0;
}
