/* printf and puts on the kernel console: see relay/stdio.h. */
#include <stdint.h>
#include <relay/stdio.h>
#include <relay/sys.h>
#include <relay/string.h>
#include <relay/error.h>

#define CHUNK 128                 /* bytes per debug_write; a line usually fits one */

struct console {
    char buf[CHUNK];
    size_t len;
    int error;                    /* the first write's error, or ERR_NONE */
};

static void flush(struct console *c)
{
    if (c->len) {
        int err = (int)sys_debug_write((uint32_t)c->buf, c->len).error;
        if (!c->error)
            c->error = err;
    }
    c->len = 0;
}

static void to_console(void *ctx, const char *s, size_t n)
{
    struct console *c = ctx;
    while (n) {
        size_t room = CHUNK - c->len, part = n < room ? n : room;
        memcpy(c->buf + c->len, s, part);
        c->len += part, s += part, n -= part;
        if (c->len == CHUNK)
            flush(c);
    }
}

int vprintf(const char *fmt, va_list ap)
{
    struct console c = { .len = 0, .error = ERR_NONE };
    int n = vformat(to_console, &c, fmt, ap);
    flush(&c);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    struct console c = { .len = 0, .error = ERR_NONE };
    to_console(&c, s, strlen(s));
    to_console(&c, "\n", 1);
    flush(&c);
    return c.error;
}
