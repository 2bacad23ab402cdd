/* The user-space test harness: see utest.h. */
#include "utest.h"
#include <relay/stdio.h>
#include <relay/string.h>

extern const struct utest __start_utests[], __stop_utests[];

#define FAILURES_KEPT 8
struct failure {
    const char *file, *expr, *want_expr;
    int line, is_eq;
    uint32_t got, want;
};
static struct failure failures[FAILURES_KEPT];
static unsigned failed_checks;
static char notes[UTEST_NOTES][UTEST_NOTE_MAX];
static unsigned note_count;

static void record(struct failure f)
{
    if (failed_checks < FAILURES_KEPT)
        failures[failed_checks] = f;
    failed_checks++;
}

void utest_check(int ok, const char *expr, const char *file, int line)
{
    if (!ok)
        record((struct failure){ file, expr, 0, line, 0, 0, 0 });
}

void utest_check_eq(uint32_t got, uint32_t want, const char *got_expr, const char *want_expr,
                    const char *file, int line)
{
    if (got != want)
        record((struct failure){ file, got_expr, want_expr, line, 1, got, want });
}

void utest_note(const char *fmt, ...)
{
    if (note_count == UTEST_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(notes[note_count++], UTEST_NOTE_MAX, fmt, ap);
    va_end(ap);
}

static void print_failures(void)
{
    for (unsigned i = 0; i < failed_checks && i < FAILURES_KEPT; i++) {
        const struct failure *f = &failures[i];
        if (f->is_eq)
            printf("  %s:%d: %s is 0x%x (%u), expected %s = 0x%x (%u)\n", f->file, f->line,
                   f->expr, f->got, f->got, f->want_expr, f->want, f->want);
        else
            printf("  %s:%d: CHECK(%s) failed\n", f->file, f->line, f->expr);
    }
    if (failed_checks > FAILURES_KEPT)
        printf("  ... and %u more failed checks\n", failed_checks - FAILURES_KEPT);
    for (unsigned i = 0; failed_checks && i < note_count; i++)
        printf("  %s\n", notes[i]);
}

const char *utest_arg(int argc, char **argv, const char *key)
{
    size_t len = strlen(key);
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, len) && argv[i][len] == '=')
            return argv[i] + len + 1;
    return 0;
}

uint32_t utest_arg_u32(int argc, char **argv, const char *key, uint32_t fallback)
{
    const char *v = utest_arg(argc, argv, key);
    if (!v)
        return fallback;
    uint32_t n = 0;
    for (; *v >= '0' && *v <= '9'; v++)
        n = n * 10 + (uint32_t)(*v - '0');
    return n;
}

int utest_main(const char *suite, int argc, char **argv)
{
    const char *role = utest_arg(argc, argv, "role");
    const char *only = utest_arg(argc, argv, "test");
    if (role) {
        for (const struct utest *t = __start_utests; t < __stop_utests; t++)
            if (t->role && !strcmp(t->name, role))
                return t->role(argc, argv);
        printf("%s: no role %s\n", suite, role);
        return 127;
    }
    unsigned passed = 0, failed = 0;
    for (const struct utest *t = __start_utests; t < __stop_utests; t++) {
        if (!t->run || (only && strcmp(t->name, only)))
            continue;
        failed_checks = note_count = 0;
        t->run();
        printf("%s %s: %s\n", failed_checks ? "FAIL" : "PASS", t->name, t->what);
        print_failures();
        if (failed_checks)
            failed++;
        else
            passed++;
    }
    printf("%s: %u passed, %u failed\n", suite, passed, failed);
    return (int)failed;
}
