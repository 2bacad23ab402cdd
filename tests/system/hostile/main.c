/* The hostile suite's recording fault handler, victims and main. */
#include "hostile.h"

struct fault_log fault_log;
enum answer answer;
volatile uint32_t site_at, site_next;

static relay_handle handler_ep;    /* victims' exception handler */
static relay_handle victim_done;   /* a victim signals it when its function returns */
static relay_handle notices;       /* the supervisor endpoint, if the role was given */

static void reply_for(const struct fault_record *r, struct msg *m)
{
    *m = (struct msg){ 0 };
    struct fault_regs regs = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp, r->esp,
                               r->eip, r->eflags, r->ds, r->es, r->fs, r->gs };
    switch (answer) {
    case REPLY_SKIP:
        regs.eip = site_next;
        regs.eflags &= ~0x100u;                /* and stop single-stepping */
        regs.ds = regs.es = regs.fs = regs.gs = 0x23;
        m->label = FAULT_RESUME;
        m->length = FAULT_REGS_WORDS;
        memcpy(m->w, &regs, sizeof regs);
        break;
    case REPLY_KILL_THREAD:
        m->label = FAULT_KILL_THREAD;
        break;
    case REPLY_PROTECT:
        map_protect(startup_info()->self_task, r->cr2 & ~(PAGE_SIZE - 1), MAP_WRITABLE);
        m->label = FAULT_RETRY;
        break;
    case REPLY_MAP_WRITABLE: {
        uint32_t pa = 0;
        if (frame_alloc(&pa) == ERR_NONE)
            frame_fill(pa, 0, 0, 0);
        *m = (struct msg){ .label = FAULT_MAP, .length = 2, .w = { pa, MAP_WRITABLE } };
        break;
    }
    }
}

static void handler(void *arg)
{
    (void)arg;
    struct msg m;
    int err = ipc_recv(handler_ep, &m, TIMEOUT_FOREVER);
    for (;;) {
        if (err == ERR_NONE && msg_from_kernel(&m, LABEL_FAULT)) {
            memcpy(&fault_log.rec, m.w, sizeof fault_log.rec);
            fault_log.count++;
            fault_log.info = m.flags;
            reply_for(&fault_log.rec, &m);
            err = ipc_reply_recv(handler_ep, &m, &m, TIMEOUT_FOREVER);
            fault_log.reply_error = err == ERR_NONE || err == ERR_TIMEOUT ? ERR_NONE : err;
        } else {
            err = ipc_recv(handler_ep, &m, TIMEOUT_FOREVER);
        }
    }
}

int run_victim(void (*fn)(void), uint32_t ticks)
{
    return victim_run(fn, handler_ep, victim_done, VICTIM_PRIORITY, ticks, 0);
}

int take_notice(struct fault_record *rec, uint32_t ticks)
{
    return notices == HANDLE_NULL ? ERR_NO_RIGHTS : notice_take(notices, rec, ticks);
}

void hostile_restore_supervisor(void)
{
    sys_supervisor_set(startup_info()->supervisor, notices);
}

uint32_t longest_path_seen, longest_path_vector, longest_path_eax;
int path_bounded;

/* Read the meter (and start it afresh): the longest since the last reset. */
static int path_read(struct kernel_check *k)
{
    *k = (struct kernel_check){ 0 };
    if (sys_kernel_check((uint32_t)k, KERNEL_CHECK_RESET).error != ERR_NONE)
        return 0;
    if (k->longest_path > longest_path_seen) {
        longest_path_seen = k->longest_path;
        longest_path_vector = k->longest_vector;
        longest_path_eax = k->longest_eax;
    }
    return 1;
}

void path_reset(void)
{
    struct kernel_check k;
    path_read(&k);
}

uint32_t path_report(const char *name)
{
    struct kernel_check k;
    if (!path_read(&k))
        return 0;
    printf("BENCH longest_path_%s %u\n", name, k.longest_path);
    if (path_bounded && k.longest_path > LONGEST_PATH_BOUND)
        printf("  %s: a kernel path of %u (vector %u, eax 0x%x) is over %u\n", name, k.longest_path,
               k.longest_vector, k.longest_eax, LONGEST_PATH_BOUND);
    return k.longest_path;
}

uint32_t kernel_violations(void)
{
    struct kernel_check k = { 0 };
    return sys_kernel_check((uint32_t)&k, 0).error == ERR_NONE ? k.violations : 0;
}

int main(int argc, char **argv)
{
    const struct startup_info *si = startup_info();
    if (utest_arg(argc, argv, "role"))             /* a copy playing a role: no set-up */
        return utest_main("hostile", argc, argv);
    if (endpoint_create(si->factory, &handler_ep) || notification_create(si->factory, &victim_done)
        || never_signalled() == HANDLE_NULL || endpoint_create(si->factory, &notices))
        return 126;
    if (sys_supervisor_set(si->supervisor, notices).error) {   /* proc did not give us the role */
        printf("hostile: not the supervisor: the tests that read notices will fail\n");
        handle_delete(notices);
        notices = HANDLE_NULL;
    }
    path_bounded = utest_arg(argc, argv, "icount") != 0 || (argc > 1 && !strcmp(argv[argc - 1], "icount"));
    path_reset();
    struct thread *h;
    struct thread_spec spec = { handler, 0, HANDLER_PRIORITY, HANDLE_NULL, 0 };
    if (thread_spawn(&spec, &h))
        return 126;
    return utest_main("hostile", argc, argv);
}
