/* The fault suite's handler thread, victims and main. */
#include "faulttest.h"

struct fault_log fault_log;
enum answer answer;
struct fault_regs answer_regs;
relay_handle handler_ep;
volatile uint32_t site_at, site_next;
relay_handle victim_handle;

static relay_handle victim_done;   /* a victim signals it when its function returns */
static relay_handle notices;       /* where the kernel sends notices (supervisor_set) */

static void reply_for(const struct fault_record *r, struct msg *m)
{
    *m = (struct msg){ 0 };
    struct fault_regs regs = { r->eax, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp, r->esp,
                               r->eip, r->eflags, r->ds, r->es, r->fs, r->gs };
    switch (answer) {
    case REPLY_SKIP:
        regs.eip = site_next;
        regs.eflags &= ~0x100u;                /* and stop single-stepping */
        /* fall through */
    case REPLY_RESUME_REGS:
        if (answer == REPLY_RESUME_REGS)
            regs = answer_regs;
        m->label = FAULT_RESUME;
        m->length = FAULT_REGS_WORDS;
        memcpy(m->w, &regs, sizeof regs);
        break;
    case REPLY_RETURN:                         /* the victim's stack is ours to read */
        regs.eip = *(const uint32_t *)r->esp;
        regs.esp = r->esp + 4;
        m->label = FAULT_RESUME;
        m->length = FAULT_REGS_WORDS;
        memcpy(m->w, &regs, sizeof regs);
        break;
    case REPLY_MAP_RETRY: {
        uint32_t pa;
        if (frame_alloc(&pa) == ERR_NONE && frame_fill(pa, 0, 0, 0) == ERR_NONE)
            page_map(startup_info()->self_task, r->cr2 & ~(PAGE_SIZE - 1), pa, MAP_WRITABLE);
        m->label = FAULT_RETRY;
        break;
    }
    case REPLY_MAP_REPLY: {
        uint32_t pa = 0;
        if (frame_alloc(&pa) == ERR_NONE)
            frame_fill(pa, 0, 0, 0);
        m->label = FAULT_MAP;
        m->length = 2;
        m->w[0] = pa;
        m->w[1] = MAP_WRITABLE;
        break;
    }
    case REPLY_MAP_FOREIGN:
        m->label = FAULT_MAP;
        m->length = 2;
        m->w[0] = 0x00100000;                  /* the kernel's image: nobody's to map */
        m->w[1] = MAP_WRITABLE;
        break;
    case REPLY_KILL_THREAD:
        m->label = FAULT_KILL_THREAD;
        break;
    case REPLY_KILL_TASK:
        m->label = FAULT_KILL_TASK;
        m->length = 1;
        m->w[0] = 0x5A;
        break;
    case REPLY_BAD_VERB:
        m->label = 77;
        break;
    case REPLY_SIT:
    case REPLY_FAULT:
    case REPLY_DIE:
        break;
    }
}

/* The handler thread: record each fault, answer as told. */
static void handler(void *arg)
{
    (void)arg;
    relay_handle ep = handler_ep;              /* the endpoint as it was when it started */
    struct msg m;
    int err = ipc_recv(ep, &m, TIMEOUT_FOREVER);
    for (;;) {
        if (err == ERR_NONE && msg_from_kernel(&m, LABEL_FAULT)) {
            memcpy(&fault_log.rec, m.w, sizeof fault_log.rec);
            fault_log.badge = m.badge;
            fault_log.count++;
            if (answer == REPLY_SIT)
                park();
            if (answer == REPLY_FAULT)
                asm volatile("ud2");
            if (answer == REPLY_DIE)
                thread_kill(thread_self()->handle);
            reply_for(&fault_log.rec, &m);
            err = ipc_reply_recv(ep, &m, &m, TIMEOUT_FOREVER);
        } else {
            err = ipc_recv(ep, &m, TIMEOUT_FOREVER);
        }
    }
}

static struct thread *handler_thread;
struct thread *handler_thread_for_tests(void) { return handler_thread; }

/* (Re)start the handler thread: a test may have killed or lost it. */
void ensure_handler(void)
{
    if (handler_thread && sys_thread_read_regs(handler_thread->handle, 0).error != ERR_DELETED)
        return;                                     /* alive */
    if (handler_thread)
        thread_release(handler_thread);
    struct thread_spec spec = { handler, 0, HANDLER_PRIORITY, HANDLE_NULL, 0 };
    thread_spawn(&spec, &handler_thread);
}

int run_victim(void (*fn)(void), uint32_t ticks)
{
    ensure_handler();
    return victim_run(fn, handler_ep, victim_done, VICTIM_PRIORITY, ticks, &victim_handle);
}

int take_notice(struct fault_record *rec, uint32_t ticks)
{
    return notice_take(notices, rec, ticks);
}

int main(int argc, char **argv)
{
    const struct startup_info *si = startup_info();
    if (utest_arg(argc, argv, "role"))           /* a copy playing a role: no suite set-up */
        return utest_main("faults", argc, argv);
    if (program_page_in() || endpoint_create(si->factory, &handler_ep) || notification_create(si->factory, &victim_done)
        || endpoint_create(si->factory, &notices) || never_signalled() == HANDLE_NULL
        || sys_supervisor_set(si->supervisor, notices).error)
        return 126;
    return utest_main("faults", argc, argv);
}
