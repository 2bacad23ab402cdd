/*
 * The user-space test harness for Relay's system suites (they run inside
 * QEMU as ordinary programs).  A suite registers its tests with
 *
 *   TEST(name, "what it shows") { CHECK(cond); CHECK_EQ(got, want); }
 *
 * and its main calls utest_main(), which runs them in the order written,
 * prints `PASS name: what` or `FAIL name: what` with each failed check
 * indented under it, ends with `suite: N passed, N failed`, and returns the
 * number failed (main returns it as the exit status).  A suite that needs
 * helper tasks spawns copies of itself with a role (ROLE(name) { ... }):
 * utest_main runs the role named by `role=NAME` in argv instead of the tests.
 */
#ifndef UTEST_H
#define UTEST_H

#include <stdint.h>

struct utest {
    const char *name;
    const char *what;
    void (*run)(void);        /* a test; NULL for a role */
    int (*role)(int argc, char **argv);
};

#define UTEST_REGISTER(id, ...) \
    static const struct utest utest_##id __attribute__((used, section("utests"), aligned(4))) = { __VA_ARGS__ }

#define TEST(id, what) \
    static void test_##id(void); \
    UTEST_REGISTER(id, #id, what, test_##id, 0); \
    static void test_##id(void)

#define ROLE(id) \
    static int role_##id(int argc, char **argv); \
    UTEST_REGISTER(role_##id, #id, "role", 0, role_##id); \
    static int role_##id(int argc, char **argv)

void utest_check(int ok, const char *expr, const char *file, int line);
void utest_check_eq(uint32_t got, uint32_t want, const char *got_expr, const char *want_expr,
                    const char *file, int line);

#define CHECK(cond) utest_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(got, want) \
    utest_check_eq((uint32_t)(got), (uint32_t)(want), #got, #want, __FILE__, __LINE__)

/* A line to print under the running test's FAIL line (if it fails), e.g. how
 * to reproduce the failure; up to UTEST_NOTES a test, each cut at UTEST_NOTE_MAX. */
#define UTEST_NOTES    4
#define UTEST_NOTE_MAX 400
void utest_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run the suite's tests (or, with role=NAME in argv, that role); returns failures. */
int utest_main(const char *suite, int argc, char **argv);

/* The value of `key=` among argv, or 0. */
const char *utest_arg(int argc, char **argv, const char *key);
/* The same as a decimal number, or fallback if absent. */
uint32_t utest_arg_u32(int argc, char **argv, const char *key, uint32_t fallback);

#endif
