/*
 * fuzztest: a seeded, reproducible system-call fuzzer (fuzz.h).
 *
 *   fuzztest.elf seed=S calls=N trace=K keep=1
 *
 * makes calls 0..N-1 of seed S's sequence (defaults: seed 1, 100000 calls),
 * prints each from call K on (default: none), and with keep=1 goes on
 * after a failure.  `make fuzz` and the
 * `fuzz` line of tests/suites run it; a failure prints the make command
 * that replays it.
 */
#include "fuzz.h"
#include "../lib/utest.h"

#define DEFAULT_SEED  1u
#define DEFAULT_CALLS 100000u

static struct fuzz_run run;

TEST(calls, "every call of the seed's sequence made, each answered with the right error code, "
            "the kernel's checker clean, and nothing left behind by any worker")
{
    fuzz_supervise(&run);
    CHECK_EQ(run.failure, FUZZ_OK);
    CHECK_EQ(run.made, run.calls);
    if (run.failure != FUZZ_OK)
        utest_note("%s", run.first_failure);      /* under the FAIL line, where test-all shows it */
}

TEST(no_leaks, "once every worker is gone the kernel has the objects and frames it had before")
{
    char why[UTEST_NOTE_MAX];
    int clean = fuzz_final_check(&run, why, sizeof why);
    CHECK(clean);
    if (!clean)
        utest_note("fuzz: %s", why);
}

int main(int argc, char **argv)
{
    run.seed = utest_arg_u32(argc, argv, "seed", DEFAULT_SEED);
    run.calls = utest_arg_u32(argc, argv, "calls", DEFAULT_CALLS);
    run.trace_from = utest_arg_u32(argc, argv, "trace", 0xFFFFFFFFu);
    run.keep_going = utest_arg_u32(argc, argv, "keep", 0);
    return utest_main("fuzz", argc, argv);
}
