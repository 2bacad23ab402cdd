/*
 * sh: the shell (docs/SHELL.md).  A prompt on the console, a line editor,
 * built-ins, and programs by name from the boot file system, run in the
 * foreground or, with a trailing `&`, in the background.
 *
 * Every child is started with libos' spawn from the image bootfs maps into
 * the shell's window (IMAGE_WINDOW), with a factory of its own: ending it
 * (Ctrl-C, kill) is spawn_release, which destroys that factory and so the
 * child, whatever threads it has, and everything it made.  Child j's end
 * signals bit j of one notification.  The shell never blocks on anything
 * but that notification, and for at most IDLE_TICKS: in between it reads
 * the console without waiting, so that it sees Ctrl-C while a program runs
 * and reports background jobs as they end.
 */
#include <relay/libos.h>
#include <relay/bootfs_client.h>

#define LINE_MAX      160u
#define ARGS_MAX      16u
#define JOBS_MAX      8u
#define INPUT_MAX     256u
#define IDLE_TICKS    2u                 /* 20 ms: how long the shell waits between looks */
#define IMAGE_WINDOW  0x60000000u        /* where bootfs maps the program to start */
#define CHILD_MEMORY_PAGES 256u          /* 1 MiB each child owns */
#define CHILD_KERNEL_PAGES 128u          /* 512 KiB of kernel memory: its own factory */
#define CHILD_PRIORITY 9u                /* below the shell's: a runaway loop cannot starve it */

#define CTRL_C 0x03
#define CTRL_D 0x04

struct job {
    int used;
    int background;
    char name[BOOTFS_NAME_MAX];
    struct child child;
};

struct ending {                          /* how a program ended, from task_status */
    uint32_t state, status;
};

static struct job jobs[JOBS_MAX];
static struct ending job_ending[JOBS_MAX];   /* how job j last ended, for wait %N */
static relay_handle exits;               /* bit j: job j ended */
static relay_handle fs;
static struct ending last = { TASK_EXITED, 0 };
static int ran_any;                      /* has `last` been set by a program */

static int at_prompt;                    /* a prompt and a line being typed are showing */
static char input[INPUT_MAX];            /* bytes read from the console, not yet used */
static uint32_t input_len;

/* ---- Output ---------------------------------------------------------------- */

static void describe(const struct ending *e, char *buf, size_t len)
{
    if (e->state == TASK_EXITED)
        snprintf(buf, len, "exited %u", e->status);
    else
        status_describe(e->state, e->status, buf, len);
}

/* ---- Jobs ------------------------------------------------------------------ */

/* Job j has ended as e: take its frames back and free the slot. */
static void job_end(uint32_t j, const struct ending *e)
{
    char how[80];
    job_ending[j] = *e;
    if (jobs[j].background) {
        describe(e, how, sizeof how);
        printf("%s[%u] done: %s\n", at_prompt ? "\n" : "", j + 1, how);
    }
    spawn_release(&jobs[j].child);
    jobs[j].used = 0;
}

/* End job j now, whatever it is doing; how it ended goes to *e. */
static void job_kill(uint32_t j, struct ending *e)
{
    uint32_t state, status;
    if (task_status(jobs[j].child.task, &state, &status) == ERR_NONE && state != TASK_ALIVE)
        *e = (struct ending){ state, status };    /* it ended on its own meanwhile */
    else
        *e = (struct ending){ TASK_KILLED, TASK_STATUS_RECLAIMED };
    job_end(j, e);
}

/* Reap the jobs whose bits are set; fg (or -1) is the foreground job, whose
 * end goes to *fg_end.  Returns how many background jobs it reported. */
static uint32_t reap(uint32_t bits, int fg, struct ending *fg_end, int *fg_done)
{
    uint32_t reported = 0;
    for (uint32_t j = 0; j < JOBS_MAX; j++) {
        struct ending e;
        if (!(bits & 1u << j) || !jobs[j].used
            || task_status(jobs[j].child.task, &e.state, &e.status) != ERR_NONE
            || e.state == TASK_ALIVE)
            continue;
        if ((int)j == fg) {
            *fg_end = e;
            *fg_done = 1;
        } else {
            reported++;
        }
        job_end(j, &e);
    }
    return reported;
}

/* Wait up to IDLE_TICKS for a job to end, and reap what ended. */
static uint32_t idle(int fg, struct ending *fg_end, int *fg_done)
{
    uint32_t bits = 0;
    if (notify_wait(exits, &bits, IDLE_TICKS) != ERR_NONE)
        return 0;
    return reap(bits, fg, fg_end, fg_done);
}

/* ---- Input ----------------------------------------------------------------- */

/* Read whatever the console has, without waiting; 0 if the console is gone. */
static int fill_input(void)
{
    size_t got = 0;
    if (input_len == INPUT_MAX)
        return 1;
    int err = console_read(input + input_len, INPUT_MAX - input_len, CHARDEV_NOWAIT, &got);
    if (err == ERR_NONE)
        input_len += (uint32_t)got;
    return err == ERR_NONE || err == ERR_TIMEOUT;
}

static int take_byte(char *c)
{
    if (!input_len)
        return 0;
    *c = input[0];
    memmove(input, input + 1, --input_len);
    return 1;
}

/* Ctrl-C typed ahead: drop it and everything typed before it; 1 if there was one. */
static int take_interrupt(void)
{
    for (uint32_t i = 0; i < input_len; i++)
        if (input[i] == CTRL_C) {
            memmove(input, input + i + 1, input_len - i - 1);
            input_len -= i + 1;
            return 1;
        }
    return 0;
}

enum edit { EDIT_MORE, EDIT_LINE, EDIT_END };

/* Byte c typed into the line buf[0..*n): echo it and edit the line. */
static enum edit edit(char c, char *buf, uint32_t *n)
{
    if (c == '\r' || c == '\n') {
        printf("\n");
        buf[*n] = '\0';
        return EDIT_LINE;
    } else if (c == 0x7f || c == 0x08) {
        if (*n) {
            (*n)--;
            printf("\b \b");
        }
    } else if (c == CTRL_C) {
        printf("^C\nrelay$ ");
        *n = 0;
    } else if (c == CTRL_D && !*n) {
        printf("\n");
        return EDIT_END;
    } else if (c >= 0x20 && c < 0x7f && *n + 1 < LINE_MAX) {
        buf[(*n)++] = c;
        printf("%c", c);
    }
    return EDIT_MORE;                  /* Ctrl-D on a line with text, other control bytes: ignored */
}

/* Read one line with echo and editing.  Returns 0 at Ctrl-D on an empty line
 * (or when the console is gone), 1 with the line in buf. */
static int read_line(char *buf)
{
    uint32_t n = 0;
    printf("relay$ ");
    for (;;) {
        char c;
        if (take_byte(&c)) {
            enum edit e = edit(c, buf, &n);
            if (e != EDIT_MORE)
                return e == EDIT_LINE;
            continue;
        }
        if (!fill_input())
            return 0;
        at_prompt = 1;
        uint32_t reported = input_len ? 0 : idle(-1, NULL, NULL);
        at_prompt = 0;
        if (reported) {
            buf[n] = '\0';
            printf("relay$ %s", buf);          /* a job's report cut the line: again */
        }
    }
}

/* Split line into words in place; returns how many, or ARGS_MAX + 1 if there are more than ARGS_MAX. */
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
    return argc;
}

/* ---- Programs -------------------------------------------------------------- */

/* Whether bootfs file `index` is an ELF image. */
static int is_program(uint32_t index)
{
    char magic[4];
    uint32_t got;
    return bootfs_read(fs, index, 0, magic, 4, &got) == ERR_NONE && got == 4
        && !memcmp(magic, "\x7f" "ELF", 4);
}

/* The bootfs file for command word `name`: name itself, else name.elf. */
static int find_program(const char *name, uint32_t *index, uint32_t *size)
{
    char file[BOOTFS_NAME_MAX];
    if (bootfs_stat(fs, name, index, size) == ERR_NONE)
        return ERR_NONE;
    if (strlen(name) + 5 > sizeof file)
        return ERR_NOT_FOUND;
    snprintf(file, sizeof file, "%s.elf", name);
    return bootfs_stat(fs, file, index, size);
}

/* Start argv as a program in job slot j. */
static int start(uint32_t j, uint32_t argc, char **argv, int background)
{
    uint32_t index, size, pages, offset;
    char cmdline[LINE_MAX];
    int err = find_program(argv[0], &index, &size);
    if (err == ERR_NOT_FOUND) {
        printf("sh: %s: no such command or program (help lists them)\n", argv[0]);
        return err;
    }
    if (!err && !is_program(index)) {
        printf("sh: %s: a file, not a program\n", argv[0]);
        return ERR_INVALID;
    }
    if (!err)
        err = bootfs_map(fs, index, IMAGE_WINDOW, &pages, &offset);
    if (err) {
        printf("sh: %s: cannot read it: %s\n", argv[0], strerror(err));
        return err;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < argc; i++)
        n += (uint32_t)snprintf(cmdline + n, sizeof cmdline - n, i ? " %s" : "%s", argv[i]);
    struct spawn_handle h[] = {
        { "console", console_handle(), RIGHT_SEND },
        { "fs", fs, RIGHT_SEND },
    };
    struct spawn_args a = {
        .image = (const void *)(IMAGE_WINDOW + offset),
        .image_size = size,
        .cmdline = cmdline,
        .factory = startup_info()->factory,
        .exit_notification = exits,
        .exit_bits = 1u << j,
        .memory_pages = CHILD_MEMORY_PAGES,
        .kernel_pages = CHILD_KERNEL_PAGES,
        .priority = CHILD_PRIORITY,
        .max_priority = CHILD_PRIORITY,
        .handles = h,
        .handle_count = 2,
    };
    err = spawn(&a, &jobs[j].child);
    if (err) {
        printf("sh: %s: cannot start: %s\n", argv[0], strerror(err));
        return err;
    }
    jobs[j].used = 1;
    jobs[j].background = background;
    snprintf(jobs[j].name, sizeof jobs[j].name, "%s", argv[0]);
    return ERR_NONE;
}

/* Wait for foreground job j to end, ending it at Ctrl-C. */
static void wait_foreground(uint32_t j)
{
    struct ending e;
    int done = 0;
    while (!done) {
        fill_input();
        if (take_interrupt()) {
            printf("^C\n");
            job_kill(j, &e);
            done = 1;
            break;
        }
        idle((int)j, &e, &done);
    }
    last = e;
    ran_any = 1;
    if (!(e.state == TASK_EXITED && e.status == 0)) {
        char how[80];
        describe(&e, how, sizeof how);
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

static void run(uint32_t argc, char **argv)
{
    int background = argc > 0 && !strcmp(argv[argc - 1], "&");
    if (background)
        argc--;
    if (!argc) {
        printf("sh: & with no command\n");
        return;
    }
    int j = free_slot();
    if (j < 0) {
        printf("sh: %u jobs already running: wait for one first\n", JOBS_MAX);
        return;
    }
    if (start((uint32_t)j, argc, argv, background) != ERR_NONE)
        return;
    if (background)
        printf("[%d] started\n", j + 1);
    else
        wait_foreground((uint32_t)j);
}

/* ---- Built-ins ------------------------------------------------------------- */

struct builtin {
    const char *name;
    const char *usage;
    void (*fn)(uint32_t argc, char **argv);
};

static void cmd_help(uint32_t argc, char **argv);

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
    char how[80];
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
            printf("[%u] running %s\n", j + 1, jobs[j].name);
}

/* "%N" as a running background job's slot, or -1 (said why). */
static int job_arg(const char *cmd, const char *arg)
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

static void cmd_kill(uint32_t argc, char **argv)
{
    if (argc != 2) {
        printf("sh: kill: usage: kill %%N\n");
        return;
    }
    int j = job_arg("kill", argv[1]);
    struct ending e;
    if (j >= 0) {
        job_kill((uint32_t)j, &e);
        last = e;
        ran_any = 1;
    }
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
                last = job_ending[j];
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

static int exit_requested;

static void cmd_exit(uint32_t argc, char **argv)
{
    (void)argc, (void)argv;
    exit_requested = 1;
}

static const struct builtin builtins[] = {
    { "help",   "help            the commands and the programs",          cmd_help },
    { "echo",   "echo WORDS      print the words",                        cmd_echo },
    { "ls",     "ls              the boot file system: name and size",    cmd_ls },
    { "status", "status          how the last program ended (foreground, killed or waited for)",             cmd_status },
    { "jobs",   "jobs            the background jobs still running",      cmd_jobs },
    { "kill",   "kill %N         end background job N",                   cmd_kill },
    { "wait",   "wait [%N]       wait for job N, or for every job",       cmd_wait },
    { "exit",   "exit            end the shell",                          cmd_exit },
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
        printf("%-15s a program in the boot file system (%u bytes)\n", name, size);
    }
}

static void execute(char *line)
{
    char *argv[ARGS_MAX + 1];
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

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    fs = startup_handle("fs");
    if (console_handle() == HANDLE_NULL || fs == HANDLE_NULL) {
        printf("sh: needs the startup handles \"console\" and \"fs\"\n");
        return 1;
    }
    int err = notification_create(startup_info()->factory, &exits);
    if (err) {
        printf("sh: cannot set up: %s\n", strerror(err));
        return 1;
    }
    printf("sh: ready; help lists the commands\n");
    char line[LINE_MAX];
    while (!exit_requested && read_line(line))
        execute(line);
    for (uint32_t j = 0; j < JOBS_MAX; j++) {          /* what still runs ends with the shell */
        struct ending e;
        if (jobs[j].used)
            job_kill(j, &e);
    }
    return 0;
}
