/*
 * How a program starts, and the startup page's contents.
 *
 * crt0's _start (ESP = STACK_TOP, EBP cleared) calls libos_start, which
 *   1. checks the startup page at STARTUP_VADDR (startup_check); a bad page
 *      prints one line and ends the task with exit(EXIT_BAD_STARTUP),
 *   2. copies the argument strings to writable memory and builds argv
 *      (startup_get_args), argv[argc] = NULL,
 *   3. records the main thread's UTCB and handle (relay/thread.h) and the
 *      frames of memory[] (relay/memory.h),
 *   4. calls main(argc, argv) and then exit() with what main returned.
 *
 * startup_check, startup_set_args and startup_get_args are pure: spawn
 * builds a child's page with the one, libos_start reads it with the other.
 */
#ifndef LIBOS_START_H
#define LIBOS_START_H

#include <stdint.h>
#include <relay/startup.h>

#ifdef HOST_TEST   /* host tests link this beside kernel code: keep the names apart */
#define startup_check     libos_startup_check
#define startup_set_args  libos_startup_set_args
#define startup_get_args  libos_startup_get_args
#endif

#define EXIT_BAD_STARTUP 127

int main(int argc, char **argv);
__attribute__((noreturn)) void libos_start(void);

/* The startup page, once libos_start has checked it (NULL before). */
const struct startup_info *startup_info(void);

/* The handle the creator gave this program under name (spawn_args.handles),
 * or HANDLE_NULL. */
relay_handle startup_handle(const char *name);

/* ERR_INVALID unless magic and version match and every count is within its
   array, every image's cmdline is NUL-terminated, and so are the strings. */
int startup_check(const struct startup_info *si);

/* Split cmdline at spaces and tabs into si's argc, argv offsets and strings.
   ERR_RANGE for more than STARTUP_ARGS_MAX words or STARTUP_STRINGS bytes. */
int startup_set_args(struct startup_info *si, const char *cmdline);

/* Copy si's strings into strings[] and point argv[0..argc) into the copy,
   argv[argc] = NULL.  ERR_INVALID for an offset outside the strings or a
   string that runs off their end. */
int startup_get_args(const struct startup_info *si, char strings[STARTUP_STRINGS],
                     char *argv[STARTUP_ARGS_MAX + 1], uint32_t *argc);

#endif
