/*
 * The shell's programs (docs/SHELL.md): each runs as a process of its own,
 * a child of the shell, started by name through the process server
 * (spawnv, relay/process.h), in the foreground or the background.  proc
 * signals the startup notification "child" each time a child ends; the
 * shell waits on it for at most IDLE_TICKS at a time, reaps what ended
 * with waitpid's WNOHANG (proc_wait, which says the fault too), and in
 * between reads the console, so that it sees Ctrl-C while a program runs
 * and reports background jobs as they end.  Ending a program -- Ctrl-C,
 * kill -- is kill(): proc ends the process, everything in it and all it
 * made, and the shell reaps it at once.
 */
#include "sh.h"

#define KILL_WAIT_TICKS 500u             /* 5 s: a killed child must be reapable by then */

struct job jobs[JOBS_MAX];
struct proc_status last;
int ran_any;
static struct proc_status job_ending[JOBS_MAX];   /* how job j last ended, for wait %N */
static relay_handle child_ended;         /* "child": bit PROC_CHILD_BIT when a child ends */

int jobs_setup(void)
{
    child_ended = startup_handle("child");
    return child_ended != HANDLE_NULL;
}

void describe(const struct proc_status *s, char *buf, size_t len)
{
    proc_status_describe(s, buf, len);
}

static int job_of(uint32_t pid)
{
    for (uint32_t j = 0; j < JOBS_MAX; j++)
        if (jobs[j].used && (uint32_t)jobs[j].pid == pid)
            return (int)j;
    return -1;
}

/* Job j has ended as s (and been reaped): report it if it ran in the background, free the slot. */
static void job_end(uint32_t j, const struct proc_status *s)
{
    char how[96];
    job_ending[j] = *s;
    if (jobs[j].background) {
        describe(s, how, sizeof how);
        printf("%s[%u] done: %s\n", at_prompt ? "\n" : "", j + 1, how);
    }
    jobs[j].used = 0;
}

/* Reap every child that has ended; fg (or -1) is the foreground job, whose
 * end goes to *fg_end.  Returns how many background jobs it reported. */
static uint32_t reap(int fg, struct proc_status *fg_end, int *fg_done)
{
    uint32_t reported = 0;
    struct proc_status s;
    while (proc_wait(-1, WNOHANG, &s) == ERR_NONE) {
        int j = job_of(s.pid);
        if (j < 0)
            continue;                    /* every child is a job: cannot happen */
        if (j == fg) {
            *fg_end = s;
            *fg_done = 1;
        } else if (jobs[j].background) {
            reported++;
        }
        job_end((uint32_t)j, &s);
    }
    return reported;
}

uint32_t idle(int fg, struct proc_status *fg_end, int *fg_done)
{
    uint32_t bits = 0;
    if (notify_wait(child_ended, &bits, IDLE_TICKS) != ERR_NONE)
        return 0;
    return reap(fg, fg_end, fg_done);
}

/* End job j and reap it: 1 with how it ended in *s, or 0 (said why) if it would not end. */
static int job_kill_status(uint32_t j, struct proc_status *s)
{
    int done = 0;
    pid_t pid = jobs[j].pid;
    if (kill(pid, SIGKILL) < 0 && errno != ERR_NO_PROCESS) {   /* a zombie already: reap it */
        printf("sh: kill %d: %s\n", pid, strerror(errno));
        return 0;
    }
    for (uint32_t waited = 0; !done && waited <= KILL_WAIT_TICKS; waited += IDLE_TICKS)
        idle((int)j, s, &done);
    if (!done)
        printf("sh: %s (pid %d) was killed but has not ended\n", jobs[j].name, pid);
    return done;
}

void job_kill(uint32_t j)
{
    struct proc_status s;
    if (job_kill_status(j, &s)) {
        last = s;
        ran_any = 1;
    }
}

void jobs_end_all(void)
{
    for (uint32_t j = 0; j < JOBS_MAX; j++)
        if (jobs[j].used)
            job_kill(j);
}

/* ---- Programs -------------------------------------------------------------- */

int is_program(uint32_t index)
{
    char magic[4];
    uint32_t got;
    return bootfs_read(fs, index, 0, magic, 4, &got) == ERR_NONE && got == 4
        && !memcmp(magic, "\x7f" "ELF", 4);
}

/* The boot file system's file for command word `name`: name itself, else name.elf. */
int find_program(const char *name, char file[BOOTFS_NAME_MAX], uint32_t *index, uint32_t *size)
{
    if (strlen(name) + 5 > BOOTFS_NAME_MAX)
        return ERR_NOT_FOUND;
    snprintf(file, BOOTFS_NAME_MAX, "%s", name);
    if (bootfs_stat(fs, file, index, size) == ERR_NONE)
        return ERR_NONE;
    snprintf(file, BOOTFS_NAME_MAX, "%s.elf", name);
    return bootfs_stat(fs, file, index, size);
}

/* Start argv as a process in job slot j. */
static int start(uint32_t j, char **argv, int background)
{
    char file[BOOTFS_NAME_MAX];
    uint32_t index, size;
    int err = find_program(argv[0], file, &index, &size);
    if (err == ERR_NOT_FOUND) {
        printf("sh: %s: no such command or program (help lists them)\n", argv[0]);
        return err;
    }
    if (err) {
        printf("sh: %s: cannot look it up: %s\n", argv[0], strerror(err));
        return err;
    }
    if (!is_program(index)) {
        printf("sh: %s: a file, not a program\n", argv[0]);
        return ERR_INVALID;
    }
    pid_t pid = spawnv(argv[0], argv);   /* proc finds "hello" as hello.elf too */
    if (pid < 0) {
        printf("sh: %s: cannot start: %s\n", argv[0], strerror(errno));
        return errno;
    }
    jobs[j] = (struct job){ .used = 1, .background = background, .pid = pid };
    snprintf(jobs[j].name, sizeof jobs[j].name, "%s", argv[0]);
    return ERR_NONE;
}

/* Wait for foreground job j to end, ending it at Ctrl-C. */
static void wait_foreground(uint32_t j)
{
    struct proc_status s;
    int done = 0;
    while (!done) {
        fill_input();
        if (take_interrupt()) {
            printf("^C\n");
            if (!job_kill_status(j, &s))
                return;
            break;
        }
        idle((int)j, &s, &done);
    }
    last = s;
    ran_any = 1;
    if (!(WIFEXITED(s.posix) && WEXITSTATUS(s.posix) == 0)) {
        char how[96];
        describe(&s, how, sizeof how);
        printf("sh: %s: %s\n", jobs[j].name, how);   /* the slot is free, its name still there */
    }
}

static int free_slot(void)
{
    for (uint32_t j = 0; j < JOBS_MAX; j++)
        if (!jobs[j].used)
            return (int)j;
    return -1;
}

void run(uint32_t argc, char **argv)
{
    int background = argc > 0 && !strcmp(argv[argc - 1], "&");
    if (background)
        argv[--argc] = NULL;
    if (!argc) {
        printf("sh: & with no command\n");
        return;
    }
    int j = free_slot();
    if (j < 0) {
        printf("sh: %u jobs already running: wait for one first\n", JOBS_MAX);
        return;
    }
    if (start((uint32_t)j, argv, background) != ERR_NONE)
        return;
    if (background)
        printf("[%d] started (pid %d)\n", j + 1, jobs[j].pid);
    else
        wait_foreground((uint32_t)j);
}

/* "%N" as a running job's slot, or -1 (said why). */
int job_arg(const char *cmd, const char *arg)
{
    uint32_t n = 0;
    const char *d = arg + 1;
    if (arg[0] == '%')
        for (; *d >= '0' && *d <= '9' && n <= JOBS_MAX; d++)
            n = n * 10 + (uint32_t)(*d - '0');
    if (arg[0] != '%' || *d || d == arg + 1) {
        printf("sh: %s: %s: want %%N, a job number\n", cmd, arg);
        return -1;
    }
    if (n < 1 || n > JOBS_MAX || !jobs[n - 1].used) {
        printf("sh: %s: %s: no such job\n", cmd, arg);
        return -1;
    }
    return (int)n - 1;
}

/* How job j ended, once it has (for wait %N). */
const struct proc_status *job_last_ending(uint32_t j)
{
    return &job_ending[j];
}
