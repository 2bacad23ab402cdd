/*
 * Signals: C-style names and handlers for faults (relay/faults.h).
 *
 * Each exception vector maps to a signal, numbered as on Linux i386:
 *
 *   SIGILL   4   #UD
 *   SIGTRAP  5   #DB #BP
 *   SIGBUS   7   #AC
 *   SIGFPE   8   #DE #MF #XM
 *   SIGSEGV 11   #PF #GP #SS #NP, and #OF #BR #TS (as Linux has them)
 *
 * signal(sig, handler) sets what a fault of that signal does:
 *   a function   handler(sig, f) runs on libos' fault handler thread (the
 *                faulting thread waits), may edit f->regs -- e.g.
 *                f->regs.eip += f->insn_length to skip a faulting
 *                instruction, or set EFLAGS_TF to single-step -- and then the
 *                faulting thread resumes with those registers.  A handler
 *                that leaves a fault's eip as it was runs it again.
 *   SIG_DFL      the default: one line on the console, and the task is
 *                killed with status SIGNAL_STATUS(sig) = 128 + sig (a parent
 *                reads TASK_KILLED and that status from task_status).
 *   SIG_IGN      a trap goes on; a fault skips the faulting instruction (the
 *                default action instead if its length is unknown).
 * A vector with no signal (#NM, #CP, ...) always gets the kernel's own
 * ending: the task is killed with the vector as its status.
 *
 * The first signal() call starts the handler thread (fault_handler_start),
 * which needs the task's factory for its endpoint: a program spawned
 * without one (spawn_args.give_factory) gets SIG_ERR, and signal_error()
 * says ERR_BAD_HANDLE.  Every call makes the calling thread's faults go to
 * the handler thread, and threads it creates afterwards inherit that.  Threads created before the first call
 * keep their own handler (or none: then a fault kills the task with the
 * vector as status).  Handlers are per task, not per thread; not
 * thread-safe, like the rest of libos.
 *
 * signal_for_vector, signal_name and status_describe are pure.
 */
#ifndef LIBOS_SIGNAL_H
#define LIBOS_SIGNAL_H

#include <stddef.h>
#include <stdint.h>
#include <relay/faults.h>

#define SIGILL   4
#define SIGTRAP  5
#define SIGBUS   7
#define SIGFPE   8
#define SIGSEGV 11
#define NSIG    32                 /* signal numbers are 1..NSIG-1 */

#define SIGNAL_STATUS(sig) (128u + (uint32_t)(sig))   /* a task the default action killed */

typedef void (*signal_handler_fn)(int sig, struct fault *f);
#define SIG_DFL ((signal_handler_fn)0)
#define SIG_IGN ((signal_handler_fn)1)
#define SIG_ERR ((signal_handler_fn)-1)

/* Set sig's handler; returns the one before, or SIG_ERR (nothing changed)
   when sig maps from no vector or the handler thread cannot start:
   signal_error() says which. */
signal_handler_fn signal(int sig, signal_handler_fn handler);

/*
 * Why the last signal() call returned SIG_ERR; ERR_NONE if it did not:
 *   ERR_INVALID     sig is raised by no vector, or handler is SIG_ERR
 *   ERR_BAD_HANDLE  the task has no factory (startup_info()->factory is
 *                   HANDLE_NULL): there is no endpoint for the handler thread
 *   ERR_NO_MEMORY   no thread slot or frame left for the handler thread
 *   or another error of fault_handler_start or fault_set_handler.
 */
int signal_error(void);

/* The signal a vector raises, or 0 for none. */
int signal_for_vector(uint32_t vector);

/* "SIGSEGV"; "SIG?" for a number without a name. */
const char *signal_name(int sig);

/* The default action for f as a fault_fn's answer: a line on the console,
   and *a = ANSWER_KILL_TASK with SIGNAL_STATUS(its signal) (the vector, when
   it has no signal).  Returns ERR_NONE, for `return signal_default(f, a);`. */
int signal_default(const struct fault *f, struct fault_answer *a);

/*
 * How a task ended, from task_status's (state, status), for a parent to
 * print: "running", "exited with status 3", "killed by SIGSEGV" (status
 * 128 + a named signal), "killed by #PF (no handler)" (status < 32: the
 * kernel killed it for that vector), "killed (its last thread was
 * killed)" (TASK_STATUS_KILLED), "killed (the task that created it
 * ended)" (TASK_STATUS_ORPHANED), "killed (the factory that paid for it
 * was destroyed)" (TASK_STATUS_RECLAIMED), or "killed with status N".
 * Always NUL-terminated when len > 0; returns the length the text has.
 */
size_t status_describe(uint32_t state, uint32_t status, char *buf, size_t len);

/*
 * The same as a POSIX wait status, for WIFEXITED and the rest: an exit
 * keeps its status's low 8 bits (WEXITSTATUS); a kill becomes a signal
 * (WTERMSIG): the libos signal of status 128 + sig, the signal a vector
 * raises for a kernel kill (SIGKILL for a vector with none), and SIGKILL
 * for a task whose last thread, creator or factory went.  A task still
 * running is WIFSTOPPED-shaped (0x7F): not a wait status at all.
 */
#define SIGKILL 9
int status_posix(uint32_t state, uint32_t status);
#ifndef WIFEXITED              /* (a host C library's mean the same) */
#define WIFEXITED(s)   (((s) & 0x7F) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xFF)
#define WIFSIGNALED(s) (((s) & 0x7F) != 0 && ((s) & 0x7F) != 0x7F)
#define WTERMSIG(s)    ((s) & 0x7F)
#endif

#endif
