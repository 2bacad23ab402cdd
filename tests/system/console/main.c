/*
 * The console suite: the serial driver (servers/drivers/serial) as the
 * system console, and the keyboard driver feeding it, seen from a program
 * that proc gave a "console" handle (docs/DRIVERS.md).
 *
 * The host side (tools/qemu-test --serial-input, --monitor-input; see
 * tests/suites) feeds COM1 once this prints "serial-input: ready", and
 * types keys with the monitor's sendkey once it prints "monitor-input:
 * ready".  What COM1 receives is pattern.h's: 64 KiB of every byte value,
 * then text this program writes back, which the host finds in the log.
 */
#include <relay/libos.h>
#include "../lib/roles.h"
#include "../lib/utest.h"
#include "pattern.h"

#define KEYS_EXPECTED "hello A!Rr2\x03\x04" "B/?\n"   /* what keys.txt types */
#define KEYS_TICKS    2000u       /* 20 s for the keys to arrive */
#define HOLD_TICKS    50u         /* the pause that lets the input fill up */
#define HOLD_AFTER    1024u       /* bytes read before it */
#define QUIET_TICKS   500u        /* 5 s without input: bytes were lost */

static relay_handle nap_n;        /* a notification nobody signals: sleeping */

static void nap(uint32_t ticks)
{
    uint32_t bits;
    if (nap_n == HANDLE_NULL)
        notification_create(startup_info()->factory, &nap_n);
    notify_wait(nap_n, &bits, ticks);
}

/* A request of our own making, for the errors (libos' client makes only good ones). */
static int raw(uint32_t label, const uint32_t *words, uint32_t n, struct msg *reply)
{
    return rpc_call(console_handle(), label, words, n, reply);
}

static int input(const char *s)
{
    uint32_t w[MSG_WORDS_MAX];
    struct msg reply;
    uint32_t n = (uint32_t)strlen(s);
    chardev_pack(w, (const uint8_t *)s, n);
    int err = raw(CHARDEV_INPUT, w, chardev_words(n), &reply);
    return err ? err : reply.w[0] == n ? ERR_NONE : ERR_RANGE;
}

TEST(console_given, "proc gave this program a console, and printf goes through it")
{
    CHECK(console_handle() != HANDLE_NULL);
    CHECK_EQ(console_write("console: a line written raw\r\n", 29), ERR_NONE);
    CHECK_EQ(console_flush(), ERR_NONE);
}

TEST(bad_requests, "unknown labels, bad counts, short messages and bad flags get their errors")
{
    struct msg r;
    uint32_t w[MSG_WORDS_MAX] = { 0 };
    CHECK_EQ(raw(0x6300, w, 0, &r), ERR_INVALID);                 /* no such operation */
    CHECK_EQ(raw(CHARDEV_FLUSH + 0x100, w, 1, &r), ERR_INVALID);
    CHECK_EQ(raw(CHARDEV_WRITE, w, 0, &r), ERR_INVALID);          /* no count */
    CHECK_EQ(raw(CHARDEV_WRITE, w, 1, &r), ERR_RANGE);            /* count 0 */
    w[0] = CHARDEV_BYTES_MAX + 1;
    CHECK_EQ(raw(CHARDEV_WRITE, w, MSG_WORDS_MAX, &r), ERR_RANGE);
    CHECK_EQ(raw(CHARDEV_INPUT, w, MSG_WORDS_MAX, &r), ERR_RANGE);
    w[0] = 10;                                                    /* needs 1 + 3 words */
    CHECK_EQ(raw(CHARDEV_WRITE, w, 3, &r), ERR_INVALID);
    CHECK_EQ(raw(CHARDEV_INPUT, w, 2, &r), ERR_INVALID);
    w[0] = 0, w[1] = 0;
    CHECK_EQ(raw(CHARDEV_READ, w, 2, &r), ERR_RANGE);             /* read 0 bytes */
    w[0] = CHARDEV_BYTES_MAX + 1;
    CHECK_EQ(raw(CHARDEV_READ, w, 2, &r), ERR_RANGE);
    w[0] = 1, w[1] = 0x80;
    CHECK_EQ(raw(CHARDEV_READ, w, 2, &r), ERR_INVALID);           /* unknown flag */
    CHECK_EQ(raw(CHARDEV_READ, w, 1, &r), ERR_INVALID);           /* no flags word */
}

TEST(read_nowait_empty, "a READ with CHARDEV_NOWAIT and no input: ERR_TIMEOUT at once")
{
    char c;
    size_t got = 99;
    CHECK_EQ(console_read(&c, 1, CHARDEV_NOWAIT, &got), ERR_TIMEOUT);
    CHECK_EQ(got, 0);
}

struct reader {
    char buf[8];
    size_t got;
    int err;
    volatile int done;
};

static void read_one(void *arg)
{
    struct reader *r = arg;
    r->err = console_read(r->buf, 1, 0, &r->got);
    r->done = 1;
}

/* Start n readers that each wait for one byte; 0 if a thread could not start. */
static int start_readers(struct reader *r, struct thread **t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct thread_spec spec = { .fn = read_one, .arg = &r[i], .priority = 10 };
        if (thread_spawn(&spec, &t[i]))
            return 0;
    }
    nap(5);                                                       /* they are waiting */
    return 1;
}

TEST(input_wakes_a_reader, "a blocked READ returns the bytes INPUT brings, in order")
{
    struct reader r = { 0 };
    struct thread *t;
    CHECK(start_readers(&r, &t, 1));
    CHECK(!r.done);
    CHECK_EQ(input("xy"), ERR_NONE);
    for (int i = 0; i < 100 && !r.done; i++)
        nap(1);
    CHECK(r.done);
    CHECK_EQ(r.err, ERR_NONE);
    CHECK_EQ(r.got, 1);
    CHECK_EQ(r.buf[0], 'x');
    char c;
    size_t got;
    CHECK_EQ(console_read(&c, 1, CHARDEV_NOWAIT, &got), ERR_NONE);
    CHECK_EQ(c, 'y');
    thread_release(t);
}

TEST(waiters_max, "CHARDEV_WAITERS_MAX READs wait; one more gets ERR_STATE; INPUT wakes them all")
{
    struct reader r[CHARDEV_WAITERS_MAX] = { 0 };
    struct thread *t[CHARDEV_WAITERS_MAX];
    CHECK(start_readers(r, t, CHARDEV_WAITERS_MAX));
    struct msg m = { .label = CHARDEV_READ, .length = 2, .w = { 1, 0 } };
    CHECK_EQ(ipc_call(console_handle(), &m, 200), ERR_NONE);    /* not a wait (ERR_TIMEOUT) */
    CHECK_EQ(m.label, ERR_STATE);
    CHECK_EQ(input("abcde"), ERR_NONE);
    char seen[CHARDEV_WAITERS_MAX + 1] = { 0 };
    for (uint32_t i = 0; i < CHARDEV_WAITERS_MAX; i++) {
        for (int k = 0; k < 100 && !r[i].done; k++)
            nap(1);
        CHECK(r[i].done && r[i].err == ERR_NONE && r[i].got == 1);
        if (r[i].buf[0] >= 'a' && r[i].buf[0] < 'a' + (int)CHARDEV_WAITERS_MAX)
            seen[r[i].buf[0] - 'a'] = 1;
        thread_release(t[i]);
    }
    for (uint32_t i = 0; i < CHARDEV_WAITERS_MAX; i++)
        CHECK(seen[i]);                                           /* each byte to one reader */
}

/* A child: writes "child" to its console; exits with the error (ERR_BAD_HANDLE: none). */
ROLE(console_child)
{
    (void)argc, (void)argv;
    return console_write("child\r\n", 7);
}

TEST(children_inherit_the_console, "a program this one spawns gets its console, unless spawn names another")
{
    struct child c;
    relay_handle exit_n, ep;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=console_child", HANDLE_NULL, 10, 64, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, ERR_NONE);
    /* Named in spawn_args: the child writes to our endpoint instead. */
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    struct spawn_handle named = { "console", ep, RIGHT_SEND };
    CHECK_EQ(role_spawn_with("role=console_child", HANDLE_NULL, 10, 64, &named, 1, &c, &exit_n),
             ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, 500), ERR_NONE);
    CHECK_EQ(m.label, CHARDEV_WRITE);
    CHECK(m.length == chardev_words(7) && m.w[0] == 7 && !memcmp(&m.w[1], "child\r\n", 7));
    struct msg reply = { .label = ERR_NONE, .length = 1, .w = { 7 } };
    CHECK_EQ(ipc_reply(&reply), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, ERR_NONE);
    handle_delete(ep);
}

/* Read what there is, waiting up to ticks for the first byte (ERR_TIMEOUT):
 * a byte the driver lost shows as a wrong byte or as a wait that ends. */
static int read_within(void *buf, size_t n, size_t *got, uint32_t ticks)
{
    for (uint32_t tick = 0;; tick++) {
        int err = console_read(buf, n, CHARDEV_NOWAIT, got);
        if (err != ERR_TIMEOUT || tick == ticks)
            return err;
        nap(1);
    }
}

TEST(serial_64k, "64 KiB fed into COM1 arrive byte for byte, across a full input buffer")
{
    static uint8_t buf[CHARDEV_BYTES_MAX];
    uint32_t state = PATTERN_SEED, at = 0, bad = 0;
    int held = 0;
    printf("serial-input: ready\n");
    while (at < PATTERN_BYTES) {
        if (at >= HOLD_AFTER && !held++)
            nap(HOLD_TICKS);              /* the host keeps sending: the buffer fills */
        size_t want = PATTERN_BYTES - at < sizeof buf ? PATTERN_BYTES - at : sizeof buf, got;
        int err = read_within(buf, want, &got, QUIET_TICKS);
        CHECK_EQ(err, ERR_NONE);
        if (err) {
            utest_note("nothing more came after %u bytes", at);
            return;
        }
        for (size_t i = 0; i < got && !bad; i++, at++) {
            uint8_t want_byte = pattern_next(&state);
            if (buf[i] != want_byte) {        /* lost or changed: what follows is off too */
                bad = 1;
                utest_note("offset %u: 0x%02x, want 0x%02x", at, buf[i], want_byte);
            }
        }
        if (bad)
            break;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(at, PATTERN_BYTES);
}

TEST(echo, "text fed into COM1 is read (READs that wait) and written back whole (tests/suites checks the log)")
{
    char line[ECHO_LINE_LEN], got_line[ECHO_LINE_LEN];
    uint32_t wrong = 0;
    printf("echo-begin\n");
    for (uint32_t i = 0; i < ECHO_LINES; i++) {
        echo_line(i, line);
        for (size_t have = 0; have < sizeof got_line;) {
            size_t got;
            if (console_read(got_line + have, sizeof got_line - have, 0, &got))
                break;
            if (console_write(got_line + have, got))
                wrong++;
            have += got;
        }
        wrong += memcmp(line, got_line, sizeof line) != 0;
    }
    printf("echo-end\n");
    CHECK_EQ(wrong, 0);
}

TEST(keyboard, "keys typed with sendkey (shift, caps lock, ctrl) arrive as their characters")
{
    char got[64];
    size_t have = 0;
    printf("monitor-input: ready\n");
    for (uint32_t tick = 0; tick < KEYS_TICKS && have < sizeof KEYS_EXPECTED - 1; tick++) {
        size_t n;
        int err = console_read(got + have, sizeof got - have, CHARDEV_NOWAIT, &n);
        if (err == ERR_NONE)
            have += n;
        else if (err == ERR_TIMEOUT)
            nap(1);
        else
            break;                        /* no console */
    }
    CHECK_EQ(have, sizeof KEYS_EXPECTED - 1);
    CHECK(have == sizeof KEYS_EXPECTED - 1 && !memcmp(got, KEYS_EXPECTED, have));
    char shown[256];
    size_t len = 0;
    for (size_t i = 0; i < have && len + 5 < sizeof shown; i++)
        len += (size_t)snprintf(shown + len, sizeof shown - len,
                                got[i] >= 0x20 && got[i] < 0x7F ? "%c" : "\\x%02x", (uint8_t)got[i]);
    shown[len] = '\0';
    utest_note("arrived: \"%s\"", shown);
}

int main(int argc, char **argv)
{
    return utest_main("console", argc, argv);
}
