/*
 * The gate itself: every register hostile at int 0x80, every call number
 * with hostile arguments, and the EFLAGS bits a ring-3 caller can set
 * (DF, AC, TF, NT).  A bad call is an error code; the caller's ESP, EIP and
 * EFLAGS come back as they went in (ABI.md section 1).
 */
#include "generic.h"

#define EFLAGS_ARITH 0x000008D5u    /* CF PF AF ZF SF OF */
#define EFLAGS_TF    0x00000100u
#define EFLAGS_DF    0x00000400u
#define EFLAGS_NT    0x00004000u
#define EFLAGS_AC    0x00040000u

/* Named for the asm below: the state around one int 0x80. */
uint32_t gate_flags_in, gate_flags_before, gate_saved_esp;
uint32_t gate_out[9];              /* EAX EBX ECX EDX ESI EDI EBP ESP EFLAGS after the int */
uint32_t gate_tf_next;             /* the instruction after a single-stepped int 0x80 */

/*
 * Every general register 0xFFFFFFFF at the gate (EAX too: call 255, timeout
 * TIMEOUT_FOREVER), the arithmetic flags all set.  SET_ESP and GET_ESP
 * optionally make ESP hostile as well: the kernel must never use it.
 */
#define GATE_ALL_ONES(SET_ESP, GET_ESP)                                        \
    asm volatile("pushl %%ebp\n\t"                                             \
                 "movl %%esp, gate_saved_esp\n\t"                              \
                 "pushl gate_flags_in\n\t"                                     \
                 "popfl\n\t"                                                   \
                 "pushfl\n\t"                                                  \
                 "popl gate_flags_before\n\t"                                  \
                 "movl $-1, %%eax\n\t"                                         \
                 "movl $-1, %%ebx\n\t"                                         \
                 "movl $-1, %%ecx\n\t"                                         \
                 "movl $-1, %%edx\n\t"                                         \
                 "movl $-1, %%esi\n\t"                                         \
                 "movl $-1, %%edi\n\t"                                         \
                 "movl $-1, %%ebp\n\t"                                         \
                 SET_ESP                                                       \
                 "int $0x80\n\t"                                               \
                 GET_ESP                                                       \
                 "pushfl\n\t"                                                  \
                 "popl gate_out+32\n\t"                                        \
                 "movl %%eax, gate_out\n\t"                                    \
                 "movl %%ebx, gate_out+4\n\t"                                  \
                 "movl %%ecx, gate_out+8\n\t"                                  \
                 "movl %%edx, gate_out+12\n\t"                                 \
                 "movl %%esi, gate_out+16\n\t"                                 \
                 "movl %%edi, gate_out+20\n\t"                                 \
                 "movl %%ebp, gate_out+24\n\t"                                 \
                 "popl %%ebp\n\t"                                              \
                 "cld"                                                         \
                 ::: "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc")

static void all_ones(void)
{
    GATE_ALL_ONES("", "movl %%esp, gate_out+28\n\t");
}

static void all_ones_esp_too(void)
{
    GATE_ALL_ONES("movl $-1, %%esp\n\t", "movl %%esp, gate_out+28\n\tmovl gate_saved_esp, %%esp\n\t");
}

static void check_all_ones(uint32_t esp_want)
{
    CHECK_EQ(gate_out[0], ERR_NO_SYSCALL);            /* call 255 is past the list */
    for (int i = 1; i <= 6; i++)
        CHECK_EQ(gate_out[i], 0xFFFFFFFFu);           /* no results: every register as it went in */
    CHECK_EQ(gate_out[7], esp_want);
    CHECK_EQ(gate_out[8], gate_flags_before);
    CHECK_EQ(gate_out[8] & EFLAGS_ARITH, EFLAGS_ARITH);
}

TEST(gate_all_ones, "every register 0xFFFFFFFF at int 0x80: ERR_NO_SYSCALL, registers, ESP, EIP, EFLAGS intact")
{
    struct kernel_info before = kinfo();
    uint32_t faults = fault_log.count;
    memset(gate_out, 0, sizeof gate_out);
    gate_flags_in = EFLAGS_ARITH | 0x202u;
    answer = REPLY_KILL_THREAD;                       /* a wrong EIP or ESP ends only the victim */
    CHECK(run_victim(all_ones, 100));
    CHECK_EQ(fault_log.count, faults);
    check_all_ones(gate_saved_esp);
    answer = REPLY_SKIP;
    CHECK_NO_LEAK(before);
}

TEST(gate_hostile_esp, "ESP 0xFFFFFFFF at int 0x80 as well: the kernel never touches the user stack")
{
    uint32_t faults = fault_log.count;
    memset(gate_out, 0, sizeof gate_out);
    gate_flags_in = EFLAGS_ARITH | 0x202u;
    answer = REPLY_KILL_THREAD;
    CHECK(run_victim(all_ones_esp_too, 100));
    CHECK_EQ(fault_log.count, faults);
    check_all_ones(0xFFFFFFFFu);
    answer = REPLY_SKIP;
}

/* --- Every call number, from a task of its own (exit ends it). ---------- */

/* Whether this kernel has the invariant checker (the test kernel does). */
static int checker_present(void)
{
    struct kernel_check k;
    return sys_kernel_check((uint32_t)&k, 0).error == ERR_NONE;
}

/* What call nr returns with every argument `fill` (0 or 0xFFFFFFFF), timeout POLL. */
static uint32_t sweep_expected(uint32_t nr, uint32_t fill)
{
    if (nr >= RELAY_SYSCALL_COUNT)
        return ERR_NO_SYSCALL;
    switch (nr) {
    case SYS_nop:
    case SYS_yield:
        return ERR_NONE;
    case SYS_debug_write:                             /* (NULL, 0) is nothing to write */
        return fill ? ERR_INVALID : ERR_NONE;
    case SYS_reply:                                   /* nobody called; 63 words is too long */
        return fill ? ERR_TOO_LONG : ERR_NO_PARTNER;
    case SYS_kernel_info:
        return ERR_BAD_ADDRESS;
    case SYS_frame_revoke:                            /* frame 0 is nobody's; 0xFFFFFFFF unaligned */
        return fill ? ERR_RANGE : ERR_NOT_OWNER;
    case SYS_kernel_check:                            /* the test kernel's: a bad buffer */
        return checker_present() ? ERR_BAD_ADDRESS : ERR_NO_SYSCALL;
    default:                                          /* handle 0 and slot 255 of generation
                                                         0xFFFFFF were never issued */
        return ERR_BAD_HANDLE;
    }
}

/* role=gate_sweep [ones=1]: calls 0..255 but exit, reports, then exit itself with the same arguments. */
ROLE(gate_sweep)
{
    uint32_t fill = utest_arg_u32(argc, argv, "ones", 0) ? 0xFFFFFFFFu : 0;
    const uint32_t in[6] = { fill, fill, fill, fill, fill, fill };
    uint32_t wrong = 0;
    for (uint32_t nr = 0; nr < 256; nr++) {
        if (nr == SYS_exit)
            continue;
        struct sys_result r = relay_syscall(RELAY_SYSNR(nr, TIMEOUT_POLL), in);
        int ok = r.error == sweep_expected(nr, fill) && error_valid(r.error);
        for (int i = 0; i < 6 && nr >= RELAY_SYSCALL_COUNT; i++)
            ok &= r.r[i] == fill;                     /* no call: no results */
        if (!ok && wrong++ < 8)
            printf("  gate_sweep: call %u (%s), arguments 0x%x: returned %u (%s), ABI says %u\n", nr,
                   relay_syscall_name(nr) ? relay_syscall_name(nr) : "none", fill, r.error,
                   relay_error_name((int)r.error), sweep_expected(nr, fill));
    }
    struct msg m = { .label = 1, .length = 1, .w = { wrong } };
    ipc_call(startup_info()->parent, &m, 1000);
    relay_syscall(RELAY_SYSNR(SYS_exit, TIMEOUT_POLL), in);    /* exit(fill) */
    return 200;                                       /* exit came back */
}

static void sweep(const char *role, uint32_t status_want)
{
    relay_handle ep, exit_n;
    struct child c;
    struct msg m;
    uint32_t status;
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    CHECK_EQ(role_spawn(role, ep, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(ipc_recv(ep, &m, 500), ERR_NONE);
    CHECK_EQ(m.w[0], 0);                              /* calls that returned what the ABI says not */
    CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, status_want);
    handle_delete(ep);
}

TEST(call_number_sweep, "calls 0..255 with all-zero and all-one arguments: the ABI's errors, ERR_NO_SYSCALL past the list")
{
    struct kernel_info before = kinfo_base();
    sweep("role=gate_sweep", 0);
    sweep("role=gate_sweep ones=1", 0xFFFFFFFFu);
    CHECK_EQ(sys_nop().error, ERR_NONE);              /* and the rest of us goes on */
    CHECK_NO_LEAK(before);
}

/* --- EFLAGS at the gate. ------------------------------------------------- */

/* int 0x80 with EAX = eax, EBX = ebx and `set` ORed into EFLAGS; *after is
 * EFLAGS right after the int.  The bits are cleared again before returning. */
static uint32_t gate_with_flags(uint32_t eax, uint32_t ebx, uint32_t set, uint32_t *after)
{
    uint32_t f;
    asm volatile("pushfl\n\t"
                 "orl %[set], (%%esp)\n\t"
                 "popfl\n\t"
                 "int %[vector]\n\t"
                 "pushfl\n\t"
                 "popl %[f]\n\t"
                 "pushfl\n\t"
                 "andl %[clear], (%%esp)\n\t"
                 "popfl"
                 : "+a"(eax), [f] "=&r"(f)
                 : "b"(ebx), [set] "r"(set), [clear] "r"(~set), [vector] "i"(RELAY_SYSCALL_VECTOR)
                 : "memory", "cc");
    *after = f;
    return eax;
}

TEST(df_at_gate, "DF set at the gate: kernel_info fills its buffer forwards, nothing before it, DF comes back")
{
    static uint8_t buf[96];
    const uint32_t at = 48;
    uint32_t after, untouched = 0;
    memset(buf, 0xAA, sizeof buf);
    CHECK_EQ(gate_with_flags(SYS_kernel_info, (uint32_t)(buf + at), EFLAGS_DF, &after), ERR_NONE);
    struct kernel_info now = kinfo();
    CHECK(after & EFLAGS_DF);
    for (uint32_t i = 0; i < sizeof buf; i++)
        untouched += (i < at || i >= at + sizeof now) && buf[i] == 0xAA;
    CHECK_EQ(untouched, sizeof buf - sizeof now);
    CHECK(memcmp(buf + at, &now, sizeof now) == 0);  /* forwards: the same bytes as with DF clear */
}

TEST(flags_at_gate, "DF, AC and NT set at the gate: the call works and all three come back set")
{
    struct kernel_info k;
    uint32_t after;
    const uint32_t flags = EFLAGS_DF | EFLAGS_AC | EFLAGS_NT;
    memset(&k, 0, sizeof k);
    CHECK_EQ(gate_with_flags(SYS_kernel_info, (uint32_t)&k, flags, &after), ERR_NONE);
    CHECK_EQ(after & flags, flags);
    CHECK(k.tasks > 0 && k.threads > 0);
    CHECK_EQ(gate_with_flags(SYS_nop, 0, EFLAGS_NT, &after), ERR_NONE);
    CHECK(after & EFLAGS_NT);
    CHECK_EQ(gate_with_flags(SYS_nop, 0, EFLAGS_AC, &after), ERR_NONE);
    CHECK(after & EFLAGS_AC);
    CHECK_EQ(sys_nop().error, ERR_NONE);
}

static relay_handle tf_notification;
static volatile uint32_t tf_call, tf_ebx;   /* EAX and EBX for the single-stepped int 0x80 */
uint32_t gate_tf_flags;                     /* set with TF: DF, AC */

/* TF set, then int 0x80: the gate clears TF, so the kernel runs unstepped;
 * the IRET that gives it back traps after the next instruction (SDM vol. 3A
 * 17.3.1.4: no single-step trap after the instruction that sets TF). */
static void tf_at_gate(void)
{
    uint32_t eax = tf_call, ebx = tf_ebx;
    asm volatile("movl $1f, site_at\n\t"
                 "movl $3f, site_next\n\t"
                 "movl $2f, gate_tf_next\n\t"
                 "pushfl\n\t"
                 "orl $0x100, (%%esp)\n\t"
                 "movl gate_tf_flags, %%ecx\n\t"
                 "orl %%ecx, (%%esp)\n\t"
                 "popfl\n"
                 "1:\tint $0x80\n"
                 "2:\tnop\n"
                 "3:\tcld\n\t"                       /* the resume keeps DF and AC: ours to clear */
                 "pushfl\n\t"
                 "andl $0xFFFBFFFF, (%%esp)\n\t"
                 "popfl"
                 : "+a"(eax), "+b"(ebx)
                 :
                 : "ecx", "edx", "esi", "edi", "memory", "cc");
}

static void check_tf(uint32_t call, uint32_t ebx, uint32_t flags, uint32_t result)
{
    uint32_t before = fault_log.count;
    tf_call = call;
    tf_ebx = ebx;
    gate_tf_flags = flags;
    answer = REPLY_SKIP;                             /* resumes with TF clear */
    CHECK(run_victim(tf_at_gate, 200));
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(fault_log.rec.vector, 1);
    CHECK_EQ(fault_log.rec.eip, gate_tf_next + 1);    /* the nop after the int ran, then the trap */
    CHECK_EQ(fault_log.rec.eax, result);
    CHECK(fault_log.rec.eflags & EFLAGS_TF);
    CHECK_EQ(fault_log.rec.eflags & flags, flags);   /* what else was set came back too */
}

TEST(tf_at_gate, "TF set at int 0x80 (nop, a blocking wait, kernel_info with DF and AC): one #DB after the int")
{
    static uint8_t buf[96];
    struct kernel_info before = kinfo();
    CHECK_EQ(notification_create(startup_info()->factory, &tf_notification), ERR_NONE);
    check_tf(SYS_nop, 0, 0, ERR_NONE);
    check_tf(RELAY_SYSNR(SYS_wait, 2), tf_notification, 0, ERR_TIMEOUT);   /* blocked, switched away and back */
    memset(buf, 0xAA, sizeof buf);
    check_tf(SYS_kernel_info, (uint32_t)(buf + 48), EFLAGS_DF | EFLAGS_AC, ERR_NONE);
    struct kernel_info now = kinfo();
    CHECK_EQ(buf[47], 0xAA);                          /* forwards, from buf + 48 */
    CHECK_EQ(buf[48 + sizeof now], 0xAA);
    CHECK_EQ(((struct kernel_info *)(buf + 48))->tasks, now.tasks);
    handle_delete(tf_notification);
    CHECK_NO_LEAK(before);
}

/* kernel_info into buf with DS = ES = null and FS = GS = the user code
 * selector; out[] gets DS, ES, FS, GS as they came back. */
static uint32_t gate_with_segments(void *buf, uint32_t out[4])
{
    uint32_t eax = SYS_kernel_info, ds, es, fs, gs;
    asm volatile("xorl %%ecx, %%ecx\n\t"
                 "movw %%cx, %%ds\n\t"
                 "movw %%cx, %%es\n\t"
                 "movl $0x1b, %%ecx\n\t"
                 "movw %%cx, %%fs\n\t"
                 "movw %%cx, %%gs\n\t"
                 "int %[vector]\n\t"
                 "movl %%ds, %%ecx\n\t"
                 "movl %%es, %%edx\n\t"
                 "movl %%fs, %%esi\n\t"
                 "movl %%gs, %%edi\n\t"
                 "pushl $0x23\n\t"
                 "popl %%ds\n\t"                      /* pop through SS, which stays good */
                 "pushl $0x23\n\t"
                 "popl %%es\n\t"
                 "pushl $0x23\n\t"
                 "popl %%fs\n\t"
                 "pushl $0x23\n\t"
                 "popl %%gs"
                 : "+a"(eax), "=&c"(ds), "=&d"(es), "=&S"(fs), "=&D"(gs)
                 : "b"(buf), [vector] "i"(RELAY_SYSCALL_VECTOR)
                 : "memory", "cc");
    out[0] = ds & 0xFFFF, out[1] = es & 0xFFFF, out[2] = fs & 0xFFFF, out[3] = gs & 0xFFFF;
    return eax;
}

TEST(segments_at_gate, "null DS and ES, the code selector in FS and GS at int 0x80: the call works, all four come back")
{
    struct kernel_info k;
    uint32_t seg[4];
    memset(&k, 0, sizeof k);
    CHECK_EQ(gate_with_segments(&k, seg), ERR_NONE);
    CHECK_EQ(seg[0], 0);
    CHECK_EQ(seg[1], 0);
    CHECK_EQ(seg[2], 0x1Bu);
    CHECK_EQ(seg[3], 0x1Bu);
    CHECK_EQ(k.tasks, kinfo().tasks);
}

/* FS and GS as they are now (low 16 bits). */
static void read_fs_gs(uint32_t *fs, uint32_t *gs)
{
    uint32_t f, g;
    asm volatile("movl %%fs, %0\n\tmovl %%gs, %1" : "=r"(f), "=r"(g));
    *fs = f & 0xFFFF, *gs = g & 0xFFFF;
}

static void load_fs_gs(uint32_t sel)
{
    asm volatile("movw %w0, %%fs\n\tmovw %w0, %%gs" : : "r"(sel) : "memory");
}

static volatile uint32_t seg_rounds, seg_wrong;

/* The other thread: null FS and GS, yielding to main and checking its own. */
static void seg_spinner(void *arg)
{
    (void)arg;
    load_fs_gs(0);
    while (seg_rounds < 200) {
        uint32_t fs, gs;
        sys_yield();
        read_fs_gs(&fs, &gs);
        seg_wrong += fs != 0 || gs != 0;
        seg_rounds++;
    }
}

TEST(segments_across_switches, "two threads with their own FS and GS switch to each other through system calls 200 times: each keeps its own")
{
    struct thread *t;
    struct thread_spec spec = { seg_spinner, 0, MAIN_PRIORITY, HANDLE_NULL, 0 };
    uint32_t fs, gs, wrong = 0;
    seg_rounds = seg_wrong = 0;
    load_fs_gs(0x1B);                                 /* the user code selector: readable */
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    while (seg_rounds < 200) {
        sys_yield();                                  /* to the spinner, which yields back */
        read_fs_gs(&fs, &gs);
        wrong += fs != 0x1B || gs != 0x1B;
    }
    load_fs_gs(0x23);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(seg_wrong, 0);
    CHECK(seg_rounds >= 200);
    thread_kill(t->handle);
    thread_release(t);
}

static volatile uint32_t spin_count, spin_wrong, spin_done;

/* The other thread: null FS and GS, spinning (no system call) and checking them. */
static void seg_preempted(void *arg)
{
    (void)arg;
    load_fs_gs(0);
    while (!spin_done) {
        uint32_t fs, gs;
        read_fs_gs(&fs, &gs);
        spin_wrong += fs != 0 || gs != 0;
        spin_count++;
    }
}

TEST(segments_across_preemption, "two threads of one priority with their own FS and GS, spinning without a system call, preempted by the timer 10 times each way: each keeps its own")
{
    struct thread *t;
    struct thread_spec spec = { seg_preempted, 0, MAIN_PRIORITY, HANDLE_NULL, 0 };
    uint32_t fs, gs, wrong = 0, handoffs = 0, seen = 0;
    spin_count = spin_wrong = spin_done = 0;
    load_fs_gs(0x1B);
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    while (handoffs < 10) {                           /* the spinner ran: the timer took
                                                         the CPU from here, and gave it back */
        read_fs_gs(&fs, &gs);
        wrong += fs != 0x1B || gs != 0x1B;
        if (spin_count != seen) {
            seen = spin_count;
            handoffs++;
        }
    }
    spin_done = 1;
    load_fs_gs(0x23);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(spin_wrong, 0);
    CHECK(spin_count > 0);
    thread_kill(t->handle);
    thread_release(t);
}
