/*
 * The run: workers one after another until every call is made, and after
 * each, what it may have done wrong.  A failure is told with a line that
 * says how to replay it, and the calls that led to it; the first ends the
 * run, unless it was asked to keep going (to find more than one bug).
 */
#include "fuzz.h"
#include "super.h"

#define LEAK_SETTLE_TICKS 2u      /* a last look at the counts after a short wait */

static struct super super;

/* Under -icount shift=0 the time-stamp counter counts guest instructions
 * (and the virtual time the CPU spent idle). */
static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The first of the last FUZZ_RING calls up to `last`: those the shared page holds. */
static uint32_t window_start(uint32_t last)
{
    return last >= FUZZ_RING - 1 ? last - (FUZZ_RING - 1) : 0;
}

/* "fuzz: FAIL seed=S at call N: what; replay: ..." and the last calls. */
static void report(struct fuzz_run *run, enum fuzz_failure failure, uint32_t trace_from,
                   uint32_t last, const char *what)
{
    const struct fuzz_shared *sh = fuzz_shared();
    char line[FUZZ_FAILURE_MAX];
    snprintf(line, sizeof line, "fuzz: FAIL seed=%u at call %u: %s; replay: make fuzz FUZZ_SEED=%u "
             "FUZZ_CALLS=%u FUZZ_TRACE_FROM=%u%s", run->seed, last, what, run->seed, last + 1,
             trace_from, run->keep_going ? " FUZZ_KEEP_GOING=1" : "");
    printf("%s\n", line);
    if (run->failure == FUZZ_OK) {
        run->failure = failure;
        memcpy(run->first_failure, line, sizeof line);
    }
    run->failures++;
    printf("fuzz: the last calls, oldest first:\n");
    for (uint32_t k = window_start(last); k <= last; k++)
        if (sh->ring[k % FUZZ_RING].index == k)
            trace_line("fuzz:   ", &sh->ring[k % FUZZ_RING]);
}

/* A failure the worker found in one call. */
static void report_worker_failure(struct fuzz_run *run)
{
    const struct fuzz_shared *sh = fuzz_shared();
    const struct fuzz_call *c = &sh->ring[sh->fail_index % FUZZ_RING];
    char what[160], why[100];
    if (sh->failure == FUZZ_BAD_ERROR) {
        snprintf(what, sizeof what, "the call returned %u: %s", c->error,
                 fuzz_verdict_text(sh->fail_value, why, sizeof why));
    } else if (sh->fail_error != ERR_NONE) {
        snprintf(what, sizeof what, "kernel_check failed: %s", strerror((int)sh->fail_error));
    } else {
        snprintf(what, sizeof what, "kernel_check reports %u violations", sh->fail_value);
    }
    report(run, sh->failure, window_start(sh->fail_index), sh->fail_index, what);
}

/* "tasks 4 -> 5, ..." for each count that differs from before; 0 if none does. */
static int counts_differ(const struct kernel_info *was, const struct kernel_info *now,
                         char *buf, size_t len)
{
    const struct {
        const char *name;
        uint32_t was, now;
    } counts[] = {
        { "free kernel frames", was->frames_free, now->frames_free },
        { "tasks", was->tasks, now->tasks },
        { "threads", was->threads, now->threads },
        { "endpoints", was->endpoints, now->endpoints },
        { "notifications", was->notifications, now->notifications },
    };
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < sizeof counts / sizeof counts[0] && at < len; i++)
        if (counts[i].was != counts[i].now)
            at += (size_t)snprintf(buf + at, len - at, "%s%s %u -> %u", at ? ", " : "",
                                   counts[i].name, counts[i].was, counts[i].now);
    return at != 0;
}

/* Whether the kernel's counts differ from `was`, after a short wait for
 * anything the kernel frees a little later (a dead thread's stack). */
static int leaked(const struct kernel_info *was, char *buf, size_t len)
{
    struct kernel_info now = fuzz_kinfo();
    if (!counts_differ(was, &now, buf, len))
        return 0;
    super_pause(&super, LEAK_SETTLE_TICKS);
    now = fuzz_kinfo();
    return counts_differ(was, &now, buf, len);
}

/* What the worker that just ended did wrong, or left wrong, if anything. */
static void judge(struct fuzz_run *run, uint32_t lost)
{
    const struct fuzz_shared *sh = fuzz_shared();
    uint32_t last = sh->started ? sh->started - 1 : 0;
    char what[200], counts[160];
    if (sh->failure != FUZZ_OK)
        report_worker_failure(run);
    if (lost) {
        run->frames_lost += lost;
        snprintf(what, sizeof what, "%u frames given to the worker of calls %u..%u did not come "
                 "back to the supervisor when it ended", lost, super.first, last);
        report(run, FUZZ_FRAMES_LOST, super.first, last, what);
    }
    if (leaked(&super.base, counts, sizeof counts)) {
        snprintf(what, sizeof what, "the worker of calls %u..%u left kernel objects behind: %s",
                 super.first, last, counts);
        report(run, FUZZ_LEAK, super.first, last, what);
        super.base = fuzz_kinfo();         /* if the run goes on: new leaks from here on */
    }
}

/* How often each call succeeded: what the run reached beyond the checks. */
static void print_successes(void)
{
    const struct fuzz_shared *sh = fuzz_shared();
    printf("fuzz: calls that succeeded:");
    for (uint32_t nr = 0; nr < FUZZ_COUNTED; nr++)
        if (relay_syscall_name(nr))
            printf(" %s %u", relay_syscall_name(nr), sh->succeeded[nr]);
    printf("\n");
}

void fuzz_supervise(struct fuzz_run *run)
{
    int err = super_setup(&super, run);
    if (err) {
        printf("fuzz: FAIL cannot set up: %s\n", strerror(err));
        run->failure = FUZZ_NO_WORKER;
        return;
    }
    printf("fuzz: seed %u, %u calls to make", run->seed, run->calls);
    if (run->trace_from < run->calls)
        printf(", each printed from call %u on", run->trace_from);
    printf("\n");
    uint32_t next = 0;
    uint64_t start = rdtsc();
    while (next < run->calls && (run->failure == FUZZ_OK || run->keep_going)) {
        if ((err = super_start(&super, next)) != ERR_NONE) {
            char what[80];
            snprintf(what, sizeof what, "cannot start a worker: %s", strerror(err));
            report(run, FUZZ_NO_WORKER, window_start(next), next, what);
            break;
        }
        super_watch(&super);
        if (super.ended < 0) {
            uint32_t started = fuzz_shared()->started;
            report(run, FUZZ_NO_WORKER, super.first, started ? started - 1 : 0,
                   "a stuck worker could not be ended");
            break;
        }
        judge(run, super_reap(&super));
        next = fuzz_shared()->started;
    }
    run->made = next;
    uint32_t per_call = next ? (uint32_t)((rdtsc() - start) / next) : 0;
    printf("fuzz: seed %u, %u calls made by %u workers, %u failures; %u guest cycles a call\n",
           run->seed, run->made, run->workers, run->failures, per_call);
    printf("fuzz: workers: %u made their calls, %u exited, %u faulted, %u were stuck, "
           "%u killed their last thread\n", run->ends[END_SPAN], run->ends[END_EXIT],
           run->ends[END_FAULT], run->ends[END_STUCK], run->ends[END_LAST_THREAD]);
    print_successes();
}

int fuzz_final_check(const struct fuzz_run *run, char *why, size_t len)
{
    char counts[160];
    uint32_t violations;
    size_t at = 0;
    why[0] = '\0';
    if (leaked(&super.start, counts, sizeof counts))
        at += (size_t)snprintf(why + at, len - at, "after the run, against before it: %s; ",
                               counts);
    if (run->frames_lost && at < len)
        at += (size_t)snprintf(why + at, len - at, "%u frames lent to workers did not come back; ",
                               run->frames_lost);
    int err = fuzz_kernel_check(&violations);
    if (err != ERR_NO_SYSCALL && (err != ERR_NONE || violations) && at < len)
        at += (size_t)snprintf(why + at, len - at, "kernel_check says %s, %u violations; ",
                               strerror(err), violations);
    if (at >= 2 && at < len)
        why[at - 2] = '\0';                /* the last "; " */
    if (at)
        printf("fuzz: %s\n", why);
    return at == 0;
}
