/* The shell's built-ins (docs/SHELL.md): a table of name, usage line and function. */
#include "sh.h"

struct builtin {
    const char *name;
    const char *usage;
    void (*fn)(uint32_t argc, char **argv);
};

/* What each program of `make run`'s boot file system is, for help; others get their size. */
static const struct {
    const char *name, *what;
} programs[] = {
    { "init",       "process 1: keeps the shell running, reaps orphans" },
    { "sh",         "this shell" },
    { "true",       "does nothing, exits 0" },
    { "hello",      "prints its name and arguments" },
    { "loop",       "spins until killed (try Ctrl-C, or & and kill)" },
    { "divzero",    "demo: divides by zero and handles SIGFPE itself" },
    { "badptr",     "demo: bad pointers, SIGSEGV handled (badptr role=plain: killed)" },
    { "breakpoint", "demo: int3, SIGTRAP handled" },
    { "singlestep", "demo: single steps with the trap flag" },
    { "ipctest",    "the IPC test suite" },
    { "faulttest",  "the fault test suite" },
    { "pagertest",  "the user-level pager test suite" },
    { "pager-first",   "example pager: demand zero (docs/PAGER.md)" },
    { "pager-pattern", "example pager: pages of a pattern" },
    { "pager-evict",   "example pager: eviction to a store" },
    { "serial",     "driver: the console on COM1 (proc runs it)" },
    { "keyboard",   "driver: the PS/2 keyboard (proc runs it)" },
    { "disk",       "driver: the IDE disk (proc runs it)" },
    { "bootfs",     "server: this boot file system (proc runs it)" },
    { "pager",      "server: the default pager (proc runs it)" },
};

static void cmd_echo(uint32_t argc, char **argv)
{
    for (uint32_t i = 1; i < argc; i++)
        printf(i + 1 < argc ? "%s " : "%s", argv[i]);
    printf("\n");
}

static void cmd_ls(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    char name[BOOTFS_NAME_MAX];
    uint32_t size, files = 0;
    for (uint32_t i = 0; i == 0 || i < files; i++) {
        int err = bootfs_list(fs, i, name, &size, &files);
        if (err == ERR_RANGE)
            break;
        if (err) {
            printf("sh: ls: %s\n", strerror(err));
            return;
        }
        printf("%-24s %u\n", name, size);
    }
}

static void cmd_status(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    char how[96];
    if (!ran_any) {
        printf("no program has run yet\n");
        return;
    }
    describe(&last, how, sizeof how);
    printf("%s\n", how);
}

static void cmd_jobs(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    for (uint32_t j = 0; j < JOBS_MAX; j++)
        if (jobs[j].used)
            printf("[%u] running %s (pid %d)\n", j + 1, jobs[j].name, jobs[j].pid);
}

/* A decimal pid, or -1. */
static pid_t pid_arg(const char *arg)
{
    uint32_t n = 0;
    const char *d = arg;
    for (; *d >= '0' && *d <= '9' && n < 100000000u; d++)
        n = n * 10 + (uint32_t)(*d - '0');
    return *d || d == arg ? -1 : (pid_t)n;
}

/* kill %N: end job N; kill PID: end that process (one of the shell's descendants). */
static void cmd_kill(uint32_t argc, char **argv)
{
    if (argc != 2) {
        printf("sh: kill: usage: kill %%N | kill PID\n");
        return;
    }
    if (argv[1][0] != '%') {
        pid_t pid = pid_arg(argv[1]);
        if (pid < 0) {
            printf("sh: kill: %s: want %%N, a job number, or a pid\n", argv[1]);
            return;
        }
        for (uint32_t j = 0; j < JOBS_MAX; j++)
            if (jobs[j].used && jobs[j].pid == pid) {
                job_kill(j);
                return;
            }
        if (kill(pid, SIGKILL) == 0)
            return;
        if (errno == ERR_NO_RIGHTS)
            printf("sh: kill: %d: not one of the shell's descendants\n", pid);
        else
            printf("sh: kill: %d: %s\n", pid, strerror(errno));
        return;
    }
    int j = job_arg("kill", argv[1]);
    if (j >= 0)
        job_kill((uint32_t)j);
}

/* wait %N: until job N ends; wait: until every job has. */
static void cmd_wait(uint32_t argc, char **argv)
{
    int j = -1;
    if (argc > 2) {
        printf("sh: wait: usage: wait [%%N]\n");
        return;
    }
    if (argc == 2 && (j = job_arg("wait", argv[1])) < 0)
        return;
    for (;;) {
        int busy = 0;
        for (uint32_t k = 0; k < JOBS_MAX; k++)
            busy |= jobs[k].used && (j < 0 || (int)k == j);
        if (!busy) {
            if (j >= 0) {
                last = *job_last_ending((uint32_t)j);
                ran_any = 1;
            }
            return;
        }
        fill_input();
        if (take_interrupt()) {
            printf("^C\n");
            return;
        }
        idle(-1, NULL, NULL);
    }
}

static const char *const state_names[] = { [PROC_RUNNING] = "running", [PROC_ZOMBIE] = "zombie" };
static const char *const kind_names[] = {
    [PROC_PROGRAM] = "program", [PROC_DRIVER] = "driver", [PROC_SERVER] = "server",
};

#define NAME_OR(names, i) ((i) < sizeof names / sizeof names[0] && names[i] ? names[i] : "?")

/* ps: every process proc knows, a line each. */
static void cmd_ps(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    struct proc_entry e[PROC_LIST_MAX];
    uint32_t cursor = 0, n;
    printf("  PID  PPID STATE   KIND    THREADS  MEMORY  KERNEL NAME\n");
    do {
        int err = proc_list(&cursor, e, PROC_LIST_MAX, &n);
        if (err) {
            printf("sh: ps: %s\n", strerror(err));
            return;
        }
        for (uint32_t i = 0; i < n; i++)
            printf("%5u %5u %-7s %-7s %7u %6uK %6uK %.*s\n", e[i].pid, e[i].ppid,
                   NAME_OR(state_names, e[i].state), NAME_OR(kind_names, e[i].kind),
                   e[i].threads, e[i].kib, e[i].kernel_kib, (int)PROC_NAME_BYTES, e[i].name);
    } while (cursor);
}

static void cmd_exit(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    exit_requested = 1;
}

static void cmd_help(uint32_t argc, char **argv);

static const struct builtin builtins[] = {
    { "help",   "help            the commands and the programs",                      cmd_help },
    { "echo",   "echo WORDS      print the words",                                    cmd_echo },
    { "ls",     "ls              the boot file system: name and size",                cmd_ls },
    { "ps",     "ps              the processes: pid, parent, state, threads, memory", cmd_ps },
    { "status", "status          how the last program ended (exit, signal, fault)",   cmd_status },
    { "jobs",   "jobs            the background jobs still running",                  cmd_jobs },
    { "kill",   "kill %N|PID     end background job N, or process PID",               cmd_kill },
    { "wait",   "wait [%N]       wait for job N, or for every job",                   cmd_wait },
    { "exit",   "exit            end the shell",                                      cmd_exit },
};

#define BUILTINS (sizeof builtins / sizeof builtins[0])

static void cmd_help(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    char name[BOOTFS_NAME_MAX];
    uint32_t size, files = 0;
    for (uint32_t i = 0; i < BUILTINS; i++)
        printf("%s\n", builtins[i].usage);
    for (uint32_t i = 0; i == 0 || i < files; i++) {
        if (bootfs_list(fs, i, name, &size, &files) != ERR_NONE)
            break;
        if (!is_program(i))
            continue;
        size_t n = strlen(name);
        if (n > 4 && !strcmp(name + n - 4, ".elf"))
            name[n - 4] = '\0';
        const char *what = NULL;
        for (uint32_t k = 0; k < sizeof programs / sizeof programs[0] && !what; k++)
            if (!strcmp(programs[k].name, name))
                what = programs[k].what;
        if (what)
            printf("%-15s %s\n", name, what);
        else
            printf("%-15s a program in the boot file system (%u bytes)\n", name, size);
    }
}

/* Split line into words in place; returns how many, or ARGS_MAX + 1 if there are more. */
static uint32_t split(char *line, char **argv)
{
    uint32_t argc = 0;
    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (argc == ARGS_MAX)
            return ARGS_MAX + 1;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    argv[argc] = NULL;
    return argc;
}

void execute(char *line)
{
    char *argv[ARGS_MAX + 2];
    uint32_t argc = split(line, argv);
    if (argc > ARGS_MAX) {
        printf("sh: more than %u words\n", ARGS_MAX);
        return;
    }
    if (!argc)
        return;
    for (uint32_t i = 0; i < BUILTINS; i++)
        if (!strcmp(argv[0], builtins[i].name)) {
            builtins[i].fn(argc, argv);
            return;
        }
    run(argc, argv);
}
