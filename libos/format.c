/* The formatter behind printf and snprintf: see relay/stdio.h. */
#include <stdint.h>
#include <stddef.h>
#include <relay/stdio.h>
#include <relay/string.h>

struct out {
    format_emit emit;
    void *ctx;
    int count;                    /* bytes formatted so far */
};

struct spec {
    int left, zero;               /* flags '-' and '0' */
    int width;                    /* 0: none */
    int precision;                /* -1: none */
    int longs;                    /* 1 for l, 2 for ll, -1 for z */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (n)
        o->emit(o->ctx, s, n);
    o->count += (int)n;
}

static void pad(struct out *o, char c, int n)
{
    char run[16];
    memset(run, c, sizeof run);
    for (; n > 0; n -= (int)sizeof run)
        put(o, run, n < (int)sizeof run ? (size_t)n : sizeof run);
}

/* s[0..n) within the field width, on the side the '-' flag says. */
static void put_field(struct out *o, const struct spec *sp, const char *s, size_t n)
{
    int fill = sp->width - (int)n;
    if (!sp->left)
        pad(o, ' ', fill);
    put(o, s, n);
    if (sp->left)
        pad(o, ' ', fill);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v, int negative,
                       unsigned base, int upper, const char *prefix)
{
    const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int n = 0;
    if (v || sp->precision != 0)                 /* C: a zero with precision 0 has no digits */
        do {
            digits[n++] = digit_set[v % base];
            v /= base;
        } while (v);
    int plen = (int)strlen(prefix) + negative;
    int zeros = sp->precision > n ? sp->precision - n : 0;
    if (sp->zero && !sp->left && sp->precision < 0 && sp->width > plen + n)
        zeros = sp->width - plen - n;
    int fill = sp->width - plen - zeros - n;
    if (!sp->left)
        pad(o, ' ', fill);
    if (negative)
        put(o, "-", 1);
    put(o, prefix, strlen(prefix));
    pad(o, '0', zeros);
    while (n)
        put(o, &digits[--n], 1);
    if (sp->left)
        pad(o, ' ', fill);
}

static uint64_t take_unsigned(const struct spec *sp, va_list *ap)
{
    if (sp->longs == 2)
        return va_arg(*ap, unsigned long long);
    if (sp->longs == 1)
        return va_arg(*ap, unsigned long);
    if (sp->longs < 0)
        return va_arg(*ap, size_t);
    return va_arg(*ap, unsigned);
}

static int64_t take_signed(const struct spec *sp, va_list *ap)
{
    if (sp->longs == 2)
        return va_arg(*ap, long long);
    if (sp->longs == 1)
        return va_arg(*ap, long);
    if (sp->longs < 0)
        return va_arg(*ap, ptrdiff_t);         /* %zd: the signed type as wide as size_t */
    return va_arg(*ap, int);
}

/* Flags, width, precision and length from fmt (just past the '%'); returns the conversion. */
static const char *parse(const char *fmt, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .precision = -1 };
    for (;; fmt++) {
        if (*fmt == '-')
            sp->left = 1;
        else if (*fmt == '0')
            sp->zero = 1;
        else
            break;
    }
    if (*fmt == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0)
            sp->left = 1, sp->width = -sp->width;
        fmt++;
    }
    for (; *fmt >= '0' && *fmt <= '9'; fmt++)
        sp->width = sp->width * 10 + (*fmt - '0');
    if (*fmt == '.') {
        sp->precision = 0;
        if (*++fmt == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0)
                sp->precision = -1;
            fmt++;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            sp->precision = sp->precision * 10 + (*fmt - '0');
    }
    if (*fmt == 'z')
        sp->longs = -1, fmt++;
    for (; *fmt == 'l' && sp->longs >= 0 && sp->longs < 2; fmt++)
        sp->longs++;
    return fmt;
}

static void convert(struct out *o, const struct spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': {
        int64_t v = take_signed(sp, ap);
        put_number(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, "");
        break;
    }
    case 'u':
        put_number(o, sp, take_unsigned(sp, ap), 0, 10, 0, "");
        break;
    case 'x':
    case 'X':
        put_number(o, sp, take_unsigned(sp, ap), 0, 16, c == 'X', "");
        break;
    case 'p': {
        struct spec p = *sp;
        p.precision = (int)(2 * sizeof(void *));
        put_number(o, &p, (uintptr_t)va_arg(*ap, void *), 0, 16, 0, "0x");
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (!s)
            s = "(null)";
        size_t n = 0;
        while ((sp->precision < 0 || n < (size_t)sp->precision) && s[n])
            n++;
        put_field(o, sp, s, n);
        break;
    }
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        put_field(o, sp, &ch, 1);
        break;
    }
    }
}

int vformat(format_emit emit, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { emit, ctx, 0 };
    va_list args;
    va_copy(args, ap);
    while (*fmt) {
        const char *text = fmt;
        while (*fmt && *fmt != '%')
            fmt++;
        put(&o, text, (size_t)(fmt - text));
        if (!*fmt)
            break;
        const char *start = fmt++;
        if (*fmt == '%') {
            put(&o, "%", 1);
            fmt++;
            continue;
        }
        struct spec sp;
        fmt = parse(fmt, &sp, &args);
        if (*fmt && strchr("diuxXpsc", *fmt)) {
            convert(&o, &sp, *fmt, &args);
            fmt++;
        } else {                                 /* not a conversion: print it as written */
            if (*fmt)
                fmt++;
            put(&o, start, (size_t)(fmt - start));
        }
    }
    va_end(args);
    return o.count;
}

struct buffer {
    char *buf;
    size_t size, len;             /* len: bytes formatted, kept or not */
};

static void to_buffer(void *ctx, const char *s, size_t n)
{
    struct buffer *b = ctx;
    for (size_t i = 0; i < n; i++, b->len++)
        if (b->len + 1 < b->size)
            b->buf[b->len] = s[i];
}

int LIBOS_NAME(vsnprintf)(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = vformat(to_buffer, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int LIBOS_NAME(snprintf)(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = LIBOS_NAME(vsnprintf)(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
