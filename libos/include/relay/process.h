/*
 * Processes, the POSIX way: the client of the process server
 * (ipc/relay/proc.h, docs/PROCESS.md), through the startup handle "proc".
 *
 * Each call returns what its POSIX namesake does: a pid or 0, and -1 with
 * errno set to the relay error (strerror(errno) says it) on failure:
 * ERR_BAD_HANDLE when the program has no "proc" handle, or the process
 * server's error (proc.h) or the IPC's.
 *
 *   pid_t spawnv(name, argv)   a child running program `name` with argv
 *                              (NULL-terminated; the child's argv[0] is
 *                              name, argv[1..] follow; argv may be NULL)
 *   pid_t fork(void)           0 in the child, the child's pid in the
 *                              parent.  The child is a copy-on-write copy
 *                              of the caller's memory with one thread, the
 *                              caller's; it has the startup handles every
 *                              process gets, not handles the parent made.
 *                              Needs memory from the default pager (every
 *                              process proc starts by name has it), and
 *                              the main thread (ERR_STATE from another:
 *                              its stack is not the pager's).  In the
 *                              child, libos starts afresh what it keeps
 *                              (relay/fork.h): the main thread's record,
 *                              the frames of the new startup page, the
 *                              heap's "pager" handle, the console, and the
 *                              signal handler thread if signal() started
 *                              one; other threads are not copied.
 *   int execv(name, argv)      replaces the program, keeping the pid and
 *                              the parent (argv as spawnv's); returns
 *                              only on failure
 *   pid_t waitpid(pid, &status, options)
 *                              pid > 0: that child, -1: any; status gets
 *                              a POSIX wait status (WIFEXITED, WEXITSTATUS,
 *                              WIFSIGNALED, WTERMSIG in relay/signal.h);
 *                              WNOHANG: 0 if none has ended yet.  Blocks on
 *                              the "child" notification otherwise.
 *   pid_t wait(&status)        waitpid(-1, &status, 0)
 *   int kill(pid, sig)         ends a descendant (any sig 1..NSIG-1 ends
 *                              it, and its parent sees SIGKILL; sig 0
 *                              only checks that it may, from the process
 *                              table): ERR_NO_PROCESS, ERR_NO_RIGHTS as
 *                              PROC_KILL's, ERR_INVALID for another sig
 *   pid_t getpid(), getppid()
 *
 * proc_wait gives everything PROC_WAIT says, the fault too, for a shell's
 * `status`; proc_list walks the process table for `ps`.
 */
#ifndef LIBOS_PROCESS_H
#define LIBOS_PROCESS_H

#include <stddef.h>
#include <stdint.h>
#include <relay/proc.h>

typedef int pid_t;

#ifndef WNOHANG                /* (a host C library's mean the same) */
#define WNOHANG PROC_WNOHANG
#endif

#ifndef errno
extern int errno;              /* the relay error of the last call that failed */
#endif

pid_t spawnv(const char *name, char *const argv[]);
pid_t fork(void);
int execv(const char *name, char *const argv[]);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
int kill(pid_t pid, int sig);
pid_t getpid(void);
pid_t getppid(void);

/* How a child ended, all of it (PROC_WAIT's reply). */
struct proc_status {
    uint32_t pid;
    int posix;                /* the POSIX wait status */
    uint32_t state, status;   /* task_status's, for status_describe */
    struct proc_fault fault;  /* the fault that killed it, vector PROC_NO_FAULT if none */
};

/* waitpid with everything: a relay error (ERR_WOULD_BLOCK with WNOHANG and none yet). */
int proc_wait(pid_t pid, int options, struct proc_status *out);

/*
 * "exited 3", "killed by SIGKILL", "killed by #PF at eip=0x00400123
 * cr2=0x00000000" (cr2 for a #PF only; "killed by #DE at eip=..." for
 * another fault), "killed by SIGSEGV" (a signal without a fault: the
 * default pager's, or libos' default action).  Always NUL-terminated when
 * len > 0; returns the length the text has.
 */
size_t proc_status_describe(const struct proc_status *s, char *buf, size_t len);

/*
 * Pack name and argv[1..] (argv may be NULL) the way PROC_SPAWN and
 * PROC_EXEC carry them (proc.h): w[0] = argc, the strings from w[1], the
 * rest of the last word zero; *words gets how many of w are used.
 * ERR_INVALID (no name, or an empty one), ERR_RANGE (more than
 * STARTUP_ARGS_MAX strings), ERR_TOO_LONG (more than PROC_ARGV_BYTES
 * bytes).  Pure, like proc_status_describe.
 */
int proc_argv_pack(const char *name, char *const argv[], uint32_t w[MSG_WORDS_MAX], uint32_t *words);

/* The next entries of the process table (at most PROC_LIST_MAX: max must be at
   least that, ERR_RANGE if not) from *cursor (0 first; 0 again when done). */
int proc_list(uint32_t *cursor, struct proc_entry *out, uint32_t max, uint32_t *count);

#endif
