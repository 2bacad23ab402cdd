/* The self-test harness: see ktest.h. */
#include "ktest.h"
#include "boot.h"
#include "kprintf.h"
#include "kstring.h"
#include "panic.h"
#include "relay/exit.h"

extern const struct ktest __ktests_start[], __ktests_end[];

/* The failed checks of the running test, printed under its FAIL line. */
#define FAILURES_KEPT 8
struct failure {
    const char *file, *expr, *want_expr;
    int line, is_eq;
    uint32_t got, want;
};
static struct failure failures[FAILURES_KEPT];
static unsigned failed_checks;

static void record_failure(struct failure f)
{
    if (failed_checks < FAILURES_KEPT)
        failures[failed_checks] = f;
    failed_checks++;
}

void ktest_check(int ok, const char *expr, const char *file, int line)
{
    if (!ok)
        record_failure((struct failure){ file, expr, 0, line, 0, 0, 0 });
}

void ktest_check_eq(uint32_t got, uint32_t want, const char *got_expr, const char *want_expr,
                    const char *file, int line)
{
    if (got != want)
        record_failure((struct failure){ file, got_expr, want_expr, line, 1, got, want });
}

static void print_failures(void)
{
    for (unsigned i = 0; i < failed_checks && i < FAILURES_KEPT; i++) {
        const struct failure *f = &failures[i];
        if (f->is_eq)
            kprintf("  %s:%d: %s is 0x%x (%u), expected %s = 0x%x (%u)\n", f->file, f->line,
                    f->expr, f->got, f->got, f->want_expr, f->want, f->want);
        else
            kprintf("  %s:%d: CHECK(%s) failed\n", f->file, f->line, f->expr);
    }
    if (failed_checks > FAILURES_KEPT)
        kprintf("  ... and %u more failed checks\n", failed_checks - FAILURES_KEPT);
}

int ktest_present(void) { return &__ktests_start[0] != &__ktests_end[0]; }

uint32_t ktest_median(uint32_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)         /* insertion sort: n is small */
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

static int selected(const struct ktest *t, const char *only, int bench)
{
    if (only)
        return !strncmp(t->name, only, 64) && strlen(t->name) == strlen(only);
    if (bench)
        return t->kind == KTEST_BENCH;
    return t->kind == KTEST_NORMAL;
}

/* Run one test and print its verdict; returns whether it passed. */
static int run_one(const struct ktest *t)
{
    failed_checks = 0;
    if (t->kind == KTEST_BENCH) {
        kprintf("BENCH %s %u\n", t->name, t->bench());
    } else {
        t->run();
        if (t->kind == KTEST_ALONE)
            CHECK(!"the test was meant to end the machine, and came back");
    }
    kprintf("%s %s: %s\n", failed_checks ? "FAIL" : "PASS", t->name, t->what);
    print_failures();
    return !failed_checks;
}

void ktest_main(void)
{
    char only_buf[64];
    const char *only = boot_option("ktest", only_buf, sizeof only_buf);
    int bench = boot_flag("bench");
    unsigned passed = 0, failed = 0;
    for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
        if (!selected(t, only, bench))
            continue;
        if (run_one(t))
            passed++;
        else
            failed++;
    }
    if (passed + failed == 0) {
        kprintf("FAIL selection: no test matches the command line \"%s\"\n", boot_info.cmdline);
        failed++;
    }
    kprintf("kselftest: %u passed, %u failed\n", passed, failed);
    machine_exit(failed ? RELAY_EXIT_FAIL : RELAY_EXIT_PASS);
}
