/*
 * fuzztest: a seeded, reproducible system-call fuzzer (fuzz.h).
 *
 *   fuzztest.elf s=SEED n=CALLS t=TRACE_FROM k=1
 *
 * makes calls 0..CALLS-1 of SEED's sequence (defaults: seed 1, 100000
 * calls), prints each from call TRACE_FROM on (default: none), and with
 * k=1 goes on after a failure.  The keys are one letter so that the
 * longest command line fits a startup image's STARTUP_NAME_MAX bytes.  `make fuzz` and the
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
    run.seed = utest_arg_u32(argc, argv, "s", DEFAULT_SEED);
    run.calls = utest_arg_u32(argc, argv, "n", DEFAULT_CALLS);
    run.trace_from = utest_arg_u32(argc, argv, "t", 0xFFFFFFFFu);
    run.keep_going = utest_arg_u32(argc, argv, "k", 0);
    return utest_main("fuzz", argc, argv);
}
