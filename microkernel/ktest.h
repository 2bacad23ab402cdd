/*
 * In-kernel self-tests and benchmarks.  A test image links test files (from
 * tests/system/kernel/) into the kernel; each registers itself with
 *
 *   TEST(name, "what it shows") { CHECK(...); CHECK_EQ(got, want); }
 *   TEST_ALONE(name, "what it shows") { ... }   -- ends the machine; runs
 *                                                  only when named: ktest=name
 *   BENCH(name, "what one operation is") { return instructions per op; }
 *
 * and kmain runs them after boot (ktest_main).  Each test prints one line,
 * `PASS name: what` or `FAIL name: what` with the failed checks indented
 * under it; the run ends with `kselftest: N passed, N failed` and exits QEMU
 * with RELAY_EXIT_PASS or RELAY_EXIT_FAIL.  Benchmarks run only when the
 * command line says `bench`, and print `BENCH name N` as well.
 */
#ifndef RELAY_KTEST_H
#define RELAY_KTEST_H

#include <stdint.h>

enum ktest_kind { KTEST_NORMAL, KTEST_ALONE, KTEST_BENCH };

struct ktest {
    const char *name;
    const char *what;
    enum ktest_kind kind;
    void (*run)(void);             /* KTEST_NORMAL, KTEST_ALONE */
    uint32_t (*bench)(void);       /* KTEST_BENCH: guest instructions per operation */
};

#define KTEST_REGISTER(id, ...) \
    static const struct ktest ktest_##id \
        __attribute__((used, section(".ktests"), aligned(4))) = { __VA_ARGS__ }

#define TEST_KIND(id, what, kind) \
    static void test_##id(void); \
    KTEST_REGISTER(id, #id, what, kind, test_##id, 0); \
    static void test_##id(void)

#define TEST(id, what)       TEST_KIND(id, what, KTEST_NORMAL)
#define TEST_ALONE(id, what) TEST_KIND(id, what, KTEST_ALONE)
#define BENCH(id, what) \
    static uint32_t bench_##id(void); \
    KTEST_REGISTER(id, #id, what, KTEST_BENCH, 0, bench_##id); \
    static uint32_t bench_##id(void)

void ktest_check(int ok, const char *expr, const char *file, int line);
void ktest_check_eq(uint32_t got, uint32_t want, const char *got_expr, const char *want_expr,
                    const char *file, int line);

#define CHECK(cond) ktest_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(got, want) \
    ktest_check_eq((uint32_t)(got), (uint32_t)(want), #got, #want, __FILE__, __LINE__)

/* Whether this image has tests; if so, run them as the command line says and exit. */
int ktest_present(void);
_Noreturn void ktest_main(void);

/* The median of n values (sorts them in place). */
uint32_t ktest_median(uint32_t *values, unsigned n);

#endif
