/* The vector table and error-code decoders: see vector.h. */
#include "vector.h"

static const struct vector_info exceptions[EXCEPTION_COUNT] = {
#define VECTOR(n, mnemonic, name, class, ec) [n] = { #mnemonic, name, class, ec },
#include "vectors.def"
#undef VECTOR
};

static const struct vector_info irq = { "IRQ", "Hardware Interrupt", INTERRUPT, EC_NONE };
static const struct vector_info software = { "INT", "Interrupt", INTERRUPT, EC_NONE };

const struct vector_info *vector_info(unsigned vector)
{
    vector &= VECTOR_COUNT - 1;
    if (vector < EXCEPTION_COUNT)
        return &exceptions[vector];
    if (vector < IRQ_BASE + IRQ_COUNT)
        return &irq;
    return &software;
}

const char *vector_class_name(enum vector_class class)
{
    static const char *const names[] = {
        [FAULT] = "fault", [TRAP] = "trap", [ABORT] = "abort", [INTERRUPT] = "interrupt",
    };
    if ((unsigned)class >= sizeof names / sizeof names[0])
        return "?";
    return names[class];
}

/* A bounded string builder: counts what it could not store, like snprintf. */
struct text {
    char *buf;
    size_t len, used;
};

static void put(struct text *t, const char *s)
{
    for (; *s; s++, t->used++)
        if (t->used + 1 < t->len)
            t->buf[t->used] = *s;
    if (t->len)
        t->buf[t->used < t->len ? t->used : t->len - 1] = '\0';
}

static void put_word(struct text *t, const char *s)
{
    if (t->used)
        put(t, " ");
    put(t, s);
}

static void put_hex(struct text *t, uint32_t v)
{
    char digits[11] = "0x";
    int n = 0;
    uint32_t rest = v;
    do {
        n++;
        rest >>= 4;
    } while (rest);
    for (int i = n - 1; i >= 0; i--, v >>= 4)
        digits[2 + i] = "0123456789abcdef"[v & 0xF];
    digits[2 + n] = '\0';
    put(t, digits);
}

static void describe_page(struct text *t, uint32_t e)
{
    put_word(t, e & PF_PROTECTION ? "protection-violation" : "not-present");
    put_word(t, e & PF_WRITE ? "write" : "read");
    put_word(t, e & PF_USER ? "user" : "supervisor");
    if (e & PF_RESERVED)
        put_word(t, "reserved-bit");
    if (e & PF_FETCH)
        put_word(t, "instruction-fetch");
}

static void describe_selector(struct text *t, uint32_t e)
{
    if ((e & 0xFFFFu) == 0) {
        put_word(t, "no selector");
        return;
    }
    if (e & SEL_EC_EXT)
        put_word(t, "external");
    if (e & SEL_EC_IDT) {
        put_word(t, "IDT vector ");
        put_hex(t, SEL_EC_INDEX(e));
        return;
    }
    put_word(t, e & SEL_EC_TI ? "LDT index " : "GDT index ");
    put_hex(t, SEL_EC_INDEX(e));
}

static void describe_control(struct text *t, uint32_t e)
{
    static const char *const causes[] = {
        [1] = "near-ret", [2] = "far-ret/iret", [3] = "endbranch",
        [4] = "rstorssp", [5] = "setssbsy",
    };
    uint32_t cause = e & 0x7FFFu;
    if (cause < sizeof causes / sizeof causes[0] && causes[cause])
        put_word(t, causes[cause]);
    else
        put_word(t, "unknown cause");
}

size_t error_code_describe(unsigned vector, uint32_t error_code, char *buf, size_t len)
{
    struct text t = { buf, len, 0 };
    if (len)
        buf[0] = '\0';
    switch (vector_info(vector)->error_code) {
    case EC_NONE:
        put_word(&t, "none");
        break;
    case EC_ZERO:
        put_word(&t, error_code ? "unexpected non-zero" : "zero");
        break;
    case EC_PAGE:
        describe_page(&t, error_code);
        break;
    case EC_SELECTOR:
        describe_selector(&t, error_code);
        break;
    case EC_CONTROL:
        describe_control(&t, error_code);
        break;
    case EC_RAW:
        put_word(&t, "code ");
        put_hex(&t, error_code);
        break;
    }
    return t.used;
}
