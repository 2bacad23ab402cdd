/*
 * libos' fault and signal layer, its pure parts (libos/fault.c,
 * libos/signal.c; relay/faults.h, relay/signal.h): decoding fault records,
 * describing them, the replies answers become (fault_reply), the vector ->
 * signal map and how a task's end is described.  The vector table is
 * checked against the kernel's list (vectors.def), which libos may not
 * include.
 *
 * libos/build.mk does not list these sources for the host, so they are
 * compiled here, as part of this file; their thread-running halves are
 * left out by HOST_TEST.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <relay/faults.h>
#include <relay/signal.h>
#include <relay/error.h>
#include "arch/x86/vector.h"          /* the kernel's table, to compare with */

/* A #PF record as the kernel builds it: every register different. */
static struct fault_record page_fault_record(uint32_t error_code, uint32_t cr2)
{
    return (struct fault_record){
        .version = FAULT_RECORD_VERSION, .vector = 14, .error_code = error_code, .cr2 = cr2,
        .eip = 0x00401234, .cs = 0x1B, .eflags = 0x246, .esp = 0xBFFFDF00, .ss = 0x23,
        .eax = 1, .ebx = 2, .ecx = 3, .edx = 4, .esi = 5, .edi = 6, .ebp = 7,
        .ds = 0x23, .es = 0x23, .fs = 0, .gs = 0, .task = 3, .thread = 9,
    };
}

static struct fault decoded(struct fault_record r)
{
    struct fault f;
    cr_assert_eq(fault_decode(&r, &f), ERR_NONE);
    return f;
}

static struct fault vector_fault(uint32_t vector, uint32_t error_code)
{
    struct fault_record r = page_fault_record(error_code, 0x10);
    r.vector = vector;
    return decoded(r);
}

Test(libos_faults, vector_table_matches_the_kernels)
{
    for (uint32_t v = 0; v < FAULT_VECTORS; v++) {
        const struct fault_vector_info *mine = fault_vector_info(v);
        const struct vector_info *kernel = vector_info(v);
        cr_assert_str_eq(mine->mnemonic, kernel->mnemonic, "vector %u", v);
        cr_assert_str_eq(mine->name, kernel->name, "vector %u", v);
        cr_assert_str_eq(fault_class_name(mine->class), vector_class_name(kernel->class),
                         "vector %u", v);
        cr_assert_eq((int)mine->error_format, (int)kernel->error_code, "vector %u", v);
    }
    cr_assert_str_eq(fault_vector_info(32)->mnemonic, "??");
    cr_assert_str_eq(fault_class_name((enum fault_class)9), "?");
}

Test(libos_faults, decode_page_fault)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    cr_assert_eq(f.vector, 14);
    cr_assert_str_eq(f.mnemonic, "PF");
    cr_assert_str_eq(f.name, "Page Fault");
    cr_assert_str_eq(f.class_name, "fault");
    cr_assert_eq(f.class, FAULT_CLASS_FAULT);
    cr_assert_eq(f.error_format, FAULT_EC_PAGE);
    cr_assert(!f.page.protection && f.page.write && f.page.user);
    cr_assert(!f.page.reserved && !f.page.fetch);
    cr_assert_eq(f.address, 0x10);
    cr_assert_eq(f.task, 3);
    cr_assert_eq(f.thread, 9);
    cr_assert_eq(f.cs, 0x1B);
    cr_assert_eq(f.ss, 0x23);
    cr_assert_eq(f.reason, NOTICE_NONE);
    cr_assert_eq(f.insn_length, 0);
    cr_assert_eq(f.badge, 0);
    cr_assert(!f.forwarded);

    f = decoded(page_fault_record(0x1F, 0xC0001000));
    cr_assert(f.page.protection && f.page.write && f.page.user && f.page.reserved && f.page.fetch);
    f = decoded(page_fault_record(0x4, 0));
    cr_assert(!f.page.protection && !f.page.write && f.page.user && !f.page.fetch);
}

Test(libos_faults, decode_copies_registers_in_resume_order)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    const struct fault_regs want = { 1, 2, 3, 4, 5, 6, 7, 0xBFFFDF00, 0x00401234, 0x246,
                                     0x23, 0x23, 0, 0 };
    cr_assert_eq(memcmp(&f.regs, &want, sizeof want), 0);
}

Test(libos_faults, decode_selector_error_codes)
{
    struct fault f = vector_fault(13, 0x10);                /* the kernel data selector */
    cr_assert(!f.selector.none && !f.selector.external && !f.selector.idt && !f.selector.ldt);
    cr_assert_eq(f.selector.index, 2);
    cr_assert_eq(f.address, 0, "no address outside #PF");

    f = vector_fault(13, 0x80 * 8 + 2);                      /* int 0x80 through a DPL-0 gate */
    cr_assert(f.selector.idt && !f.selector.ldt);
    cr_assert_eq(f.selector.index, 0x80);

    f = vector_fault(11, 0x0C | 1);                          /* LDT index 1, external */
    cr_assert(f.selector.ldt && f.selector.external && !f.selector.idt);
    cr_assert_eq(f.selector.index, 1);

    f = vector_fault(13, 0);
    cr_assert(f.selector.none);
    f = vector_fault(14, 0x10);                              /* not a selector format */
    cr_assert(!f.selector.none && f.selector.index == 0);
}

Test(libos_faults, decode_rejects_what_is_not_a_fault)
{
    struct fault f = { .vector = 77 };
    struct fault_record r = page_fault_record(0, 0);
    r.version = FAULT_RECORD_VERSION + 1;
    cr_assert_eq(fault_decode(&r, &f), ERR_INVALID);
    r = page_fault_record(0, 0);
    r.vector = FAULT_VECTORS;
    cr_assert_eq(fault_decode(&r, &f), ERR_INVALID);
    cr_assert_eq(f.vector, 77, "left untouched");
}

static void assert_describes(struct fault f, const char *want)
{
    char buf[200];
    size_t n = fault_describe(&f, buf, sizeof buf);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, strlen(want));
}

Test(libos_faults, describe_each_error_format)
{
    assert_describes(vector_fault(0, 0), "#DE Divide Error (fault) at eip=0x00401234, error none");
    assert_describes(vector_fault(3, 0), "#BP Breakpoint (trap) at eip=0x00401234, error none");
    assert_describes(decoded(page_fault_record(0x6, 0x10)),
                     "#PF Page Fault (fault) at eip=0x00401234, address 0x00000010: "
                     "not-present write user");
    assert_describes(decoded(page_fault_record(0x15, 0x400000)),
                     "#PF Page Fault (fault) at eip=0x00401234, address 0x00400000: "
                     "protection-violation read user instruction-fetch");
    assert_describes(decoded(page_fault_record(0xD, 0x8)),
                     "#PF Page Fault (fault) at eip=0x00401234, address 0x00000008: "
                     "protection-violation read user reserved-bit");
    assert_describes(vector_fault(13, 0x10),
                     "#GP General Protection (fault) at eip=0x00401234, error 0x0010: GDT index 2");
    assert_describes(vector_fault(13, 0x402),
                     "#GP General Protection (fault) at eip=0x00401234, error 0x0402: IDT vector 128");
    assert_describes(vector_fault(11, 0xD),
                     "#NP Segment Not Present (fault) at eip=0x00401234, error 0x000d: external LDT index 1");
    assert_describes(vector_fault(13, 0),
                     "#GP General Protection (fault) at eip=0x00401234, error 0x0000 (no selector)");
    assert_describes(vector_fault(17, 0), "#AC Alignment Check (fault) at eip=0x00401234, error 0x0");
    assert_describes(vector_fault(29, 0xABC),
                     "#VC VMM Communication (fault) at eip=0x00401234, error 0xabc");
}

Test(libos_faults, describe_a_notice_says_why)
{
    struct fault_record r = page_fault_record(0x4, 0);
    r.reason = NOTICE_NO_HANDLER;
    assert_describes(decoded(r), "#PF Page Fault (fault) at eip=0x00401234, address 0x00000000: "
                                 "not-present read user; task 3 thread 9: no handler");
    r.reason = 99;
    struct fault f = decoded(r);
    char buf[200];
    fault_describe(&f, buf, sizeof buf);
    cr_assert(strstr(buf, "unknown reason"));
}

Test(libos_faults, describe_truncates_like_snprintf)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    char full[200], small[16];
    size_t n = fault_describe(&f, full, sizeof full);
    memset(small, 'x', sizeof small);
    cr_assert_eq(fault_describe(&f, small, sizeof small), n);
    cr_assert_eq(strlen(small), sizeof small - 1);
    cr_assert_eq(strncmp(small, full, sizeof small - 1), 0);
    cr_assert_eq(fault_describe(&f, NULL, 0), n);
}

/* fault_reply into a message full of junk: what it must set, and clear. */
static struct msg reply_to(const struct fault *f, struct fault_answer a)
{
    struct msg m;
    memset(&m, 0xEE, sizeof m);
    cr_assert(fault_reply(f, &a, &m), "verdict %d makes a reply", (int)a.verdict);
    cr_assert_eq(m.flags, 0);
    cr_assert_eq(m.badge, 0);
    for (uint32_t i = m.length; i < MSG_WORDS_MAX; i++)
        cr_assert_eq(m.w[i], 0, "word %u past the length", i);
    return m;
}

Test(libos_faults, each_verdict_is_its_verb)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    struct msg m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_RETRY });
    cr_assert_eq(m.label, FAULT_RETRY);
    cr_assert_eq(m.length, 0);

    m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_MAP, .frame = 0x00345000,
                                            .flags = MAP_WRITABLE });
    cr_assert_eq(m.label, FAULT_MAP);
    cr_assert_eq(m.length, 2);
    cr_assert_eq(m.w[0], 0x00345000);
    cr_assert_eq(m.w[1], MAP_WRITABLE);
    m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_MAP, .frame = 0x00345000 });
    cr_assert_eq(m.label, FAULT_MAP);
    cr_assert_eq(m.w[1], 0, "read-only");

    m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_KILL_THREAD, .status = 5 });
    cr_assert_eq(m.label, FAULT_KILL_THREAD);
    cr_assert_eq(m.length, 0);

    m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_KILL_TASK,
                                            .status = SIGNAL_STATUS(SIGSEGV) });
    cr_assert_eq(m.label, FAULT_KILL_TASK);
    cr_assert_eq(m.length, 1);
    cr_assert_eq(m.w[0], 139);
}

Test(libos_faults, resume_carries_the_registers_as_left)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    f.regs.eip += 3;
    f.regs.eflags |= EFLAGS_TF;
    f.regs.eax = 0x1234;
    struct msg m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_RESUME, .frame = 9 });
    cr_assert_eq(m.label, FAULT_RESUME);
    cr_assert_eq(m.length, FAULT_REGS_WORDS);
    const struct fault_regs *back = (const struct fault_regs *)m.w;
    cr_assert_eq(back->eip, 0x00401237);
    cr_assert_eq(back->eflags, 0x346);
    cr_assert_eq(back->eax, 0x1234);
    cr_assert_eq(back->ebx, 2);
    cr_assert_eq(back->esp, 0xBFFFDF00);
    cr_assert_eq(back->ds, 0x23);
    cr_assert_eq(back->gs, 0);
}

Test(libos_faults, answers_that_cannot_be_carried_out_kill_the_task)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    struct msg m = reply_to(&f, (struct fault_answer){ .verdict = ANSWER_MAP, .frame = 0x1000,
                                                       .flags = 0x80 });
    cr_assert_eq(m.label, FAULT_KILL_TASK, "a MAP flag the kernel does not know");
    cr_assert_eq(m.length, 1);
    cr_assert_eq(m.w[0], FAULT_STATUS_FAILED);
    m = reply_to(&f, (struct fault_answer){ .verdict = (enum fault_verdict)42 });
    cr_assert_eq(m.label, FAULT_KILL_TASK, "a verdict that is none");
    cr_assert_eq(m.w[0], FAULT_STATUS_FAILED);
    char how[64];
    status_describe(TASK_KILLED, FAULT_STATUS_FAILED, how, sizeof how);
    cr_assert_str_eq(how, "killed by SIGBUS");
}

Test(libos_faults, forward_is_left_to_the_loop)
{
    struct fault f = decoded(page_fault_record(0x6, 0x10));
    struct fault_answer a = { .verdict = ANSWER_FORWARD, .forward = 9 };
    struct msg m, before;
    memset(&m, 0xEE, sizeof m);
    before = m;
    cr_assert(!fault_reply(&f, &a, &m));
    cr_assert_eq(memcmp(&m, &before, sizeof m), 0, "the record stays, for the call");
}

Test(libos_faults, signals_for_vectors)
{
    static const struct { uint32_t vector; int sig; } map[] = {
        { 0, SIGFPE }, { 16, SIGFPE }, { 19, SIGFPE },
        { 14, SIGSEGV }, { 13, SIGSEGV }, { 12, SIGSEGV }, { 11, SIGSEGV },
        { 4, SIGSEGV }, { 5, SIGSEGV }, { 10, SIGSEGV },
        { 6, SIGILL }, { 1, SIGTRAP }, { 3, SIGTRAP }, { 17, SIGBUS },
        { 2, 0 }, { 7, 0 }, { 8, 0 }, { 18, 0 }, { 21, 0 }, { 31, 0 }, { 32, 0 }, { 0xFFFFFFFF, 0 },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        cr_assert_eq(signal_for_vector(map[i].vector), map[i].sig, "vector %u", map[i].vector);
    cr_assert_eq(SIGILL, 4);
    cr_assert_eq(SIGTRAP, 5);
    cr_assert_eq(SIGBUS, 7);
    cr_assert_eq(SIGFPE, 8);
    cr_assert_eq(SIGSEGV, 11);
}

Test(libos_faults, signal_names)
{
    cr_assert_str_eq(signal_name(SIGSEGV), "SIGSEGV");
    cr_assert_str_eq(signal_name(SIGFPE), "SIGFPE");
    cr_assert_str_eq(signal_name(SIGILL), "SIGILL");
    cr_assert_str_eq(signal_name(SIGTRAP), "SIGTRAP");
    cr_assert_str_eq(signal_name(SIGBUS), "SIGBUS");
    cr_assert_str_eq(signal_name(0), "SIG?");
    cr_assert_str_eq(signal_name(9), "SIG?");
    cr_assert_str_eq(signal_name(NSIG), "SIG?");
    cr_assert_str_eq(signal_name(-1), "SIG?");
}

static void assert_status(uint32_t state, uint32_t status, const char *want)
{
    char buf[64];
    size_t n = status_describe(state, status, buf, sizeof buf);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, strlen(want));
}

Test(libos_faults, status_describe_each_ending)
{
    assert_status(TASK_ALIVE, 0, "running");
    assert_status(TASK_EXITED, 3, "exited with status 3");
    assert_status(TASK_EXITED, 139, "exited with status 139");
    assert_status(TASK_KILLED, SIGNAL_STATUS(SIGSEGV), "killed by SIGSEGV");
    assert_status(TASK_KILLED, SIGNAL_STATUS(SIGFPE), "killed by SIGFPE");
    assert_status(TASK_KILLED, 14, "killed by #PF (no handler)");
    assert_status(TASK_KILLED, 0, "killed by #DE (no handler)");
    assert_status(TASK_KILLED, TASK_STATUS_KILLED, "killed (its last thread was killed)");
    assert_status(TASK_KILLED, TASK_STATUS_ORPHANED, "killed (the task that created it ended)");
    assert_status(TASK_KILLED, 0x5A, "killed with status 90");
    assert_status(TASK_KILLED, 128, "killed with status 128");
    assert_status(TASK_KILLED, 128 + 9, "killed with status 137");
    assert_status(7, 1, "in state 7 with status 1");
    char small[8];
    cr_assert_eq(status_describe(TASK_KILLED, 139, small, sizeof small), strlen("killed by SIGSEGV"));
    cr_assert_str_eq(small, "killed ");
}

Test(libos_faults, msg_from_kernel_needs_the_mark)
{
    struct msg m = { .label = LABEL_FAULT, .length = FAULT_WORDS, .flags = MSGINFO_KERNEL };
    cr_assert(msg_from_kernel(&m, LABEL_FAULT));
    cr_assert(!msg_from_kernel(&m, LABEL_NOTICE));           /* another label */
    m.flags = 0;
    cr_assert(!msg_from_kernel(&m, LABEL_FAULT));            /* a user's claim */
    m.flags = MSGINFO_KERNEL | MSGINFO_NOTIFY;
    cr_assert(!msg_from_kernel(&m, LABEL_FAULT));            /* notification bits */
    m.flags = MSGINFO_KERNEL;
    m.length = FAULT_WORDS - 1;
    cr_assert(!msg_from_kernel(&m, LABEL_FAULT));            /* too short for a record */
}

Test(libos_faults, status_posix_each_ending)
{
    int s = status_posix(TASK_EXITED, 3);
    cr_assert(WIFEXITED(s) && !WIFSIGNALED(s));
    cr_assert_eq(WEXITSTATUS(s), 3);
    cr_assert_eq(WEXITSTATUS(status_posix(TASK_EXITED, 0x1FF)), 0xFF, "the low 8 bits, as POSIX keeps");
    s = status_posix(TASK_KILLED, 14);                 /* the kernel killed it for #PF */
    cr_assert(WIFSIGNALED(s) && !WIFEXITED(s));
    cr_assert_eq(WTERMSIG(s), SIGSEGV);
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, 0)), SIGFPE);          /* #DE */
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, SIGNAL_STATUS(SIGILL))), SIGILL);
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, 7)), SIGKILL, "#NM raises no signal");
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, TASK_STATUS_KILLED)), SIGKILL);
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, TASK_STATUS_ORPHANED)), SIGKILL);
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, TASK_STATUS_RECLAIMED)), SIGKILL);
    cr_assert_eq(WTERMSIG(status_posix(TASK_KILLED, 99)), SIGKILL, "a status no signal names");
    s = status_posix(TASK_ALIVE, 0);
    cr_assert(!WIFEXITED(s) && !WIFSIGNALED(s), "running is neither");
}
