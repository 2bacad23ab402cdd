/*
 * procbench: the process benchmarks, in guest instructions per operation
 * (make bench boots it under -icount shift=0, where rdtsc counts guest
 * instructions of every task and the kernel alike).  proc starts it paged
 * by the default pager, as any program it starts by name; each figure is
 * the median of ROUNDS rounds of BATCH operations, less the cost of the
 * measuring itself, and counts everything the operation makes happen: the
 * calls to proc, proc's work, the pager's, the kernel's and the child's.
 * Prints `BENCH name N` and a PASS line per benchmark.
 *
 *   fork_exit_wait   a process of 16 KiB of data (its heap, touched) forks;
 *                    the child exits at once; the parent waits for it.
 *                    The child's first writes (its stack, libos' own
 *                    variables) are copy-on-write faults, counted.
 *                    (xv6 takes 1,987,042 on the same QEMU.)
 *   spawn_exit_wait  spawnv of this program (role=exit: main returns at
 *                    once) and waitpid for it
 *   exec             one execv: a process that execs this program again
 *                    EXEC_CHAIN times (role=exec n=K, K down to 0) and
 *                    then exits, less a spawn_exit_wait, per exec
 */
#include <relay/libos.h>
#include <relay/cycles.h>
#include <relay/process.h>

#define ROUNDS     11
#define BATCH      8
#define EXEC_CHAIN 8
#define DATA_BYTES (16 * 1024)

static const char *self;

/* The cost of two back-to-back rdtsc reads, taken off every round. */
static uint32_t overhead(void)
{
    uint64_t a = rdtsc(), b = rdtsc();
    return (uint32_t)(b - a);
}

static void report(const char *name, const char *what, uint32_t value)
{
    printf("BENCH %s %u\n", name, value);
    printf("PASS %s: %s\n", name, what);
}

static int failed;

static void fail(const char *what, int err)
{
    if (!failed++)
        printf("FAIL %s: %s\n", what, strerror(err));
}

static void fork_exit_wait(void)
{
    int status;
    pid_t pid = fork();
    if (pid == 0)
        exit(0);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
        fail("fork_exit_wait", errno);
}

static void spawn_exit_wait(void)
{
    char *argv[] = { (char *)self, "role=exit", NULL };
    int status;
    pid_t pid = spawnv(self, argv);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
        fail("spawn_exit_wait", errno);
}

static void exec_chain(void)
{
    char n[16];
    snprintf(n, sizeof n, "n=%u", EXEC_CHAIN);
    char *argv[] = { (char *)self, "role=exec", n, NULL };
    int status;
    pid_t pid = spawnv(self, argv);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
        fail("exec", errno);
}

/* The median over ROUNDS of one op's cost, from BATCH in a row. */
static uint32_t measure(void (*op)(void))
{
    uint32_t per_op[ROUNDS];
    op();                                          /* warm up */
    for (int r = 0; r < ROUNDS; r++) {
        uint32_t extra = overhead();
        uint64_t t0 = rdtsc();
        for (int i = 0; i < BATCH; i++)
            op();
        uint64_t t1 = rdtsc();
        per_op[r] = (uint32_t)(t1 - t0 - extra) / BATCH;
    }
    return median_u32(per_op, ROUNDS);
}

/* role=exec n=K: exec this program again with K - 1, until 0. */
static int exec_role(const char *arg)
{
    uint32_t k = 0;
    for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
        k = k * 10 + (uint32_t)(*p - '0');
    if (k == 0)
        return 0;
    char n[16];
    snprintf(n, sizeof n, "n=%u", k - 1);
    char *argv[] = { (char *)self, "role=exec", n, NULL };
    execv(self, argv);
    return 1;                                      /* exec failed */
}

/* For tools/trace-path (argument `trace`): one operation between two rdtsc. */
static uint32_t __attribute__((noinline)) trace_one(void (*op)(void))
{
    uint64_t t0 = rdtsc();
    op();
    uint64_t t1 = rdtsc();
    return (uint32_t)(t1 - t0);
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc >= 2 && !strcmp(argv[1], "trace")) {   /* trace [spawn]: fork_exit_wait, or spawn_exit_wait */
        int spawn = argc >= 3 && !strcmp(argv[2], "spawn");
        for (int i = 0; i < 4; i++)
            printf("procbench: one %s: %u\n", spawn ? "spawn_exit_wait" : "fork_exit_wait",
                   trace_one(spawn ? spawn_exit_wait : fork_exit_wait));
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "role=exit"))
        return 0;
    if (argc >= 3 && !strcmp(argv[1], "role=exec"))
        return exec_role(argv[2] + 2);
    char *data = sbrk(DATA_BYTES);
    if (data == (void *)-1) {
        printf("FAIL procbench: no heap\nprocbench: 0 passed, 1 failed\n");
        return 1;
    }
    memset(data, 1, DATA_BYTES);                   /* 16 KiB of data, present */
    uint32_t f = measure(fork_exit_wait);
    uint32_t s = measure(spawn_exit_wait);
    uint32_t chain = measure(exec_chain);
    if (failed) {
        printf("procbench: 0 passed, 1 failed\n");
        return 1;
    }
    report("fork_exit_wait", "a 16 KiB process forks, the child exits, the parent waits", f);
    report("spawn_exit_wait", "spawnv a program by name, it exits, the parent waits", s);
    report("exec", "one execv of a program by name, the pid kept",
           chain > s ? (chain - s) / EXEC_CHAIN : 0);
    printf("procbench: 3 passed, 0 failed\n");
    return 0;
}
