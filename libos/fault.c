/* Decoding and describing faults, and the reply an answer becomes: see relay/faults.h.
   The loop and its threads are in fault_serve.c. */
#include <stdarg.h>
#include <relay/faults.h>
#include <relay/error.h>
#include <relay/stdio.h>

#ifdef HOST_TEST
#define vsnprintf libos_vsnprintf     /* the host tests run libos' own formatter */
#endif

/*
 * The exception vectors, Intel SDM vol. 3A table 6-1 (29 and 30 are AMD's).
 * The kernel's list is microkernel/arch/x86/vectors.def, which libos may not
 * include; tests/host/test_libos_faults.c checks this table against it.
 */
static const struct fault_vector_info vectors[FAULT_VECTORS] = {
    [0]  = { "DE",  "Divide Error",                  FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [1]  = { "DB",  "Debug",                         FAULT_CLASS_TRAP,      FAULT_EC_NONE },
    [2]  = { "NMI", "Non-Maskable Interrupt",        FAULT_CLASS_INTERRUPT, FAULT_EC_NONE },
    [3]  = { "BP",  "Breakpoint",                    FAULT_CLASS_TRAP,      FAULT_EC_NONE },
    [4]  = { "OF",  "Overflow",                      FAULT_CLASS_TRAP,      FAULT_EC_NONE },
    [5]  = { "BR",  "BOUND Range Exceeded",          FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [6]  = { "UD",  "Invalid Opcode",                FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [7]  = { "NM",  "Device Not Available",          FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [8]  = { "DF",  "Double Fault",                  FAULT_CLASS_ABORT,     FAULT_EC_ZERO },
    [9]  = { "CSO", "Coprocessor Segment Overrun",   FAULT_CLASS_ABORT,     FAULT_EC_NONE },
    [10] = { "TS",  "Invalid TSS",                   FAULT_CLASS_FAULT,     FAULT_EC_SELECTOR },
    [11] = { "NP",  "Segment Not Present",           FAULT_CLASS_FAULT,     FAULT_EC_SELECTOR },
    [12] = { "SS",  "Stack-Segment Fault",           FAULT_CLASS_FAULT,     FAULT_EC_SELECTOR },
    [13] = { "GP",  "General Protection",            FAULT_CLASS_FAULT,     FAULT_EC_SELECTOR },
    [14] = { "PF",  "Page Fault",                    FAULT_CLASS_FAULT,     FAULT_EC_PAGE },
    [15] = { "R15", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [16] = { "MF",  "x87 Floating-Point Error",      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [17] = { "AC",  "Alignment Check",               FAULT_CLASS_FAULT,     FAULT_EC_ZERO },
    [18] = { "MC",  "Machine Check",                 FAULT_CLASS_ABORT,     FAULT_EC_NONE },
    [19] = { "XM",  "SIMD Floating-Point Exception", FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [20] = { "VE",  "Virtualization Exception",      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [21] = { "CP",  "Control Protection",            FAULT_CLASS_FAULT,     FAULT_EC_CONTROL },
    [22] = { "R22", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [23] = { "R23", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [24] = { "R24", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [25] = { "R25", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [26] = { "R26", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [27] = { "R27", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [28] = { "HV",  "Hypervisor Injection",          FAULT_CLASS_FAULT,     FAULT_EC_NONE },
    [29] = { "VC",  "VMM Communication",             FAULT_CLASS_FAULT,     FAULT_EC_RAW },
    [30] = { "SX",  "Security Exception",            FAULT_CLASS_FAULT,     FAULT_EC_RAW },
    [31] = { "R31", "Reserved",                      FAULT_CLASS_FAULT,     FAULT_EC_NONE },
};

static const struct fault_vector_info not_an_exception = {
    "??", "Not an Exception", FAULT_CLASS_INTERRUPT, FAULT_EC_NONE,
};

const struct fault_vector_info *fault_vector_info(uint32_t vector)
{
    return vector < FAULT_VECTORS ? &vectors[vector] : &not_an_exception;
}

const char *fault_class_name(enum fault_class class)
{
    static const char *const names[] = {
        [FAULT_CLASS_FAULT] = "fault", [FAULT_CLASS_TRAP] = "trap",
        [FAULT_CLASS_ABORT] = "abort", [FAULT_CLASS_INTERRUPT] = "interrupt",
    };
    return (unsigned)class < sizeof names / sizeof names[0] ? names[class] : "?";
}

/* Page-fault and selector error-code bits (SDM vol. 3A 4.7 and 6.13). */
enum {
    PAGE_ERROR_PROTECTION = 0x01, PAGE_ERROR_WRITE = 0x02, PAGE_ERROR_USER = 0x04,
    PAGE_ERROR_RESERVED = 0x08, PAGE_ERROR_FETCH = 0x10,
};
enum {
    SELECTOR_ERROR_EXT = 0x1, SELECTOR_ERROR_IDT = 0x2, SELECTOR_ERROR_TI = 0x4,
    SELECTOR_ERROR_INDEX_SHIFT = 3, SELECTOR_ERROR_INDEX_MASK = 0x1FFF,
};

static struct fault_page_error page_error(uint32_t e)
{
    return (struct fault_page_error){
        .protection = e & PAGE_ERROR_PROTECTION, .write = e & PAGE_ERROR_WRITE,
        .user = e & PAGE_ERROR_USER, .reserved = e & PAGE_ERROR_RESERVED,
        .fetch = e & PAGE_ERROR_FETCH,
    };
}

static struct fault_selector_error selector_error(uint32_t e)
{
    return (struct fault_selector_error){
        .none = (e & 0xFFFF) == 0, .external = e & SELECTOR_ERROR_EXT,
        .idt = e & SELECTOR_ERROR_IDT, .ldt = !(e & SELECTOR_ERROR_IDT) && (e & SELECTOR_ERROR_TI),
        .index = e >> SELECTOR_ERROR_INDEX_SHIFT & SELECTOR_ERROR_INDEX_MASK,
    };
}

bool msg_from_kernel(const struct msg *m, uint32_t label)
{
    return (m->flags & (MSGINFO_KERNEL | MSGINFO_NOTIFY)) == MSGINFO_KERNEL && m->label == label
           && m->length >= FAULT_WORDS;
}

int fault_decode(const struct fault_record *r, struct fault *f)
{
    if (r->version != FAULT_RECORD_VERSION || r->vector >= FAULT_VECTORS)
        return ERR_INVALID;
    const struct fault_vector_info *v = fault_vector_info(r->vector);
    *f = (struct fault){
        .vector = r->vector, .mnemonic = v->mnemonic, .name = v->name,
        .class_name = fault_class_name(v->class), .class = v->class,
        .error_format = v->error_format, .error_code = r->error_code,
        .regs = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp, r->esp,
                  r->eip, r->eflags, r->ds, r->es, r->fs, r->gs },
        .cs = r->cs, .ss = r->ss, .task = r->task, .thread = r->thread,
        .reason = r->reason,
    };
    if (v->error_format == FAULT_EC_PAGE) {
        f->page = page_error(r->error_code);
        f->address = r->cr2;
    }
    if (v->error_format == FAULT_EC_SELECTOR)
        f->selector = selector_error(r->error_code);
    return ERR_NONE;
}

/* A line being written: like snprintf, counts what did not fit. */
struct line {
    char *buf;
    size_t len, used;
};

__attribute__((format(printf, 2, 3))) static void add(struct line *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = l->used < l->len ? l->len - l->used : 0;
    int n = vsnprintf(room ? l->buf + l->used : NULL, room, fmt, ap);
    va_end(ap);
    l->used += n > 0 ? (size_t)n : 0;
}

static void add_error(struct line *l, const struct fault *f)
{
    const struct fault_page_error *p = &f->page;
    const struct fault_selector_error *s = &f->selector;
    switch (f->error_format) {
    case FAULT_EC_NONE:
        add(l, ", error none");
        break;
    case FAULT_EC_PAGE:
        add(l, ", address 0x%08x: %s %s %s%s%s", f->address,
            p->protection ? "protection-violation" : "not-present", p->write ? "write" : "read",
            p->user ? "user" : "supervisor", p->reserved ? " reserved-bit" : "",
            p->fetch ? " instruction-fetch" : "");
        break;
    case FAULT_EC_SELECTOR:
        if (s->none) {
            add(l, ", error 0x%04x (no selector)", f->error_code);
            break;
        }
        add(l, ", error 0x%04x: %s%s %s %u", f->error_code, s->external ? "external " : "",
            s->idt ? "IDT" : s->ldt ? "LDT" : "GDT", s->idt ? "vector" : "index", s->index);
        break;
    case FAULT_EC_ZERO:
    case FAULT_EC_CONTROL:
    case FAULT_EC_RAW:
        add(l, ", error 0x%x", f->error_code);
        break;
    }
}

static const char *notice_reason(uint32_t reason)
{
    static const char *const why[] = {
        [NOTICE_NO_HANDLER] = "no handler",
        [NOTICE_NOT_TAKEN] = "no handler took it in time",
        [NOTICE_HANDLER_GONE] = "its handler went away",
        [NOTICE_HANDLER_FAULTED] = "it faulted while handling a fault",
        [NOTICE_BAD_REPLY] = "its handler's reply was malformed",
        [NOTICE_KILLED] = "its handler killed it",
    };
    return reason < sizeof why / sizeof why[0] && why[reason] ? why[reason] : "unknown reason";
}

size_t fault_describe(const struct fault *f, char *buf, size_t len)
{
    struct line l = { buf, len, 0 };
    if (len)
        buf[0] = '\0';
    add(&l, "#%s %s (%s) at eip=0x%08x", f->mnemonic, f->name, f->class_name, f->regs.eip);
    add_error(&l, f);
    if (f->reason != NOTICE_NONE)
        add(&l, "; task %u thread %u: %s", f->task, f->thread, notice_reason(f->reason));
    return l.used;
}

bool fault_reply(const struct fault *f, const struct fault_answer *a, struct msg *reply)
{
    _Static_assert(sizeof f->regs == FAULT_REGS_WORDS * sizeof(uint32_t), "regs are words");
    static const struct msg failed = { .label = FAULT_KILL_TASK, .length = 1,
                                       .w = { FAULT_STATUS_FAILED } };
    struct msg m = { 0 };
    switch (a->verdict) {
    case ANSWER_RETRY:
        m.label = FAULT_RETRY;
        break;
    case ANSWER_RESUME:
        m = (struct msg){ .label = FAULT_RESUME, .length = FAULT_REGS_WORDS };
        __builtin_memcpy(m.w, &f->regs, sizeof f->regs);
        break;
    case ANSWER_MAP:                              /* flags other than MAP_WRITABLE: not the kernel's */
        m = a->flags & ~MAP_WRITABLE ? failed
                                     : (struct msg){ .label = FAULT_MAP, .length = 2,
                                                     .w = { a->frame, a->flags } };
        break;
    case ANSWER_KILL_THREAD:
        m.label = FAULT_KILL_THREAD;
        break;
    case ANSWER_KILL_TASK:
        m = (struct msg){ .label = FAULT_KILL_TASK, .length = 1, .w = { a->status } };
        break;
    case ANSWER_FORWARD:
        return false;                             /* the loop makes the call */
    default:                                      /* an answer that cannot be carried out */
        m = failed;
    }
    *reply = m;
    return true;
}
