/* Processes, the POSIX way: the process server's client (relay/process.h). */
#include <relay/process.h>
#include <relay/fork.h>
#include <relay/console.h>
#include <relay/error.h>
#include <relay/msg.h>
#include <relay/object.h>
#include <relay/rpc.h>
#include <relay/signal.h>
#include <relay/start.h>
#include <relay/stdio.h>
#include <relay/string.h>
#include <relay/sys.h>
#include <relay/thread.h>

int errno;

#define PROC_DEPTH_MAX 64u       /* kill(pid, 0) looks this far up the tree */

static int fail(int err)
{
    errno = err;
    return -1;
}

static int call(uint32_t label, const uint32_t *in, uint32_t n, struct msg *out)
{
    relay_handle proc = startup_handle("proc");
    if (proc == HANDLE_NULL)
        return ERR_BAD_HANDLE;
    return rpc_call(proc, label, in, n, out);
}

/* PROC_SPAWN or PROC_EXEC with name and argv. */
static int call_with_argv(uint32_t label, const char *name, char *const argv[], struct msg *out)
{
    uint32_t w[MSG_WORDS_MAX], words;
    int err = proc_argv_pack(name, argv, w, &words);
    return err ? err : call(label, w, words, out);
}

pid_t spawnv(const char *name, char *const argv[])
{
    struct msg m;
    int err = call_with_argv(PROC_SPAWN, name, argv, &m);
    return err ? fail(err) : (pid_t)m.w[0];
}

int execv(const char *name, char *const argv[])
{
    struct msg m;
    console_exit_flush();                 /* what this program wrote comes out first */
    return fail(call_with_argv(PROC_EXEC, name, argv, &m));
}

/* fork.asm's parent half: the call, made from the main thread only. */
pid_t libos_fork_parent(uint32_t eip, uint32_t esp)
{
    struct msg m;
    if (thread_self() != thread_main())
        return fail(ERR_STATE);
    int err = call(PROC_FORK, (uint32_t[]){ eip, esp, (uint32_t)utcb_self() }, 3, &m);
    return err ? fail(err) : (pid_t)m.w[0];
}

/* fork.asm's child half: what libos keeps, started afresh (relay/fork.h). */
pid_t libos_fork_child(void)
{
    const struct startup_info *si = startup_info();
    if (startup_check(si)) {
        static const char why[] = "libos: fork's child has a bad startup page\n";
        sys_debug_write((uint32_t)why, sizeof why - 1);
        exit(EXIT_BAD_STARTUP);
    }
    thread_fork_child(si);
    memory_fork_child(si);
    fault_serve_fork_child();
    heap_fork_child();
    console_fork_child();
    if (signal_fork_child())
        printf("libos: fork's child has no signal handler thread\n");
    return 0;
}

int proc_wait(pid_t pid, int options, struct proc_status *out)
{
    if (pid == 0 || pid < -1 || (options & ~WNOHANG))
        return ERR_INVALID;                       /* (no process groups) */
    uint32_t in[2] = { pid == -1 ? PROC_ANY : (uint32_t)pid, (uint32_t)options };
    struct msg m;
    int err;
    /* "child" latches: a child that ends between the reply and the wait
       leaves its bit set, and the wait returns at once. */
    while ((err = call(PROC_WAIT, in, 2, &m)) == ERR_WOULD_BLOCK && !(options & WNOHANG)) {
        relay_handle child = startup_handle("child");
        uint32_t bits;
        if (child == HANDLE_NULL)
            return ERR_BAD_HANDLE;
        if ((err = notify_wait(child, &bits, TIMEOUT_FOREVER)) != ERR_NONE)
            return err;
    }
    if (err)
        return err;
    *out = (struct proc_status){ .pid = m.w[0], .posix = (int)m.w[1], .state = m.w[2],
                                 .status = m.w[3] };
    memcpy(&out->fault, &m.w[4], sizeof out->fault);
    return ERR_NONE;
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    struct proc_status s;
    int err = proc_wait(pid, options, &s);
    if (err == ERR_WOULD_BLOCK)
        return 0;                                 /* WNOHANG, and none has ended */
    if (err)
        return fail(err);
    if (status)
        *status = s.posix;
    return (pid_t)s.pid;
}

pid_t wait(int *status)
{
    return waitpid(-1, status, 0);
}

int proc_list(uint32_t *cursor, struct proc_entry *out, uint32_t max, uint32_t *count)
{
    struct msg m;
    if (max < PROC_LIST_MAX)
        return ERR_RANGE;
    int err = call(PROC_LIST, cursor, 1, &m);
    if (err)
        return err;
    uint32_t n = m.w[1];
    if (n > PROC_LIST_MAX || m.length < 2 + n * sizeof *out / 4)
        return ERR_INVALID;                       /* a server that breaks the protocol */
    memcpy(out, &m.w[2], n * sizeof *out);
    *cursor = m.w[0];
    *count = n;
    return ERR_NONE;
}

/* The entry for pid from the process table: ERR_NO_PROCESS if there is none. */
static int find(uint32_t pid, struct proc_entry *out)
{
    struct proc_entry e[PROC_LIST_MAX];
    uint32_t cursor = 0, n;
    do {
        int err = proc_list(&cursor, e, PROC_LIST_MAX, &n);
        if (err)
            return err;
        for (uint32_t i = 0; i < n; i++)
            if (e[i].pid == pid) {
                *out = e[i];
                return ERR_NONE;
            }
    } while (cursor);
    return ERR_NO_PROCESS;
}

/* kill(pid, 0): whether PROC_KILL would end pid, from the table (PROC_KILL's errors). */
static int may_kill(uint32_t pid)
{
    struct msg m;
    struct proc_entry e;
    int err = call(PROC_GETPID, NULL, 0, &m);
    if (!err)
        err = find(pid, &e);
    if (!err && e.state != PROC_RUNNING)
        err = ERR_NO_PROCESS;
    for (uint32_t depth = 0; !err && depth < PROC_DEPTH_MAX; depth++) {   /* up to us, or to proc */
        if (e.ppid == m.w[0])
            return ERR_NONE;
        if (e.ppid == 0)
            break;
        if ((err = find(e.ppid, &e)) == ERR_NO_PROCESS)
            break;
    }
    return err ? err : ERR_NO_RIGHTS;
}

int kill(pid_t pid, int sig)
{
    struct msg m;
    if (pid <= 0 || sig < 0 || sig >= NSIG)
        return fail(ERR_INVALID);
    int err = sig == 0 ? may_kill((uint32_t)pid) : call(PROC_KILL, (uint32_t[]){ (uint32_t)pid }, 1, &m);
    return err ? fail(err) : 0;
}

pid_t getpid(void)
{
    struct msg m;
    int err = call(PROC_GETPID, NULL, 0, &m);
    return err ? fail(err) : (pid_t)m.w[0];
}

pid_t getppid(void)
{
    struct msg m;
    int err = call(PROC_GETPID, NULL, 0, &m);
    return err ? fail(err) : (pid_t)m.w[1];
}
