/*
 * The process suite (tests/suites boots it): proc with the default pager's
 * image and this program, which proc starts paged, as a process.  It uses
 * only libos' relay/process.h: fork, exec, spawn, wait, kill, getpid and
 * the process table, against the process server (servers/proc,
 * docs/PROCESS.md).  Its partners are copies of itself, started by name
 * (argv[0]) with role=NAME; a fork's child runs on in the test that forked
 * and says what it found by its exit status (0: all as it should be).
 */
#include <relay/libos.h>
#include <relay/process.h>
#include "../lib/objects.h"
#include "../lib/utest.h"

static const char *self;          /* this program's name, to start copies of it */


/* A copy of this program running role (and up to two more arguments). */
static pid_t spawn_role(const char *role, const char *a, const char *b)
{
    char *argv[] = { (char *)self, (char *)role, (char *)a, (char *)b, NULL };
    return spawnv(self, argv);
}

/* The first entry of the process table that match accepts (given arg),
 * into *out; 0 if none does. */
static int find_entry(int (*match)(const struct proc_entry *e, uint32_t arg), uint32_t arg,
                      struct proc_entry *out)
{
    struct proc_entry e[PROC_LIST_MAX];
    uint32_t cursor = 0, n;
    do {
        if (proc_list(&cursor, e, PROC_LIST_MAX, &n))
            return 0;
        for (uint32_t i = 0; i < n; i++)
            if (match(&e[i], arg)) {
                *out = e[i];
                return 1;
            }
    } while (cursor);
    return 0;
}

static int has_pid(const struct proc_entry *e, uint32_t pid) { return e->pid == pid; }

/* pid's entry in the process table; 0 if it is not there. */
static int listed(uint32_t pid, struct proc_entry *out)
{
    return find_entry(has_pid, pid, out);
}

/* Wait up to ticks for pid to be listed in state (0: not listed at all). */
static int becomes(uint32_t pid, uint32_t state, uint32_t ticks)
{
    struct proc_entry e;
    for (uint32_t t = 0; t <= ticks; t++) {
        int there = listed(pid, &e);
        if ((!there && state == 0) || (there && e.state == state))
            return 1;
        sleep_ticks(1);
    }
    return 0;
}

/* --- Roles: what the children run. */

static volatile uint32_t marker;  /* set before an exec: the new image must not have it */

ROLE(exit3) { (void)argc, (void)argv; return 3; }

ROLE(spin)
{
    (void)argc, (void)argv;
    for (;;)
        sleep_ticks(1000);
    return 1;
}

extern char divide_here[], write_here[];

ROLE(divzero)
{
    (void)argc, (void)argv;
    asm volatile("xor %%eax, %%eax\n\txor %%edx, %%edx\n\txor %%ecx, %%ecx\n"
                 ".globl divide_here\ndivide_here:\n\tdiv %%ecx" : : : "eax", "ecx", "edx");
    return 1;
}

/* A write to 0x10 the default pager kills for (SIGSEGV, its verdict; proc asks it which fault) ... */
extern char pager_kills_here[];
ROLE(segv)
{
    (void)argc, (void)argv;
    asm volatile(".globl pager_kills_here\npager_kills_here:\n\tmovl $1, 0x10" : : : "memory");
    return 1;
}

/* ... and one nobody handles (no pager for this thread): the kernel's notice names the fault. */
ROLE(badptr)
{
    (void)argc, (void)argv;
    if (sys_thread_set_handler(thread_self()->handle, HANDLER_PAGER, HANDLE_NULL).error)
        return 2;
    asm volatile("mov $0x10, %%eax\n.globl write_here\nwrite_here:\n\tmovl $1, (%%eax)"
                 : : : "eax", "memory");
    return 1;
}

/* After an exec: the same pid and parent as before it (pid= ppid=), a fresh image. */
ROLE(execd)
{
    if (getpid() != (pid_t)utest_arg_u32(argc, argv, "pid", 0))
        return 1;
    if (getppid() != (pid_t)utest_arg_u32(argc, argv, "ppid", 0))
        return 2;
    return marker == 0 ? 42 : 3;
}

/* Spawns a grandchild (role orphan, told our pid) and ends at once: its status is the grandchild's pid. */
ROLE(orphaner)
{
    (void)argc, (void)argv;
    char arg[24];
    snprintf(arg, sizeof arg, "parent=%d", getpid());
    pid_t g = spawn_role("role=orphan", arg, NULL);
    return g > 0 ? g : 0;
}

/* Waits until its parent has ended and it has been given to proc (getppid 0),
 * lingers a little so that the suite sees it listed so, and ends.  It lingers
 * far longer if it never sees ppid 0: the suite would see that too. */
ROLE(orphan)
{
    pid_t first = (pid_t)utest_arg_u32(argc, argv, "parent", 0);
    for (int t = 0; t < 1000; t++) {
        pid_t pp = getppid();
        if (pp == 0) {
            sleep_ticks(20);
            return 0;
        }
        if (pp != first)
            break;
        sleep_ticks(1);
    }
    sleep_ticks(2000);
    return 1;
}

/* --- The tests. */

TEST(identity, "getpid and getppid: this program is a process proc started (pid > 1, parent 0), listed under its name")
{
    struct proc_entry e;
    pid_t me = getpid();
    CHECK(me > 1);
    CHECK_EQ(getppid(), 0);
    CHECK(listed((uint32_t)me, &e));
    CHECK_EQ(e.ppid, 0);
    CHECK_EQ(e.state, PROC_RUNNING);
    CHECK_EQ(e.kind, PROC_PROGRAM);
    CHECK(!strncmp(e.name, "proctest", 8));
    CHECK(listed(0, &e));                                  /* proc itself */
}

TEST(spawn_exit_status, "a spawned program's exit status reaches its parent: WIFEXITED, WEXITSTATUS 3, no fault")
{
    pid_t pid = spawn_role("role=exit3", NULL, NULL);
    CHECK(pid > 0);
    struct proc_status s;
    CHECK_EQ(proc_wait(pid, 0, &s), ERR_NONE);
    CHECK_EQ(s.pid, pid);
    CHECK(WIFEXITED(s.posix));
    CHECK_EQ(WEXITSTATUS(s.posix), 3);
    CHECK_EQ(s.fault.vector, PROC_NO_FAULT);
    char text[64];
    proc_status_describe(&s, text, sizeof text);
    CHECK(!strcmp(text, "exited 3"));
}

static uint32_t data_word = 1;    /* .data */

TEST(fork_own_writes, "fork: parent and child each see their own writes to data, heap and stack, and the child its own pid")
{
    volatile uint32_t stack_word = 1;
    volatile uint32_t *heap_word = sbrk(PAGE_SIZE);
    CHECK(heap_word != (void *)-1);
    if (heap_word == (void *)-1)
        return;
    *heap_word = 1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int bad = data_word != 1 || *heap_word != 1 || stack_word != 1;
        data_word = 2, *heap_word = 2, stack_word = 2;
        for (int i = 0; i < 10; i++)
            yield();                                   /* the parent writes 3 meanwhile */
        bad |= (data_word != 2 || *heap_word != 2 || stack_word != 2) << 1;
        bad |= (getppid() != parent || getpid() == parent) << 2;
        exit(bad);
    }
    CHECK(pid > 0);
    data_word = 3, *heap_word = 3, stack_word = 3;
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);                  /* 1: saw our 3s; 2: lost its 2s; 4: pids */
    CHECK_EQ(data_word, 3);
    CHECK_EQ(*heap_word, 3);
    CHECK_EQ(stack_word, 3);
}

TEST(fork_child_has_libos, "a fork's child can use its heap (sbrk through its own \"pager\"), spawn and wait for a child of its own")
{
    pid_t pid = fork();
    if (pid == 0) {
        char *p = sbrk(2 * PAGE_SIZE);
        if (p == (void *)-1)
            exit(1);
        memset(p, 0x5A, 2 * PAGE_SIZE);
        pid_t g = spawn_role("role=exit3", NULL, NULL);
        int st;
        if (g <= 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
            exit(2);
        exit(p[PAGE_SIZE + 7] == 0x5A ? 0 : 3);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
}

static volatile int forked_from_thread, errno_in_thread;

static void fork_on_a_thread(void *arg)
{
    (void)arg;
    forked_from_thread = fork();                       /* a child here would have no stack */
    errno_in_thread = errno;
}

TEST(fork_main_thread_only, "fork from a thread other than the main one: ERR_STATE, and no child")
{
    struct thread *t;
    relay_handle done;
    uint32_t bits;
    CHECK_EQ(notification_create(startup_info()->factory, &done), ERR_NONE);
    struct thread_spec spec = { fork_on_a_thread, NULL, 10, done, 1 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    CHECK_EQ(notify_wait(done, &bits, 500), ERR_NONE);
    CHECK_EQ(forked_from_thread, -1);
    CHECK_EQ(errno_in_thread, ERR_STATE);
    int status;
    CHECK_EQ(waitpid(-1, &status, WNOHANG), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
    thread_release(t);
    handle_delete(done);
}

TEST(exec_keeps_pid, "exec replaces the image (data starts afresh) and keeps the pid and parent; the parent's wait sees the new program's status")
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        char a[24], b[24];
        snprintf(a, sizeof a, "pid=%d", getpid());
        snprintf(b, sizeof b, "ppid=%d", parent);
        marker = 1;
        char *argv[] = { (char *)self, "role=execd", a, b, NULL };
        execv(self, argv);
        exit(99);                                      /* exec failed */
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42);                 /* 1: pid; 2: parent; 3: old data; 99: exec */
}

TEST(exec_errors, "a failed exec returns with its error and the caller goes on: unknown program, too many arguments")
{
    char *argv[STARTUP_ARGS_MAX + 2];
    for (int i = 0; i <= STARTUP_ARGS_MAX; i++)
        argv[i] = "x";
    argv[STARTUP_ARGS_MAX + 1] = NULL;
    pid_t me = getpid();
    CHECK_EQ(execv("nosuchprogram", NULL), -1);
    CHECK_EQ(errno, ERR_NOT_FOUND);
    CHECK_EQ(execv(self, argv), -1);
    CHECK_EQ(errno, ERR_RANGE);
    CHECK_EQ(getpid(), me);
}

/* Start a role that dies of a fault and check how proc_wait reports it: the
 * signal, the vector, eip and (for #PF) cr2, and the text the shell prints. */
static void check_fault_death(const char *role, int sig, uint32_t vector, const void *eip, uint32_t cr2,
                              const char *want_text)
{
    pid_t pid = spawn_role(role, NULL, NULL);
    CHECK(pid > 0);
    struct proc_status s;
    CHECK_EQ(proc_wait(pid, 0, &s), ERR_NONE);
    CHECK(WIFSIGNALED(s.posix));
    CHECK_EQ(WTERMSIG(s.posix), sig);
    CHECK_EQ(s.fault.vector, vector);
    CHECK_EQ(s.fault.eip, (uint32_t)eip);
    if (vector == 14)
        CHECK_EQ(s.fault.cr2, cr2);
    char text[80];
    proc_status_describe(&s, text, sizeof text);
    CHECK(!strcmp(text, want_text));
}

TEST(wait_fault_divide, "a child killed by #DE: WTERMSIG SIGFPE, and proc_wait has the fault's vector and eip")
{
    char want[80];
    snprintf(want, sizeof want, "killed by #DE at eip=0x%08x", (uint32_t)divide_here);
    check_fault_death("role=divzero", SIGFPE, 0, divide_here, 0, want);
}

TEST(wait_segv, "a child the default pager kills for a write to 0x10: WTERMSIG SIGSEGV, and proc_wait has the #PF, its eip and cr2 (from the pager)")
{
    char want[80];
    snprintf(want, sizeof want, "killed by #PF at eip=0x%08x cr2=0x00000010", (uint32_t)pager_kills_here);
    check_fault_death("role=segv", SIGSEGV, 14, pager_kills_here, 0x10, want);
}

TEST(wait_fault_page, "a child killed by a #PF nobody handles (write to 0x10, no pager): WTERMSIG SIGSEGV, and proc_wait has #PF, its eip and cr2")
{
    char want[80];
    snprintf(want, sizeof want, "killed by #PF at eip=0x%08x cr2=0x00000010", (uint32_t)write_here);
    check_fault_death("role=badptr", SIGSEGV, 14, write_here, 0x10, want);
}

TEST(kill_and_wnohang, "WNOHANG says 0 while a child runs; kill ends it and its parent sees SIGKILL; then it is no child")
{
    pid_t pid = spawn_role("role=spin", NULL, NULL);
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
    CHECK_EQ(kill(pid, 0), 0);                         /* we may */
    CHECK_EQ(kill(pid, SIGKILL), 0);
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status));
    CHECK_EQ(WTERMSIG(status), SIGKILL);
    CHECK_EQ(waitpid(pid, &status, WNOHANG), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
}

TEST(wait_any, "waitpid(-1) reaps each child once, whichever ends; then ERR_NO_CHILD")
{
    pid_t a = spawn_role("role=exit3", NULL, NULL), b = spawn_role("role=exit3", NULL, NULL);
    CHECK(a > 0 && b > 0 && a != b);
    int status;
    pid_t first = waitpid(-1, &status, 0), second = waitpid(-1, &status, 0);
    CHECK((first == a && second == b) || (first == b && second == a));
    CHECK_EQ(waitpid(-1, &status, 0), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
    CHECK_EQ(waitpid(-1, &status, WNOHANG), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
}

/* Running, and neither proc nor the process me. */
static int running_other(const struct proc_entry *e, uint32_t me)
{
    return e->pid != 0 && e->pid != me && e->state == PROC_RUNNING;
}

/* A process that is not ours: the pager (proc's child, a server). */
static uint32_t someone_elses(void)
{
    struct proc_entry e;
    return find_entry(running_other, (uint32_t)getpid(), &e) ? e.pid : 0;
}

TEST(errors, "waitpid on no child or another's, kill of no process, of another's, and bad arguments: each its error")
{
    int status;
    uint32_t other = someone_elses();
    CHECK(other != 0);
    CHECK_EQ(waitpid(100000, &status, 0), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
    CHECK_EQ(waitpid((pid_t)other, &status, WNOHANG), -1);
    CHECK_EQ(errno, ERR_NO_CHILD);
    CHECK_EQ(kill(100000, SIGKILL), -1);
    CHECK_EQ(errno, ERR_NO_PROCESS);
    CHECK_EQ(kill((pid_t)other, SIGKILL), -1);
    CHECK_EQ(errno, ERR_NO_RIGHTS);
    CHECK_EQ(kill((pid_t)other, 0), -1);
    CHECK_EQ(errno, ERR_NO_RIGHTS);
    CHECK_EQ(kill(100000, 0), -1);
    CHECK_EQ(errno, ERR_NO_PROCESS);
    CHECK_EQ(kill((pid_t)other, 99), -1);
    CHECK_EQ(errno, ERR_INVALID);
    CHECK_EQ(waitpid(0, &status, 0), -1);
    CHECK_EQ(errno, ERR_INVALID);
    CHECK(someone_elses() == other);                   /* it still runs */
}

TEST(bad_requests, "unknown programs and malformed or too long argument lists: ERR_NOT_FOUND, ERR_RANGE, ERR_INVALID, from libos and from proc")
{
    char *argv[STARTUP_ARGS_MAX + 2];
    for (int i = 0; i <= STARTUP_ARGS_MAX; i++)
        argv[i] = "x";
    argv[STARTUP_ARGS_MAX + 1] = NULL;
    CHECK_EQ(spawnv("nosuchprogram", NULL), -1);
    CHECK_EQ(errno, ERR_NOT_FOUND);
    CHECK_EQ(spawnv(self, argv), -1);
    CHECK_EQ(errno, ERR_RANGE);
    CHECK_EQ(spawnv("", NULL), -1);
    CHECK_EQ(errno, ERR_INVALID);
    char *blank[] = { (char *)self, "a b", NULL };
    CHECK_EQ(spawnv(self, blank), -1);                 /* the child's argv would split there */
    CHECK_EQ(errno, ERR_INVALID);
    /* The same refused by proc itself, as a program not using libos might send them. */
    relay_handle proc = startup_handle("proc");
    struct msg m;
    uint32_t w[MSG_WORDS_MAX] = { 0 };
    char *bytes = (char *)&w[1];
    for (int i = 0; i <= STARTUP_ARGS_MAX; i++)
        bytes[2 * i] = 'x';                            /* 17 strings "x" */
    w[0] = STARTUP_ARGS_MAX + 1;
    CHECK_EQ(rpc_call(proc, PROC_SPAWN, w, 1 + (2 * (STARTUP_ARGS_MAX + 1) + 3) / 4, &m), ERR_RANGE);
    w[0] = 0;
    CHECK_EQ(rpc_call(proc, PROC_SPAWN, w, 2, &m), ERR_INVALID);    /* argc 0 */
    memset(w, 'x', sizeof w);
    w[0] = 1;
    CHECK_EQ(rpc_call(proc, PROC_SPAWN, w, MSG_WORDS_MAX, &m), ERR_INVALID);   /* no NUL */
    w[0] = 3;
    memcpy(&w[1], "hi\0there", 9);                     /* two strings, three said */
    CHECK_EQ(rpc_call(proc, PROC_SPAWN, w, 4, &m), ERR_INVALID);
    w[0] = 1;
    memcpy(&w[1], "a b\0", 4);                         /* a blank */
    CHECK_EQ(rpc_call(proc, PROC_SPAWN, w, 2, &m), ERR_INVALID);
}

TEST(zombies, "a child that ended is listed as a zombie until its parent waits, then is gone")
{
    pid_t pid = spawn_role("role=exit3", NULL, NULL);
    CHECK(pid > 0);
    CHECK(becomes((uint32_t)pid, PROC_ZOMBIE, 200));
    sleep_ticks(5);
    CHECK(becomes((uint32_t)pid, PROC_ZOMBIE, 0));     /* and stays one */
    CHECK_EQ(kill(pid, SIGKILL), -1);                  /* nothing left to kill */
    CHECK_EQ(errno, ERR_NO_PROCESS);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK_EQ(WEXITSTATUS(status), 3);
    CHECK(becomes((uint32_t)pid, 0, 0));
}

TEST(orphans, "a grandchild whose parent ends goes to proc (no init): listed with parent 0, getppid says 0, proc reaps it")
{
    pid_t mid = spawn_role("role=orphaner", NULL, NULL);
    CHECK(mid > 0);
    int status = -1;
    CHECK_EQ(waitpid(mid, &status, 0), mid);
    CHECK(WIFEXITED(status));
    uint32_t g = (uint32_t)WEXITSTATUS(status);        /* its pid (they are small this early) */
    CHECK(g > (uint32_t)mid);
    struct proc_entry e = { 0 };
    e.ppid = PROC_ANY;
    CHECK(listed(g, &e));
    CHECK_EQ(e.ppid, 0);
    CHECK_EQ(kill((pid_t)g, SIGKILL), -1);             /* no longer ours to kill */
    CHECK_EQ(errno, ERR_NO_RIGHTS);
    CHECK(becomes(g, 0, 300));                         /* it saw ppid 0, ended, and was reaped */
}

/* The kernel's objects, free frames and the pager's free frames and clients. */
struct counts {
    struct kernel_info k;
    struct defpager_stats pager;
};

static struct counts counts(void)
{
    struct counts c = { 0 };
    CHECK_EQ(kernel_info_settled(&c.k), ERR_NONE);
    CHECK_EQ(defpager_stats(heap_pager(), &c.pager), ERR_NONE);
    CHECK(c.pager.clients > 0);
    return c;
}

static void compare(const struct counts *a, const struct counts *b)
{
    CHECK_EQ(b->k.tasks, a->k.tasks);
    CHECK_EQ(b->k.threads, a->k.threads);
    CHECK_EQ(b->k.endpoints, a->k.endpoints);
    CHECK_EQ(b->k.notifications, a->k.notifications);
    CHECK_EQ(b->k.factories, a->k.factories);
    CHECK_EQ(b->k.mappings, a->k.mappings);
    CHECK_EQ(b->k.frames_free, a->k.frames_free);
    CHECK_EQ(b->pager.frames_free, a->pager.frames_free);
    CHECK_EQ(b->pager.clients, a->pager.clients);
}

#define CYCLES 1000

TEST(fork_exit_wait_1000, "1,000 fork/exit/wait cycles: each child's status right, and no object, frame or pager page leaked")
{
    int status;
    for (int i = 0; i < 3; i++) {                      /* our own pages copied once for all */
        pid_t pid = fork();
        if (pid == 0)
            exit(7);
        waitpid(pid, &status, 0);
    }
    struct counts before = counts();
    uint32_t wrong = 0;
    for (int i = 0; i < CYCLES; i++) {
        pid_t pid = fork();
        if (pid == 0)
            exit(i & 0x7F);
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)
            || WEXITSTATUS(status) != (i & 0x7F)) {
            if (wrong++ == 0)
                utest_note("cycle %d: pid %d, errno %d, status 0x%x", i, pid, errno, status);
        }
    }
    CHECK_EQ(wrong, 0);
    struct counts after = counts();
    compare(&before, &after);
}

static void skip_divide(int sig, struct fault *f)
{
    (void)sig;
    f->regs.eip += f->insn_length;
}

TEST(fork_keeps_signal_handlers, "a fork's child has a signal handler thread of its own: its #DE goes to the handler it inherited")
{
    CHECK(signal(SIGFPE, skip_divide) != SIG_ERR);
    pid_t pid = fork();
    if (pid == 0) {
        volatile uint32_t zero = 0, one = 1;
        uint32_t q = one / zero;                       /* skipped by the handler */
        (void)q;
        exit(0);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    signal(SIGFPE, SIG_DFL);
}

int main(int argc, char **argv)
{
    self = argv[0];
    return utest_main("proc", argc, argv);
}
