/*
 * The process server's own suite (servers/proc, ipc/relay/proc.h), spoken
 * raw through the "proc" handle: spawn by name, wait (never blocking: the
 * "child" notification), kill, getpid, list, fork and exec, and their
 * errors.  tests/suites boots it with the default pager (so what it starts
 * is paged, and fork works) and once without (programs are loaded; fork is
 * refused); each child is a copy of this program in a role.
 */
#include <relay/libos.h>
#include <relay/proc.h>
#include <relay/rpc.h>
#include <relay/sys.h>
#include "../lib/utest.h"

#define SELF "procsrvtest.elf"

static relay_handle proc_h(void) { return startup_handle("proc"); }

/* argv packed as PROC_SPAWN wants it into m; returns the words. */
static uint32_t pack(uint32_t *w, const char *const *argv)
{
    char *b = (char *)&w[1];
    uint32_t at = 0, argc = 0;
    for (; argv[argc]; argc++) {
        size_t n = strlen(argv[argc]) + 1;
        memcpy(b + at, argv[argc], n);
        at += n;
    }
    w[0] = argc;
    return 1 + (at + 3) / 4;
}

static int spawn_argv(uint32_t label, const char *const *argv, struct msg *r)
{
    uint32_t w[MSG_WORDS_MAX] = { 0 };
    uint32_t n = pack(w, argv);
    return rpc_call(proc_h(), label, w, n, r);
}

static int spawn_role(const char *role, uint32_t *pid)
{
    char arg[32];
    snprintf(arg, sizeof arg, "role=%s", role);
    const char *argv[] = { SELF, arg, 0 };
    struct msg r;
    int err = spawn_argv(PROC_SPAWN, argv, &r);
    if (!err)
        *pid = r.w[0];
    return err;
}

/* PROC_WAIT, waiting on "child" while it says ERR_WOULD_BLOCK (at most ~5 s). */
static int wait_for(uint32_t pid, struct msg *r)
{
    int err = ERR_WOULD_BLOCK;
    for (int i = 0; i < 50 && err == ERR_WOULD_BLOCK; i++) {
        err = rpc_call(proc_h(), PROC_WAIT, (uint32_t[]){ pid, 0 }, 2, r);
        uint32_t bits;
        if (err == ERR_WOULD_BLOCK)
            notify_wait(startup_handle("child"), &bits, 10);
    }
    return err;
}

/* The entry of pid in PROC_LIST (state 0 if it is not there). */
static struct proc_entry entry_of(uint32_t pid)
{
    struct proc_entry found = { 0 };
    uint32_t cursor = 0;
    do {
        struct msg r;
        if (rpc_call(proc_h(), PROC_LIST, &cursor, 1, &r))
            break;
        const struct proc_entry *e = (const struct proc_entry *)&r.w[2];
        for (uint32_t i = 0; i < r.w[1]; i++)
            if (e[i].pid == pid)
                found = e[i];
        cursor = r.w[0];
    } while (cursor);
    return found;
}

static int paged(void) { return startup_handle("pager") != HANDLE_NULL; }

ROLE(exit3) { (void)argc, (void)argv; return 3; }
ROLE(spin)
{
    (void)argc, (void)argv;
    for (;;)
        yield();
    return 0;
}
ROLE(crash) { (void)argc, (void)argv; *(volatile uint32_t *)0 = 1; return 0; }
ROLE(args) { return argc == 3 && !strcmp(argv[2], "x") ? 5 : 6; }

/* Spawns spin, tells its pid by exit status, and ends: spin is an orphan. */
ROLE(parent)
{
    (void)argc, (void)argv;
    uint32_t pid = 0;
    return spawn_role("spin", &pid) ? 255 : (int)pid;
}

/* Becomes role=exit3 by PROC_EXEC, keeping its pid. */
ROLE(execer)
{
    (void)argc, (void)argv;
    const char *args[] = { SELF, "role=exit3", 0 };
    struct msg r;
    return 100 + spawn_argv(PROC_EXEC, args, &r);   /* only on failure */
}

TEST(getpid, "a boot program's pid is > 1 and its parent is proc (0)")
{
    struct msg r;
    CHECK_EQ(rpc_call(proc_h(), PROC_GETPID, 0, 0, &r), ERR_NONE);
    CHECK(r.w[0] > 1);
    CHECK_EQ(r.w[1], 0);
    CHECK(startup_handle("child") != HANDLE_NULL);
    CHECK(startup_handle("names") != HANDLE_NULL);
}

TEST(spawn_errors, "unknown program, no arguments, too many, badly packed")
{
    struct msg r;
    const char *none[] = { "no-such-program", 0 };
    CHECK_EQ(spawn_argv(PROC_SPAWN, none, &r), ERR_NOT_FOUND);
    CHECK_EQ(rpc_call(proc_h(), PROC_SPAWN, (uint32_t[]){ 0, 0 }, 2, &r), ERR_INVALID);
    const char *many[18] = { SELF };
    for (int i = 1; i < 17; i++)
        many[i] = "a";
    CHECK_EQ(spawn_argv(PROC_SPAWN, many, &r), ERR_RANGE);
    uint32_t w[3] = { 1, 0x41414141u, 0x41414141u };     /* no NUL */
    CHECK_EQ(rpc_call(proc_h(), PROC_SPAWN, w, 3, &r), ERR_INVALID);
    CHECK_EQ(rpc_call(proc_h(), 0x1234, 0, 0, &r), ERR_INVALID);
}

TEST(spawn_wait_exit, "a spawned child's exit status comes back through wait; then it is gone")
{
    uint32_t pid = 0;
    struct msg r;
    CHECK_EQ(spawn_role("exit3", &pid), ERR_NONE);
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(r.w[0], pid);
    CHECK_EQ(r.w[1], 3u << 8);            /* WEXITSTATUS 3 */
    CHECK_EQ(r.w[2], TASK_EXITED);
    CHECK_EQ(r.w[3], 3);
    CHECK_EQ(r.w[4], PROC_NO_FAULT);
    CHECK_EQ(rpc_call(proc_h(), PROC_WAIT, (uint32_t[]){ pid, 0 }, 2, &r), ERR_NO_CHILD);
}

TEST(spawn_argv, "argv reaches the child")
{
    const char *argv[] = { SELF, "role=args", "x", 0 };
    struct msg r;
    CHECK_EQ(spawn_argv(PROC_SPAWN, argv, &r), ERR_NONE);
    uint32_t pid = r.w[0];
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(r.w[3], 5);
}

TEST(wait_would_block, "wait on a running child: ERR_WOULD_BLOCK; no child: ERR_NO_CHILD")
{
    uint32_t pid = 0;
    struct msg r;
    CHECK_EQ(rpc_call(proc_h(), PROC_WAIT, (uint32_t[]){ PROC_ANY, 0 }, 2, &r), ERR_NO_CHILD);
    CHECK_EQ(spawn_role("spin", &pid), ERR_NONE);
    CHECK_EQ(rpc_call(proc_h(), PROC_WAIT, (uint32_t[]){ PROC_ANY, 0 }, 2, &r), ERR_WOULD_BLOCK);
    CHECK_EQ(rpc_call(proc_h(), PROC_WAIT, (uint32_t[]){ pid + 1000, 0 }, 2, &r), ERR_NO_CHILD);
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ pid }, 1, &r), ERR_NONE);
    CHECK_EQ(wait_for(PROC_ANY, &r), ERR_NONE);
    CHECK_EQ(r.w[0], pid);
    CHECK_EQ(r.w[1], 9);                  /* WTERMSIG SIGKILL */
}

TEST(kill_rules, "kill: no such pid, a zombie, not a descendant")
{
    struct msg r;
    uint32_t pid = 0;
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ 999999 }, 1, &r), ERR_NO_PROCESS);
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ 0 }, 1, &r), ERR_NO_PROCESS);
    CHECK_EQ(spawn_role("exit3", &pid), ERR_NONE);
    for (int i = 0; i < 300 && entry_of(pid).state != PROC_ZOMBIE; i++)
        yield();
    CHECK_EQ(entry_of(pid).state, PROC_ZOMBIE);
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ pid }, 1, &r), ERR_NO_PROCESS);
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(rpc_call(proc_h(), PROC_GETPID, 0, 0, &r), ERR_NONE);
    uint32_t me = r.w[0];
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ me }, 1, &r), ERR_NO_RIGHTS);
}

TEST(fault_status, "a child killed by a fault: its status says how")
{
    uint32_t pid = 0;
    struct msg r;
    CHECK_EQ(spawn_role("crash", &pid), ERR_NONE);
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(r.w[2], TASK_KILLED);
    if (paged()) {
        CHECK_EQ(r.w[1], 11);             /* the pager: SIGSEGV */
    } else {
        CHECK_EQ(r.w[1], 11);             /* #PF raises SIGSEGV */
        CHECK_EQ(r.w[4], 14);             /* the notice proc kept: #PF at address 0 */
        CHECK_EQ(r.w[7], 0);
    }
}

TEST(orphans, "a child's child outlives it: it goes to proc (no init)")
{
    uint32_t pid = 0, orphan;
    struct msg r;
    CHECK_EQ(spawn_role("parent", &pid), ERR_NONE);
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    orphan = r.w[3];
    CHECK(orphan > pid && orphan < 255);
    struct proc_entry e = entry_of(orphan);
    CHECK_EQ(e.state, PROC_RUNNING);
    CHECK_EQ(e.ppid, 0);
    CHECK_EQ(rpc_call(proc_h(), PROC_KILL, (uint32_t[]){ orphan }, 1, &r), ERR_NO_RIGHTS);
}

TEST(list, "the list has proc, this program, and (paged) the pager")
{
    struct msg r;
    uint32_t cursor = 0, seen_proc = 0, seen_me = 0, seen_pager = 0, me;
    CHECK_EQ(rpc_call(proc_h(), PROC_GETPID, 0, 0, &r), ERR_NONE);
    me = r.w[0];
    do {
        CHECK_EQ(rpc_call(proc_h(), PROC_LIST, &cursor, 1, &r), ERR_NONE);
        CHECK(r.w[1] <= PROC_LIST_MAX);
        const struct proc_entry *e = (const struct proc_entry *)&r.w[2];
        for (uint32_t i = 0; i < r.w[1]; i++) {
            seen_proc |= e[i].pid == 0 && !memcmp(e[i].name, "proc", 5);
            if (e[i].pid == me) {
                seen_me = 1;
                CHECK(!memcmp(e[i].name, "procsrvtest.", PROC_NAME_BYTES));
                CHECK_EQ(e[i].state, PROC_RUNNING);
                CHECK_EQ(e[i].kind, PROC_PROGRAM);
                CHECK(e[i].threads >= 1);
                CHECK(e[i].kib > 0);
                CHECK(e[i].kernel_kib > 0);
            }
            seen_pager |= e[i].kind == PROC_SERVER && !memcmp(e[i].name, "pager", 6);
        }
        cursor = r.w[0];
    } while (cursor);
    CHECK(seen_proc);
    CHECK(seen_me);
    CHECK_EQ(seen_pager, paged());
}

TEST(exec, "exec: the pid stays, the new program's status comes back")
{
    uint32_t pid = 0;
    struct msg r;
    CHECK_EQ(spawn_role("execer", &pid), ERR_NONE);
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(r.w[0], pid);
    CHECK_EQ(r.w[3], 3);
}

/* fork, raw: the child starts at forked() on a stack of its own copy. */
static volatile uint32_t shared_word;
static uint8_t child_stack[4096] __attribute__((aligned(16)));

static void forked(void)
{
    sys_exit(shared_word == 0x1234u ? 7 : 1);
}

TEST(fork, "fork (paged): the child sees the parent's memory as it was; unpaged: ERR_STATE")
{
    struct msg r;
    shared_word = 0x1234u;
    uint32_t regs[3] = { (uint32_t)forked, (uint32_t)(child_stack + sizeof child_stack - 16),
                         startup_info()->main_utcb };
    int err = rpc_call(proc_h(), PROC_FORK, regs, 3, &r);
    if (!paged()) {
        CHECK_EQ(err, ERR_STATE);
        return;
    }
    CHECK_EQ(err, ERR_NONE);
    uint32_t pid = r.w[0];
    shared_word = 0;                      /* the parent's write: not the child's */
    CHECK_EQ(wait_for(pid, &r), ERR_NONE);
    CHECK_EQ(r.w[0], pid);
    CHECK_EQ(r.w[3], 7);
}

TEST(many, "200 spawn/exit/wait cycles: every one works (no slot, budget or frame leaks)")
{
    for (int i = 0; i < 200; i++) {
        uint32_t pid = 0;
        struct msg r;
        int err = spawn_role("exit3", &pid);
        if (!err)
            err = wait_for(pid, &r);
        if (err) {
            utest_note("cycle %d: %s", i, strerror(err));
            CHECK_EQ(err, ERR_NONE);
            return;
        }
    }
}

int main(int argc, char **argv)
{
    return utest_main("procsrv", argc, argv);
}
