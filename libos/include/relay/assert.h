/*
 * assert(e): if e is false, print "assertion failed: e (file:line, function)"
 * on the console and end the task with exit(EXIT_ASSERT).  NDEBUG turns it off.
 */
#ifndef LIBOS_ASSERT_H
#define LIBOS_ASSERT_H

#define EXIT_ASSERT 134           /* 128 + SIGABRT, as a shell would say */

__attribute__((noreturn)) void assert_fail(const char *expr, const char *file, int line,
                                           const char *func);

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#endif
