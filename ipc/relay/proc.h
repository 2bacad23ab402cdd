/*
 * The process server's protocol (servers/proc; docs/PROCESS.md).
 *
 * Every process proc starts (programs, drivers, servers, and whatever they
 * spawn or fork) has a process id, a parent and a startup handle "proc": a
 * send handle to proc's endpoint badged with its pid, so proc knows who
 * asks.  Each request is an RPC in libos' convention (relay/rpc.h): the
 * label names the operation, the reply's label is a relay error code and
 * its words are the results.  The client is libos' relay/process.h.
 *
 * Arguments travel packed: argv[0], argv[1], ... each NUL-terminated, one
 * after the other from the first argument word, at most PROC_ARGV_BYTES
 * bytes and STARTUP_ARGS_MAX strings; argv[0] names the program (a boot
 * module's name, as `ls` lists them: "hello", or its path's last part).
 *
 *   PROC_SPAWN   w0: argc, w1..: argv   -> w0: the child's pid
 *                a new process, the caller's child, running argv[0]
 *                ERR_NOT_FOUND  no program by that name
 *                ERR_INVALID    argc 0, or argv not packed as said
 *                ERR_RANGE      more than STARTUP_ARGS_MAX arguments
 *                ERR_NO_MEMORY  the caller's budget cannot pay for it
 *                ERR_NO_SLOT    PROC_MAX processes exist
 *   PROC_EXEC    w0: argc, w1..: argv   -> no reply on success: the
 *                caller's task is ended and a new one runs argv[0] with
 *                the same pid, parent and children; errors as PROC_SPAWN,
 *                and the caller goes on running
 *   PROC_FORK    w0: eip, w1: esp, w2: the calling thread's UTCB address
 *                -> w0: the child's pid.  A copy of the caller: its memory
 *                (every region of its default pager, copy-on-write) and
 *                one thread, started at eip with esp and its UTCB at the
 *                same address, every other register 0.  The child has
 *                the startup handles proc gives any process (fresh ones:
 *                handles the caller made itself are not copied) and the
 *                caller's argv.  ERR_STATE if the caller's memory is not
 *                the default pager's; errors as PROC_SPAWN otherwise
 *   PROC_WAIT    w0: pid (> 0: that child; PROC_ANY: any child),
 *                w1: options (PROC_WNOHANG is implied: proc never blocks)
 *                -> w0: pid, w1: POSIX wait status (libos status_posix),
 *                w2: task state, w3: task status (task_status's),
 *                w4..: struct proc_fault (how it died, if of a fault)
 *                reaps one zombie child: its entry goes
 *                ERR_NO_CHILD     no such child (none at all, or pid is
 *                                 not the caller's child)
 *                ERR_WOULD_BLOCK  such a child lives and none has ended:
 *                                 wait on the "child" notification (bit
 *                                 PROC_CHILD_BIT is signalled each time a
 *                                 child of the caller ends) and ask again
 *   PROC_KILL    w0: pid  -> ()  ends the process (its factory is
 *                destroyed: every thread and all it made); its parent
 *                sees it killed by SIGKILL.  Only an ancestor may kill:
 *                ERR_NO_PROCESS (no such pid, or already a zombie),
 *                ERR_NO_RIGHTS (the caller is not its ancestor)
 *   PROC_GETPID  ()  -> w0: pid, w1: parent's pid
 *   PROC_LIST    w0: cursor (0 first) -> w0: next cursor (0: no more),
 *                w1: n entries, w2..: n struct proc_entry
 *
 * A process that ends becomes a zombie until its parent waits for it; its
 * task, frames and kernel memory are given back as soon as it ends.  Its
 * children go to init (pid 1; if there is none, proc reaps them itself).
 * proc itself is pid 0, the parent of the processes it starts at boot.
 */
#ifndef RELAY_PROC_H
#define RELAY_PROC_H

#include <stdint.h>
#include "ipc.h"
#include "startup.h"

enum proc_label {
    PROC_SPAWN = 0xF0001u,
    PROC_EXEC,
    PROC_FORK,
    PROC_WAIT,
    PROC_KILL,
    PROC_GETPID,
    PROC_LIST,
};

#define PROC_ARGV_WORDS (MSG_WORDS_MAX - 1u)       /* after argc */
#define PROC_ARGV_BYTES (PROC_ARGV_WORDS * 4u)     /* 124 */
#define PROC_ANY        0xFFFFFFFFu                /* PROC_WAIT: any child */
#define PROC_WNOHANG    1u
#define PROC_CHILD_BIT  0x1u                       /* the "child" notification's bit */
#define PROC_INIT_PID   1u
#define PROC_MAX        64u                        /* processes at once, proc's table */

/* How a process died of a fault (PROC_WAIT w4..): vector PROC_NO_FAULT if not. */
#define PROC_NO_FAULT 0xFFFFFFFFu
struct proc_fault {
    uint32_t vector, error_code, eip, cr2;
};

enum proc_state {
    PROC_RUNNING = 1,
    PROC_ZOMBIE,
};

enum proc_kind {
    PROC_PROGRAM = 1,       /* started by name, forked, or at boot */
    PROC_DRIVER,            /* a driver the driver manager runs */
    PROC_SERVER,            /* a server the driver manager runs (bootfs, pager) */
};

#define PROC_NAME_BYTES 12u
#define PROC_LIST_MAX   3u  /* entries in one PROC_LIST reply */

struct proc_entry {
    uint32_t pid, ppid;
    uint8_t state, kind;    /* enum proc_state, enum proc_kind */
    uint16_t threads;       /* threads alive in its task */
    uint32_t kib;           /* memory: frames mapped in its address space, in KiB */
    uint32_t kernel_kib;    /* kernel memory its factory holds, in KiB */
    char name[PROC_NAME_BYTES];   /* argv[0]'s last part, NUL-padded (not always NUL-ended) */
};
_Static_assert(sizeof(struct proc_entry) % 4 == 0, "entries are whole words");
_Static_assert(2 + PROC_LIST_MAX * sizeof(struct proc_entry) / 4 <= MSG_WORDS_MAX, "a reply fits");
_Static_assert(4 + sizeof(struct proc_fault) / 4 <= MSG_WORDS_MAX, "a wait reply fits");

#endif
