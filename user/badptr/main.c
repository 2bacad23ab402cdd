/*
 * badptr: a write to an unmapped address (0x10), and how a parent learns
 * what became of the child that made it.  badptr starts three copies of
 * itself (its own image, images[0], run with "role=..."), each of which
 * writes to 0x10, and reads each one's end from task_status:
 *
 *   role=plain       no handler at all: the kernel kills the task with the
 *                    vector as status -> "killed by #PF (no handler)"
 *   role=default     the child asks libos for SIGSEGV's default action
 *                    (signal(SIGSEGV, SIG_DFL)): libos' handler thread
 *                    prints the fault and kills the task with status
 *                    128 + SIGSEGV -> "killed by SIGSEGV"
 *   role=supervised  the child is an ordinary program; the parent made its
 *                    own endpoint the child's exception handler before the
 *                    child first ran (the child runs at a lower priority,
 *                    so it starts only when the parent waits) and serves
 *                    it with fault_serve, answering with the default
 *                    action -> "killed by SIGSEGV at address 0x00000010":
 *                    the parent saw the fault record, so it knows where.
 *
 * badptr exits 0 if every child ended as it should.
 */
#include <relay/libos.h>

#define BAD_ADDRESS    0x10u
#define CHILD_PRIORITY 9u        /* below proc's programs (10): runs only when we wait */
#define CHILD_PAGES    64u
#define CHILD_TICKS    500u      /* 5 s for a child to end */

static void write_bad_pointer(const char *role)
{
    printf("badptr[%s]: writing to 0x%08x\n", role, BAD_ADDRESS);
    volatile uint32_t *volatile bad = (volatile uint32_t *)BAD_ADDRESS;   /* opaque to the compiler */
    *bad = 0xBAD;
    printf("badptr[%s]: still running after the write: wrong\n", role);
}

/* A child: the role is argv[1], "role=NAME". */
static int child(const char *role)
{
    if (strcmp(role, "default") == 0 && signal(SIGSEGV, SIG_DFL) == SIG_ERR)
        return 2;
    write_bad_pointer(role);
    return 1;
}

/* What the parent's fault_serve saw of the supervised child. */
static struct {
    volatile uint32_t count;
    struct fault fault;
} seen;

static int supervise(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    seen.fault = *f;
    seen.count++;
    return signal_default(f, a);
}

static void serve_faults(void *ep)
{
    fault_serve((relay_handle)(uintptr_t)ep, supervise, 0, 0);
}

/* Start a copy of this program as `role`; with supervisor_ep, that endpoint handles its faults. */
static int start_child(const char *role, relay_handle supervisor_ep, struct child *c,
                       relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    char cmdline[STARTUP_NAME_MAX];
    snprintf(cmdline, sizeof cmdline, "badptr role=%s", role);
    int err = notification_create(si->factory, exit_n);
    if (err)
        return err;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = cmdline, .factory = si->factory, .exit_notification = *exit_n,
        .exit_bits = 1, .give_factory = si->factory, .memory_pages = CHILD_PAGES,
        .priority = CHILD_PRIORITY,
    };
    err = spawn(&a, c);
    if (!err && supervisor_ep != HANDLE_NULL)
        err = fault_set_handler(c->thread, supervisor_ep);   /* before it first runs */
    if (err)
        handle_delete(*exit_n);
    return err;
}

/* Run one child to its end; 1 if it was killed with want_status. */
static int run_child(const char *role, relay_handle supervisor_ep, uint32_t want_status)
{
    struct child c;
    relay_handle exit_n;
    int err = start_child(role, supervisor_ep, &c, &exit_n);
    if (err) {
        printf("badptr: cannot start the %s child: %s\n", role, strerror(err));
        return 0;
    }
    uint32_t bits, state = TASK_ALIVE, status = 0;
    if (notify_wait(exit_n, &bits, CHILD_TICKS) == ERR_NONE)
        task_status(c.task, &state, &status);
    if (state == TASK_ALIVE) {
        thread_kill(c.thread);
        notify_wait(exit_n, &bits, CHILD_TICKS);    /* its memory is back once it fires */
    }
    char how[64];
    status_describe(state, status, how, sizeof how);
    if (supervisor_ep != HANDLE_NULL && seen.count)
        printf("badptr: %s child %s at address 0x%08x\n", role, how, seen.fault.address);
    else
        printf("badptr: %s child %s\n", role, how);
    spawn_release(&c);
    handle_delete(exit_n);
    return state == TASK_KILLED && status == want_status;
}

/* The supervised child: our endpoint, served by a thread of ours. */
static int run_supervised(void)
{
    relay_handle ep;
    struct thread *server;
    if (endpoint_create(startup_info()->factory, &ep))
        return 0;
    struct thread_spec spec = { serve_faults, (void *)(uintptr_t)ep, thread_priority_max(),
                                HANDLE_NULL, 0 };
    if (thread_spawn(&spec, &server)) {
        handle_delete(ep);
        return 0;
    }
    int ok = run_child("supervised", ep, SIGNAL_STATUS(SIGSEGV));
    ok &= seen.count == 1 && seen.fault.vector == 14 && seen.fault.address == BAD_ADDRESS
          && seen.fault.page.write && !seen.fault.page.protection && seen.fault.page.user;
    thread_release(server);
    handle_delete(ep);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "role=", 5) == 0)
        return child(argv[1] + 5);
    if (startup_info()->image_count == 0) {
        printf("FAIL badptr: no image of itself to start children from\n"
               "badptr: 0 passed, 1 failed\n");
        return 1;
    }
    printf("badptr: three children write to 0x%08x: unhandled, default action, supervised\n",
           BAD_ADDRESS);
    int ok = run_child("plain", HANDLE_NULL, 14);
    ok &= run_child("default", HANDLE_NULL, SIGNAL_STATUS(SIGSEGV));
    ok &= run_supervised();
    printf("%s badptr: a bad write kills the child: by the kernel (#PF), by libos' default "
           "SIGSEGV action, and by a supervising parent that saw the address\n",
           ok ? "PASS" : "FAIL");
    printf("badptr: %d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
