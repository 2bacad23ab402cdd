/*
 * The process API's pure half (libos/process_format.c, relay/process.h):
 * argv packed as PROC_SPAWN and PROC_EXEC carry it (ipc/relay/proc.h),
 * every limit and its error, and how a child's end reads.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <relay/process.h>
#include <relay/signal.h>
#include <relay/error.h>

static uint32_t w[MSG_WORDS_MAX];

/* The packed strings as the server would read them: argc of them, in order. */
static void expect_packed(uint32_t words, const char *const want[], uint32_t argc)
{
    cr_assert_eq(w[0], argc);
    const char *p = (const char *)&w[1];
    uint32_t bytes = 0;
    for (uint32_t i = 0; i < argc; i++) {
        cr_assert_str_eq(p + bytes, want[i]);
        bytes += (uint32_t)strlen(want[i]) + 1;
    }
    cr_assert_eq(words, 1 + (bytes + 3) / 4);
    for (uint32_t b = bytes; b < (words - 1) * 4; b++)
        cr_assert_eq(p[b], 0, "byte %u after the last string is not zero", b);
}

Test(process, pack_name_stands_for_argv0)
{
    char *argv[] = { "whatever", "a", "bc", NULL };
    uint32_t words;
    memset(w, 0xAA, sizeof w);
    cr_assert_eq(proc_argv_pack("hello", argv, w, &words), ERR_NONE);
    expect_packed(words, (const char *[]){ "hello", "a", "bc" }, 3);
    cr_assert_eq(words, 4);                       /* "hello\0a\0bc\0" is 11 bytes: 3 words */
}

Test(process, pack_without_argv)
{
    uint32_t words;
    memset(w, 0xAA, sizeof w);
    cr_assert_eq(proc_argv_pack("sh", NULL, w, &words), ERR_NONE);
    expect_packed(words, (const char *[]){ "sh" }, 1);
    char *empty[] = { NULL };
    cr_assert_eq(proc_argv_pack("hello", empty, w, &words), ERR_NONE);
    expect_packed(words, (const char *[]){ "hello" }, 1);
    char *only0[] = { "x", NULL };
    cr_assert_eq(proc_argv_pack("hello", only0, w, &words), ERR_NONE);
    expect_packed(words, (const char *[]){ "hello" }, 1);
}

Test(process, pack_empty_strings_after_the_name)
{
    char *argv[] = { "p", "", "", NULL };
    uint32_t words;
    cr_assert_eq(proc_argv_pack("p", argv, w, &words), ERR_NONE);
    expect_packed(words, (const char *[]){ "p", "", "" }, 3);
}

Test(process, pack_no_name)
{
    uint32_t words;
    cr_assert_eq(proc_argv_pack(NULL, NULL, w, &words), ERR_INVALID);
    cr_assert_eq(proc_argv_pack("", NULL, w, &words), ERR_INVALID);
}

Test(process, pack_argument_count_limit)
{
    char *argv[STARTUP_ARGS_MAX + 2];
    uint32_t words;
    for (int i = 0; i < STARTUP_ARGS_MAX + 1; i++)
        argv[i] = "x";
    argv[STARTUP_ARGS_MAX] = NULL;                /* the name and 15 more: 16 */
    cr_assert_eq(proc_argv_pack("p", argv, w, &words), ERR_NONE);
    cr_assert_eq(w[0], STARTUP_ARGS_MAX);
    argv[STARTUP_ARGS_MAX] = "x";                 /* 17 */
    argv[STARTUP_ARGS_MAX + 1] = NULL;
    cr_assert_eq(proc_argv_pack("p", argv, w, &words), ERR_RANGE);
}

Test(process, pack_byte_limit)
{
    char fits[PROC_ARGV_BYTES], over[PROC_ARGV_BYTES + 1];
    uint32_t words;
    memset(fits, 'a', sizeof fits - 1);           /* with its NUL: exactly PROC_ARGV_BYTES */
    fits[sizeof fits - 1] = 0;
    cr_assert_eq(proc_argv_pack(fits, NULL, w, &words), ERR_NONE);
    cr_assert_eq(words, MSG_WORDS_MAX);
    memset(over, 'a', sizeof over - 1);
    over[sizeof over - 1] = 0;
    cr_assert_eq(proc_argv_pack(over, NULL, w, &words), ERR_TOO_LONG);
    char *argv[] = { "p", fits + 1, NULL };       /* "p\0" + 122 bytes + NUL: one too many */
    cr_assert_eq(proc_argv_pack("p", argv, w, &words), ERR_TOO_LONG);
    argv[1] = fits + 2;
    cr_assert_eq(proc_argv_pack("p", argv, w, &words), ERR_NONE);
}

static const char *described(struct proc_status s)
{
    static char buf[128];
    size_t n = proc_status_describe(&s, buf, sizeof buf);
    cr_assert_eq(n, strlen(buf));
    return buf;
}

static const struct proc_fault no_fault = { PROC_NO_FAULT, 0, 0, 0 };

Test(process, describe_exits)
{
    cr_assert_str_eq(described((struct proc_status){ 5, 0, TASK_EXITED, 0, no_fault }), "exited 0");
    cr_assert_str_eq(described((struct proc_status){ 5, 3 << 8, TASK_EXITED, 3, no_fault }), "exited 3");
    cr_assert_str_eq(described((struct proc_status){ 5, 255 << 8, TASK_EXITED, 255, no_fault }),
                     "exited 255");
}

Test(process, describe_signals)
{
    cr_assert_str_eq(described((struct proc_status){ 5, SIGKILL, TASK_KILLED, TASK_STATUS_KILLED,
                                                     no_fault }), "killed by SIGKILL");
    cr_assert_str_eq(described((struct proc_status){ 5, SIGSEGV, TASK_KILLED, 139, no_fault }),
                     "killed by SIGSEGV");
    cr_assert_str_eq(described((struct proc_status){ 5, SIGFPE, TASK_KILLED, 136, no_fault }),
                     "killed by SIGFPE");
}

Test(process, describe_faults)
{
    struct proc_fault pf = { 14, 6, 0x00400123, 0x00000000 }, de = { 0, 0, 0x0040abcd, 0x1234 };
    cr_assert_str_eq(described((struct proc_status){ 5, SIGSEGV, TASK_KILLED, 14, pf }),
                     "killed by #PF at eip=0x00400123 cr2=0x00000000");
    cr_assert_str_eq(described((struct proc_status){ 5, SIGFPE, TASK_KILLED, 0, de }),
                     "killed by #DE at eip=0x0040abcd");
}

Test(process, describe_cut_to_the_buffer)
{
    char buf[8];
    struct proc_status s = { 5, SIGKILL, TASK_KILLED, TASK_STATUS_KILLED, no_fault };
    cr_assert_eq(proc_status_describe(&s, buf, sizeof buf), strlen("killed by SIGKILL"));
    cr_assert_str_eq(buf, "killed ");
}

Test(process, describe_not_ended)
{
    cr_assert_str_eq(described((struct proc_status){ 5, 0x7F, TASK_ALIVE, 0, no_fault }), "running");
}
