/*
 * The process server under attack: what a ring-3 program might send proc
 * (ipc/relay/proc.h) to crash it, hang it, take what is not its own, or
 * exhaust it for everyone.  Booted as a boot program of `proc halt` with
 * the default pager and a module that is not a program (tests/suites).
 * After each test proc must still answer, the caller's children must all
 * be reaped, and the kernel's counts must be where they were.
 */
#include <relay/libos.h>
#include <relay/process.h>
#include <relay/kinfo.h>
#include "../lib/utest.h"
#include "../fuzz/rng.h"

#define GARBAGE_CALLS 3000u
#define BOMB_DEPTH    8u          /* a bomb's descendants fork at most this deep */

static const char *self_name = "prochostile";   /* argv[0]'s last part: how proc knows this image */

static relay_handle proc_ep(void)
{
    return startup_handle("proc");
}

static struct kernel_info kinfo(void)
{
    struct kernel_info k = { 0 };
    kernel_info_settled(&k);
    return k;
}

/* The processes proc lists now. */
static uint32_t processes(void)
{
    uint32_t cursor = 0, total = 0, n;
    struct proc_entry e[PROC_LIST_MAX];
    do {
        if (proc_list(&cursor, e, PROC_LIST_MAX, &n) != ERR_NONE)
            return 0;
        total += n;
    } while (cursor);
    return total;
}

/* Reap every child this process has; how many. */
static uint32_t reap_all(void)
{
    uint32_t reaped = 0;
    int status;
    while (waitpid(-1, &status, 0) > 0)
        reaped++;
    return reaped;
}

/* Whether proc still serves: getpid gives this process's pid again. */
static int proc_alive(pid_t self)
{
    return getpid() == self;
}

TEST(garbage_requests, "3,000 calls of random labels and words on the proc handle: each answered with an error or a success, proc unharmed")
{
    pid_t self = getpid();
    CHECK(self > 0);
    uint32_t before = processes();
    uint64_t s = stream(12, 0, 0x70c);
    uint32_t answered = 0, bad_labels = 0;
    for (uint32_t i = 0; i < GARBAGE_CALLS; i++) {
        struct msg m = { 0 };
        uint32_t op = below(&s, 10);
        m.label = op < 8 ? PROC_SPAWN + below(&s, PROC_LIST - PROC_SPAWN + 1)
                         : (op == 8 ? draw(&s) & MSGINFO_LABEL_MAX : PROC_LIST + 1 + below(&s, 4));
        m.length = below(&s, MSG_WORDS_MAX + 1);
        for (uint32_t w = 0; w < m.length; w++)
            m.w[w] = below(&s, 4) ? draw(&s) : below(&s, 64);
        if (m.label == PROC_KILL && m.length > 0 && m.w[0] == (uint32_t)self)
            m.w[0]++;                         /* not itself: that is the one kill it may do */
        if (m.label == PROC_FORK && m.length > 0)
            m.w[0] = 0;                       /* a child at eip 0: it faults at once, if made */
        if (m.label == PROC_EXEC && m.length > 1 && (m.w[1] & 0xFF) >= 'a')
            m.w[1] = 0;                       /* no name: never a real exec of this suite */
        int err = ipc_call(proc_ep(), &m, TIMEOUT_FOREVER);
        CHECK_EQ(err, ERR_NONE);
        if (err != ERR_NONE)
            break;
        answered++;
        bad_labels += m.label >= RELAY_ERROR_COUNT;
    }
    CHECK_EQ(answered, GARBAGE_CALLS);
    CHECK_EQ(bad_labels, 0);                  /* every reply's label is a relay error code */
    reap_all();                               /* the children random forks made, if any */
    CHECK(proc_alive(self));
    CHECK_EQ(processes(), before);
}

TEST(kill_what_is_not_yours, "kill of proc, of its parent, of no process, or of a process that is not a descendant is refused")
{
    pid_t self = getpid();
    struct msg out;
    uint32_t proc_pid = 0, parent = (uint32_t)getppid();   /* proc: pid 0, this suite's parent */
    int err = rpc_call(proc_ep(), PROC_KILL, &proc_pid, 1, &out);
    CHECK(err == ERR_NO_RIGHTS || err == ERR_NO_PROCESS);   /* proc is no process of the table's */
    err = rpc_call(proc_ep(), PROC_KILL, &parent, 1, &out);
    CHECK(err == ERR_NO_RIGHTS || err == ERR_NO_PROCESS);
    CHECK_EQ(kill(0, SIGKILL), -1);              /* libos: no process groups */
    CHECK_EQ(errno, ERR_INVALID);
    CHECK_EQ(kill(0x7FFFFFF0, SIGKILL), -1);
    CHECK_EQ(errno, ERR_NO_PROCESS);
    /* every other pid proc lists (the pager, a sibling) is not ours */
    uint32_t cursor = 0, n, refused = 0, others = 0;
    struct proc_entry e[PROC_LIST_MAX];
    do {
        CHECK_EQ(proc_list(&cursor, e, PROC_LIST_MAX, &n), ERR_NONE);
        for (uint32_t i = 0; i < n; i++)
            if (e[i].pid != 0 && e[i].pid != (uint32_t)self && e[i].ppid != (uint32_t)self
                && e[i].state == PROC_RUNNING) {
                others++;
                refused += rpc_call(proc_ep(), PROC_KILL, &e[i].pid, 1, &out) == ERR_NO_RIGHTS;
            }
    } while (cursor);
    CHECK(others > 0);
    CHECK_EQ(refused, others);
    CHECK(proc_alive(self));
}

TEST(wait_for_what_is_not_yours, "waitpid on proc, on the parent, on no process, with no children: ERR_NO_CHILD, never a block")
{
    int status;
    struct msg out;
    uint32_t in[2] = { 0, PROC_WNOHANG };        /* proc, raw: libos refuses pid 0 itself */
    CHECK_EQ(rpc_call(proc_ep(), PROC_WAIT, in, 2, &out), ERR_NO_CHILD);
    CHECK_EQ(waitpid(0, &status, 0), -1);        /* libos: no process groups */
    CHECK_EQ(errno, ERR_INVALID);
    CHECK_EQ(waitpid(0x7FFFFFF0, &status, WNOHANG), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
    CHECK_EQ(waitpid(-1, &status, 0), -1);      /* no children at all */
    CHECK_EQ(errno, ERR_NO_CHILD);
}

TEST(bad_programs, "spawn and exec of no program, of a module that is no program, with too many or unterminated arguments: errors, and the caller goes on")
{
    char *none[] = { "no-such-program", 0 };
    char *text[] = { "module.txt", 0 };
    char *many[STARTUP_ARGS_MAX + 2];
    many[0] = (char *)self_name;
    for (uint32_t i = 1; i < STARTUP_ARGS_MAX + 1; i++)
        many[i] = "a";                          /* short: too many, not too long */
    many[STARTUP_ARGS_MAX + 1] = 0;
    CHECK_EQ(spawnv("no-such-program", none), -1);
    CHECK_EQ(errno, ERR_NOT_FOUND);
    CHECK_EQ(spawnv("module.txt", text), -1);
    CHECK(errno == ERR_NOT_FOUND || errno == ERR_INVALID);
    CHECK_EQ(spawnv(self_name, many), -1);
    CHECK_EQ(errno, ERR_RANGE);
    CHECK_EQ(execv("no-such-program", none), -1);
    CHECK_EQ(errno, ERR_NOT_FOUND);
    CHECK_EQ(execv("module.txt", text), -1);
    CHECK(errno == ERR_NOT_FOUND || errno == ERR_INVALID);
    struct msg m = { .label = PROC_SPAWN, .length = MSG_WORDS_MAX };
    m.w[0] = 1;
    memset(&m.w[1], 'a', PROC_ARGV_BYTES);    /* 124 bytes and no NUL */
    CHECK_EQ(ipc_call(proc_ep(), &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK(m.label == ERR_INVALID || m.label == ERR_TOO_LONG);
    m = (struct msg){ .label = PROC_SPAWN, .length = 2 };
    m.w[0] = 0;                               /* argc 0 */
    CHECK_EQ(ipc_call(proc_ep(), &m, TIMEOUT_FOREVER), ERR_NONE);
    CHECK_EQ(m.label, ERR_INVALID);
    CHECK_EQ(reap_all(), 0);
}

TEST(fork_into_the_kernel, "a fork whose child would start in kernel space or with no stack: refused, or a child that is killed and reaped")
{
    static const uint32_t bad[][2] = {
        { 0xC0100000u, 0x30000000u }, { 0x00400000u, 0xC0001000u }, { 0, 0 }, { 0xFFFFFFF0u, 0xFFFFFFF0u },
    };
    for (uint32_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t in[3] = { bad[i][0], bad[i][1], (uint32_t)utcb_self() };
        struct msg out;
        int err = rpc_call(proc_ep(), PROC_FORK, in, 3, &out);
        if (err != ERR_NONE)
            continue;                         /* refused: fine */
        struct proc_status st;
        CHECK_EQ(proc_wait((pid_t)out.w[0], 0, &st), ERR_NONE);
        CHECK(WIFSIGNALED(st.posix));         /* never ran a user instruction of ours */
    }
    CHECK(proc_alive(getpid()));
}

/* A fork bomb: fork until proc says no, each child doing the same, to a
 * depth; then reap and exit.  Exits with the number of refusals seen by
 * this process and its descendants (at most 255). */
static uint32_t bomb(uint32_t depth)
{
    uint32_t refused = 0;
    for (;;) {
        pid_t pid = depth < BOMB_DEPTH ? fork() : -1;
        if (pid == 0) {
            refused = 0;
            depth++;
            continue;                         /* the child bombs on, a level down */
        }
        if (pid < 0) {
            refused += depth < BOMB_DEPTH;    /* out of budget (or the depth cap) */
            break;
        }
    }
    int status;
    while (waitpid(-1, &status, 0) > 0)
        if (WIFEXITED(status))
            refused += (uint32_t)WEXITSTATUS(status);
    exit((int)(refused > 255 ? 255 : refused));
}

ROLE(bomb)
{
    (void)argc, (void)argv;
    bomb(0);
    return 0;
}

TEST(fork_bomb, "a fork bomb is stopped by its own budget: it ends by itself, proc serves others meanwhile, and everything comes back")
{
    struct kernel_info before = kinfo();
    uint32_t listed = processes();
    char *args[] = { (char *)self_name, "role=bomb", 0 };
    pid_t pid = spawnv(self_name, args);
    CHECK(pid > 0);
    CHECK(proc_alive(getpid()));              /* answered while the bomb goes off */
    int status = 0;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) > 0);           /* somebody was refused */
    CHECK_EQ(processes(), listed);
    struct kernel_info after = kinfo();
    CHECK_EQ(after.tasks, before.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.endpoints, before.endpoints);
    CHECK_EQ(after.notifications, before.notifications);
    CHECK_EQ(after.factories, before.factories);
}

TEST(orphans_of_a_killed_bomb, "killing a bomb in mid-flight leaves its descendants to be reaped by proc: none outlives the run, nothing leaks")
{
    struct kernel_info before = kinfo();
    uint32_t listed = processes();
    char *args[] = { (char *)self_name, "role=bomb", 0 };
    pid_t pid = spawnv(self_name, args);
    CHECK(pid > 0);
    for (uint32_t i = 0; i < 3; i++)
        sys_yield();
    CHECK_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    /* its descendants finish their own bombs and end; proc (no init here) reaps them */
    relay_handle tick;
    uint32_t bits, left = processes();
    CHECK_EQ(notification_create(startup_info()->factory, &tick), ERR_NONE);
    for (uint32_t tries = 0; left != listed && tries < 1000; tries++) {
        notify_wait(tick, &bits, 1);          /* nobody signals it: a tick's sleep */
        left = processes();
    }
    handle_delete(tick);
    CHECK_EQ(left, listed);
    struct kernel_info after = kinfo();
    CHECK_EQ(after.tasks, before.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.factories, before.factories);
}

TEST(kernel_clean, "after all of it the kernel's invariant checker finds nothing wrong (the test kernel)")
{
    struct kernel_check k = { 0 };
    CHECK_EQ(sys_kernel_check((uint32_t)&k, 0).error, ERR_NONE);
    CHECK_EQ(k.violations, 0);
    CHECK(k.checked > 0);
}

int main(int argc, char **argv)
{
    for (const char *p = argv[0]; *p; p++)
        if (p == argv[0] || p[-1] == '/')
            self_name = p;
    return utest_main("prochostile", argc, argv);
}
