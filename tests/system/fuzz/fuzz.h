/*
 * The system-call fuzzer: seeded, reproducible, ring 3.
 *
 * Call k of a run is a function of (seed, k) and of the handles and frames
 * the calling worker has gathered: gen.c draws its number, timeout and six
 * arguments from a splitmix64 stream seeded with (seed, k).  The calls are
 * made by workers, copies of this program started with role=worker, one at
 * a time; a worker may exit, kill or suspend itself, unmap its own code or
 * block, and the supervisor (run.c and super.c, the program's main task)
 * then starts a new one that goes on from the next call.  Worker and supervisor share
 * one page (struct fuzz_shared at FUZZ_SHARED_VA): the run's parameters,
 * how far the worker got, and the last FUZZ_RING calls, so that a failure
 * can be told with its calls even when the worker is gone.
 *
 * A failure: a result that is no enum relay_error (or another than the ABI
 * says, see check.c), a kernel_check that reports violations, or kernel
 * objects or frames that a worker leaves behind when it is gone.  A panic or
 * a hang is the runner's to see; the progress line every FUZZ_CHECK_EVERY
 * calls says how far the run got.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <relay/libos.h>
#include <relay/kinfo.h>

/* The address space: two pages of the worker's own beside libos' regions. */
#define FUZZ_SHARED_VA    0x90000000u   /* struct fuzz_shared, in supervisor and worker */
#define FUZZ_STRADDLE_VA  0x70000000u   /* a page of the worker's; the next is never mapped */
#define FUZZ_PLAY_VA      0x60000000u   /* where address arguments mostly point: */
#define FUZZ_PLAY_PAGES   16u           /* pages that map, unmap and UTCBs come and go in */
#define FUZZ_PROGRAM_SPAN 0x00400000u   /* the program image lies in [PROGRAM_BASE, + this) */

/* Priorities: the supervisor above the worker's threads, so it takes a
 * fault or a stuck worker at once; the helpers (helpers.c) above the
 * fuzzing thread, so a message sent to them is taken before it goes on. */
#define SUPER_PRIORITY    12u
#define PARTNER_PRIORITY  8u            /* the worker's maximum, too */
#define FUZZ_PRIORITY     7u

#define FUZZ_CHECK_EVERY  10000u        /* calls between checker runs and progress lines */
#define FUZZ_RING         32u           /* calls the shared page keeps */
#define FUZZ_WORKER_SPAN  5000u         /* calls a worker makes at most, then it exits */
#define FUZZ_WORKER_FRAMES 12u          /* a worker's own: helpers' stacks, and to play with */
#define FUZZ_WORKER_KERNEL_PAGES 128u   /* its factory: what it and all it makes are made in */
#define FUZZ_TIMEOUT_MAX  3u            /* ticks a fuzzed call may block: never TIMEOUT_FOREVER */
#define FUZZ_PENDING      0xFFFFFFFFu   /* a call record's error while the call runs */
#define FUZZ_COUNTED      64u           /* call numbers whose successes are counted */
_Static_assert(RELAY_SYSCALL_COUNT <= FUZZ_COUNTED, "every call's successes are counted");

/* Why a run failed. */
enum fuzz_failure {
    FUZZ_OK,
    FUZZ_BAD_ERROR,          /* a call returned no relay error code, or the wrong one */
    FUZZ_CHECKER,            /* kernel_check reported violations */
    FUZZ_LEAK,               /* kernel objects outlived the worker that made them */
    FUZZ_FRAMES_LOST,        /* frames given to a worker did not come back */
    FUZZ_NO_WORKER,          /* no worker could be started or ended */
};

/* One call, as made and as answered. */
struct fuzz_call {
    uint32_t index;          /* its place in the run */
    uint32_t eax;            /* number | timeout << SYSCALL_TIMEOUT_SHIFT */
    uint32_t arg[6];         /* EBX, ECX, EDX, ESI, EDI, EBP */
    uint32_t send_handle;    /* the UTCB's send_handle (for MSGINFO_HANDLE) */
    uint32_t map[5];         /* and its map item (MSGINFO_MAP): send_map_va, _pages, _flags,
                                recv_map_va, _pages */
    uint32_t error;          /* EAX after the call; FUZZ_PENDING while in it */
    uint32_t result;         /* EBX after the call */
};

/* The page supervisor and worker share. */
struct fuzz_shared {
    /* set by the supervisor before a worker starts */
    uint32_t seed;
    uint32_t first, end;     /* the worker makes calls [first, end) */
    uint32_t trace_from;     /* print every call from this index on */
    uint32_t window;         /* the last check window (index / FUZZ_CHECK_EVERY) done, + 1 */
    uint32_t no_checker;     /* kernel_check is missing, and it was said */
    /* written by the worker */
    volatile uint32_t started;   /* calls begun: the next worker begins here */
    volatile uint32_t failure;   /* enum fuzz_failure */
    volatile uint32_t fail_index;    /* the call, or the check before it, that failed */
    volatile uint32_t fail_error;    /* the call's or kernel_check's error */
    volatile uint32_t fail_value;    /* the verdict (check.c), or kernel_check's violations */
    uint32_t succeeded[FUZZ_COUNTED];   /* calls that returned ERR_NONE, by number */
    struct fuzz_call ring[FUZZ_RING];   /* call k at ring[k % FUZZ_RING] */
};
_Static_assert(sizeof(struct fuzz_shared) <= PAGE_SIZE, "the shared state is one page");

static inline struct fuzz_shared *fuzz_shared(void)
{
    return (struct fuzz_shared *)FUZZ_SHARED_VA;
}

/* What a handle names, as far as the worker knows. */
enum handle_kind {
    K_UNKNOWN, K_ENDPOINT, K_NOTIFICATION, K_FACTORY, K_TASK, K_THREAD, K_SUPERVISOR,
    K_SAME,                  /* a call's result: the kind of its first argument */
    K_SELF_THREAD,           /* the fuzzing thread: a thread argument less often (values.c) */
};

/* What a parameter is (shape.c); a handle parameter has its handle_kind's value. */
enum param_kind {
    P_ANY, P_ENDPOINT = K_ENDPOINT, P_NOTIFICATION, P_FACTORY, P_TASK, P_THREAD, P_SUPERVISOR,
    P_HANDLE,                /* any handle */
    P_ADDRESS, P_FRAME, P_POINTER, P_INFO, P_PRIORITY, P_SMALL,
};

struct call_shape {
    uint8_t param[6];        /* enum param_kind of each argument */
    uint8_t result;          /* enum handle_kind of a new handle in EBX, or K_UNKNOWN */
    uint8_t results;         /* registers from EBX on that carry results; the rest come back */
};
/* Call nr's shape, from its doc string in RELAY_SYSCALLS; for a number that
 * is no call, every parameter P_ANY and no result. */
const struct call_shape *call_shape(uint32_t nr);

/* What a worker holds: the values its handle and frame arguments come from. */
#define POOL_HANDLES 32u
#define POOL_FRAMES  16u
struct fuzz_pools {
    relay_handle handle[POOL_HANDLES];
    uint8_t kind[POOL_HANDLES];      /* enum handle_kind */
    uint32_t handles, fixed;         /* in use; the first `fixed` are never replaced */
    uint32_t frame[POOL_FRAMES];
    uint32_t frames;
};

/* gen.c: draw call k of the run with this seed. */
void fuzz_draw(uint32_t seed, uint32_t k, const struct fuzz_pools *p, struct fuzz_call *c);
/* values.c: an argument for a parameter of this kind (enum param_kind), from stream *s. */
uint32_t fuzz_argument(uint64_t *s, const struct fuzz_pools *p, uint8_t kind);
/* A number from call k's stream that nothing else draws: for pool upkeep. */
uint32_t fuzz_side_draw(uint32_t seed, uint32_t k);
/* How many arguments call nr takes (RELAY_SYSCALLS); 6 for a number that is no call. */
uint32_t fuzz_call_args(uint32_t nr);

/* pool.c */
void pool_add_handle(struct fuzz_pools *p, relay_handle h, uint8_t kind, uint32_t draw);
void pool_add_frame(struct fuzz_pools *p, uint32_t pa, uint32_t draw);
/* Keep what a successful call handed back: a frame, or a handle (returned). */
relay_handle pool_harvest(struct fuzz_pools *p, const struct fuzz_call *c, uint32_t draw);

/* helpers.c: the partner serves `serve`, the client calls `call`; their
 * thread handles go to the pools. */
void helpers_start(struct fuzz_pools *p, relay_handle serve, relay_handle call);
/* A handle that came to the partner with a message since last asked, or HANDLE_NULL. */
relay_handle helpers_gift(void);

/* check.c: whether the kernel's answer to c, with out[] the registers EBX..EBP
 * after it, could be right: FUZZ_RIGHT, or what is wrong (fuzz_verdict_text). */
#define FUZZ_RIGHT 0u
uint32_t fuzz_verdict(const struct fuzz_call *c, const uint32_t out[6]);
const char *fuzz_verdict_text(uint32_t verdict, char *buf, size_t len);
/* Run kernel_check: its error (ERR_NO_SYSCALL: this kernel has none) and violations. */
int fuzz_kernel_check(uint32_t *violations);
struct kernel_info fuzz_kinfo(void);

/* trace.c */
void trace_call(const struct fuzz_call *c);          /* before it is made */
void trace_result(const struct fuzz_call *c);        /* after */
void trace_line(const char *prefix, const struct fuzz_call *c);   /* the whole record */

/* How a worker ended, for the run's summary. */
enum worker_end {
    END_SPAN,                /* made its FUZZ_WORKER_SPAN calls (or the run's last) */
    END_EXIT,                /* called exit */
    END_FAULT,               /* a thread of it faulted: the supervisor ended it */
    END_STUCK,               /* suspended, its main thread dead, or no call for long */
    END_LAST_THREAD,         /* killed its last thread */
    END_KINDS
};

/* run.c: the supervisor runs calls [0, calls) of the seed's sequence. */
#define FUZZ_FAILURE_MAX 360u    /* a failure's line */
struct fuzz_run {
    uint32_t seed, calls, trace_from;   /* the parameters */
    uint32_t keep_going;     /* go on after a failure (to find more) */
    uint32_t made;           /* calls begun */
    uint32_t workers;        /* started */
    uint32_t failure;        /* enum fuzz_failure: the first */
    uint32_t failures;       /* how many were found */
    uint32_t frames_lost;    /* frames lent to workers that did not come back */
    uint32_t ends[END_KINDS];    /* how workers ended */
    char first_failure[FUZZ_FAILURE_MAX];   /* the first failure's line, with its replay */
};
void fuzz_supervise(struct fuzz_run *run);
/* After the run, with no worker left: the kernel's counts as before it, every
 * frame lent back, and kernel_check clean.  1 if so; else 0, and why says
 * what differs (it is printed too). */
int fuzz_final_check(const struct fuzz_run *run, char *why, size_t len);

#endif
