/* printf and puts on the console, or the kernel's: see relay/stdio.h. */
#include <stdint.h>
#include <relay/stdio.h>
#include <relay/console.h>
#include <relay/sys.h>
#include <relay/string.h>
#include <relay/error.h>

#define CHUNK CHARDEV_BYTES_MAX   /* bytes a write: one message (a line usually fits) */

struct out {
    relay_handle console;         /* the console driver, or HANDLE_NULL: debug_write */
    char buf[CHUNK];
    size_t len;
    int error;                    /* the first write's error, or ERR_NONE */
};

static int write_chunk(struct out *o)
{
    if (o->console != HANDLE_NULL) {
        int err = console_write(o->buf, o->len);
        if (!err)
            return ERR_NONE;
        o->console = HANDLE_NULL;     /* the console is gone: the kernel's, from here on */
    }
    return (int)sys_debug_write((uint32_t)o->buf, o->len).error;
}

static void flush(struct out *o)
{
    if (o->len) {
        int err = write_chunk(o);
        if (!o->error)
            o->error = err;
    }
    o->len = 0;
}

static void put(struct out *o, char c)
{
    if (o->len == CHUNK)
        flush(o);
    o->buf[o->len++] = c;
}

/* The console driver passes bytes as they are, so a newline gets the
 * carriage return a terminal wants here; the kernel adds its own. */
static void to_out(void *ctx, const char *s, size_t n)
{
    struct out *o = ctx;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && o->console != HANDLE_NULL)
            put(o, '\r');
        put(o, s[i]);
    }
}

static void out_init(struct out *o)
{
    o->console = console_handle();
    o->len = 0;
    o->error = ERR_NONE;
}

int vprintf(const char *fmt, va_list ap)
{
    struct out o;
    out_init(&o);
    int n = vformat(to_out, &o, fmt, ap);
    flush(&o);
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
    struct out o;
    out_init(&o);
    to_out(&o, s, strlen(s));
    to_out(&o, "\n", 1);
    flush(&o);
    return o.error;
}
