/*
 * sh: the shell (docs/SHELL.md).  A prompt on the console, a line editor,
 * built-ins (commands.c), and programs by name from the boot file system,
 * run as processes in the foreground or, with a trailing `&`, in the
 * background (jobs.c).
 *
 * The shell reads the console without waiting (CHARDEV_NOWAIT) and in
 * between waits at most IDLE_TICKS for a child to end, so that it sees
 * Ctrl-C while a program runs and reports background jobs as they end.
 *
 * `sh bench` is the shell_roundtrip benchmark (make bench): see bench().
 */
#include "sh.h"
#include <relay/cycles.h>
#include <relay/names_client.h>

#define INPUT_MAX    256u
#define BENCH_ROUNDS 9u
#define CTRL_C 0x03
#define CTRL_D 0x04

relay_handle fs;
int at_prompt;
int exit_requested;
static char input[INPUT_MAX];            /* bytes read from the console, not yet used */
static uint32_t input_len;

/* ---- Input ----------------------------------------------------------------- */

int fill_input(void)
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

int take_interrupt(void)
{
    for (uint32_t i = 0; i < input_len; i++)
        if (input[i] == CTRL_C) {
            memmove(input, input + i + 1, input_len - i - 1);
            input_len -= i + 1;
            return 1;
        }
    return 0;
}

static void prompt(void)
{
    printf("relay$ ");
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
        printf("^C\n");
        prompt();
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

/* Read one line, after the prompt, with echo and editing.  Returns 0 at
 * Ctrl-D on an empty line (or when the console is gone), 1 with the line in buf. */
static int read_line(char *buf)
{
    uint32_t n = 0;
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
            prompt();
            printf("%s", buf);           /* a job's report cut the line: again */
        }
    }
}

/* ---- The benchmark --------------------------------------------------------- */

/* Bytes into the console's input as if typed there (CHARDEV_INPUT, the
 * keyboard driver's way); all of them or an error. */
static int type(const char *text)
{
    struct msg m = { .label = CHARDEV_INPUT };
    uint32_t n = (uint32_t)strlen(text);
    m.length = chardev_words(n);
    chardev_pack(m.w, (const uint8_t *)text, n);
    int err = ipc_call(console_handle(), &m, TIMEOUT_FOREVER);
    if (!err)
        err = (int)m.label;
    return err ? err : m.length >= 1 && m.w[0] == n ? ERR_NONE : ERR_NO_MEMORY;
}

/* shell_roundtrip: the guest instructions (rdtsc under -icount shift=0)
 * from a line typed at the console -- "true" and Enter, put into the
 * console driver's input -- until the shell has read and echoed it, run
 * the program `true` as a process, reaped it, and printed the next prompt.
 * The median of BENCH_ROUNDS, after one round to warm up.  Each round's
 * `true` must have exited 0. */
static int bench(void)
{
    uint32_t cost[BENCH_ROUNDS];
    char line[LINE_MAX];
    int err = ERR_NONE;
    prompt();
    for (int round = -1; round < (int)BENCH_ROUNDS && !err; round++) {
        ran_any = 0;
        uint64_t t0 = rdtsc();
        err = type("true\r");
        if (!err && !read_line(line))
            err = ERR_NO_PARTNER;
        if (!err) {
            execute(line);
            prompt();
        }
        uint64_t t1 = rdtsc();
        if (!err && !(ran_any && WIFEXITED(last.posix) && WEXITSTATUS(last.posix) == 0))
            err = ERR_STATE;
        if (round >= 0)
            cost[round] = (uint32_t)(t1 - t0);
    }
    printf("\n");
    if (err) {
        printf("FAIL shell_roundtrip: %s\nsh: 0 passed, 1 failed\n", strerror(err));
        return 1;
    }
    printf("BENCH shell_roundtrip %u\n", median_u32(cost, BENCH_ROUNDS));
    printf("PASS shell_roundtrip: a typed line ran true and the next prompt came, %u times\n",
           BENCH_ROUNDS + 1);
    printf("sh: 1 passed, 0 failed\n");
    return 0;
}

int main(int argc, char **argv)
{
    fs = startup_handle("fs");
    if (fs == HANDLE_NULL)
        name_lookup("fs", &fs);          /* the boot file system, by name */
    if (console_handle() == HANDLE_NULL || fs == HANDLE_NULL || !jobs_setup()) {
        printf("sh: needs a console, the boot file system \"fs\" and the startup handle \"child\"\n");
        return 1;
    }
    if (argc == 2 && !strcmp(argv[1], "bench"))
        return bench();
    printf("sh: ready; help lists the commands\n");
    char line[LINE_MAX];
    while (!exit_requested) {
        prompt();
        if (!read_line(line))
            break;
        execute(line);
    }
    jobs_end_all();                      /* what still runs ends with the shell */
    return 0;
}
