/*
 * proc: the root task -- the process server, the driver manager and the
 * name service, on one endpoint (docs/PROCESS.md, docs/DRIVERS.md).
 *
 * The kernel starts it with every Multiboot module but its own as an image
 * (cmdline "path arg1 arg2"), all the RAM the kernel does not keep, a
 * factory, and its own command line as argv.  proc prints a banner, starts
 * the drivers and servers among the images (drivers.h) -- the default pager
 * among them, whose PAGER_HELLO it waits for (at most HELLO_TICKS): from
 * then on every program it starts is paged by it (spawn_paged) -- then
 * every other image that is an ELF file as a program (the rest are files,
 * which the boot file system serves), an image named "init" first, as pid
 * 1.  Each is a process (serve.h, process.h), a child of proc (ppid 0):
 * argv from the image's command line, a factory of its own with
 * PROGRAM_KERNEL_MEMORY of proc's frames in it (kmem=N on proc's command
 * line: N MiB instead), which pays for the program's task and everything
 * the program creates, a share of memory (PROGRAM_MEMORY, or less if not
 * that much is free; the same share limits what its descendants may cost) and its
 * own image, so that it can start copies of itself.  When a program ends,
 * its factory is destroyed: whatever it made ends with it, and the frames
 * come back.  For each boot program that ends proc prints how, as libos'
 * status_describe says it:
 *     proc: <name> exited with status N
 *     proc: <name> killed by #PF (no handler)      (the kernel killed it)
 *     proc: <name> killed by SIGSEGV               (its handler did)
 * only=NAME on proc's command line (repeatable) starts only the programs it
 * names (as supervisor= names them): the other ELF images stay files in the
 * boot file system, for a shell to run.  respawn=NAME (repeatable) starts
 * that program again each time it ends, up to RESPAWNS_MAX times (init's
 * way with a shell).  When every boot program has ended: if one of proc's
 * own arguments is the word "halt", proc exits with status 0 if every
 * program exited with status 0 (and each started), else 1, and the kernel
 * stops the machine; otherwise it goes on serving.
 *
 * Programs run at priority 10 and may create threads up to 15, below
 * proc's own (16): no program can starve proc.
 *
 * The endpoint's messages, told apart by badge (process.h): a "proc"
 * handle's requests (ipc/relay/proc.h, serve.c) and the pager's hello, a
 * "names" handle's (names.c), a "drivers" handle's, the control protocol
 * (ipc/relay/drivers.h) that control=NAME gives a program, and the kernel's
 * notices.  Every process end signals its pid's bit of one notification
 * bound to proc's thread (bit 31 is the manager's clock), so one recv
 * returns either a message or the bits; proc scans the processes whose bit
 * it is with task_status.
 *
 * proc is also the supervisor: the kernel's notices of faults nobody could
 * handle (ipc/relay/fault.h) arrive on its endpoint, and proc prints each,
 * decoded, with the name of the program it came from, and keeps the fault
 * for the process's parent (PROC_WAIT):
 *     proc: <name>: #PF Page Fault (fault) at eip=0x00400123, address
 *           0x00000000: not-present read user; task 3 thread 7: no handler
 * The supervisor capability is proc's alone, unless proc's command line
 * names a program with supervisor=NAME (its first word, or that word's last
 * path part): that program gets a copy, whether proc starts it at boot or
 * a process spawns or execs it by name (not a fork's child), and may take
 * the notices itself (the fault suites do); when it ends, proc takes them
 * back.
 */
#include <relay/libos.h>
#include <relay/fault.h>
#include <relay/drivers.h>
#include <relay/pager_proto.h>
#include "drivers.h"
#include "names.h"
#include "serve.h"

#define CONSOLE_TICKS    50u              /* 0.5 s: a write to the console, at most */
#define HELLO_TICKS      500u             /* 5 s: the pager's hello, at most */
#define RESPAWNS_MAX     100u             /* respawn=NAME: starts again, at most */
#define PROGRAM_MEMORY   (16u << 20)      /* bytes of memory each program is given */
#define PROGRAM_KERNEL_MEMORY (4u << 20)  /* bytes of kernel memory (its factory's) */

static relay_handle notices;      /* proc's endpoint: notices, requests, hellos */
static int proc_argc;
static char **proc_argv;
static int ok = 1;                /* every boot program started and exited with status 0 */

static void first_word(const char *cmdline, char name[STARTUP_NAME_MAX])
{
    while (*cmdline == ' ' || *cmdline == '\t')
        cmdline++;
    size_t n = 0;
    while (n + 1 < STARTUP_NAME_MAX && cmdline[n] && cmdline[n] != ' ' && cmdline[n] != '\t')
        n++;
    memcpy(name, cmdline, n);
    name[n] = '\0';
}

/* Whether proc's argv says KEY=NAME (supervisor=, control=) for this program
 * (its path or last path part). */
static int named(const char *key, const char *name)
{
    const char *base = name;
    size_t n = strlen(key);
    for (const char *p = name; *p; p++)
        if (*p == '/')
            base = p + 1;
    for (int i = 1; i < proc_argc; i++)
        if (!strncmp(proc_argv[i], key, n) && proc_argv[i][n] == '='
            && (!strcmp(proc_argv[i] + n + 1, name) || !strcmp(proc_argv[i] + n + 1, base)))
            return 1;
    return 0;
}

int proc_names_image(const char *key, uint32_t image)
{
    char name[STARTUP_NAME_MAX];
    first_word(startup_info()->images[image].cmdline, name);
    return named(key, name);
}

void proc_supervise_again(void)
{
    sys_supervisor_set(startup_info()->supervisor, notices);
}

static uint32_t kernel_pages = PROGRAM_KERNEL_MEMORY / PAGE_SIZE;

/* Whether an image is a program (an ELF file), not a file for bootfs to serve. */
static int is_program(const struct startup_image *im)
{
    return im->size >= 4 && !memcmp((const void *)im->vaddr, "\x7f" "ELF", 4);
}

/* Whether proc starts image i: an ELF file that is no driver, and, if argv
 * has only=NAMEs, one of them. */
static int starts(const struct startup_info *si, uint32_t i)
{
    char name[STARTUP_NAME_MAX];
    int any_only = 0;
    if (drivers_is_driver(si, i) || !is_program(&si->images[i]))
        return 0;                         /* a driver, or a file (bootfs serves it) */
    for (int k = 1; k < proc_argc; k++)
        any_only |= !strncmp(proc_argv[k], "only=", 5);
    first_word(si->images[i].cmdline, name);
    return !any_only || named("only", name);
}

/* Whether image i is init: its file name is "init" or "init.elf". */
static int is_init(const struct startup_info *si, uint32_t i)
{
    char name[PROC_NAME_BYTES + 1] = { 0 };
    process_name(si->images[i].cmdline, name);
    return !strcmp(name, "init") || !strcmp(name, "init.elf");
}

/* Start boot image i as a child of proc; left is how many programs, this
 * one included, are still to start (its share of memory is 1/(left + 1)). */
static int start_boot(uint32_t i, uint32_t left, uint32_t respawns)
{
    const struct startup_info *si = startup_info();
    char name[STARTUP_NAME_MAX];
    first_word(si->images[i].cmdline, name);
    uint32_t share = frame_free_count() / (left + 1);
    int supervises = named("supervisor", name);
    struct start s = {
        .pid = is_init(si, i) ? PROC_INIT_PID : 0,
        .image = i,
        .cmdline = si->images[i].cmdline,
        .memory_pages = share < PROGRAM_MEMORY / PAGE_SIZE ? share : PROGRAM_MEMORY / PAGE_SIZE,
        .kernel_pages = kernel_pages,
        .limit = share,
        .supervisor = supervises ? si->supervisor : HANDLE_NULL,
        .controls = named("control", name),
    };
    struct process *p;
    int err = procs_start(&s, &p);
    if (err)
        return err;
    p->boot = 1;
    p->controls = (uint8_t)s.controls;
    p->respawns = respawns;
    return ERR_NONE;
}

/* How many boot programs run. */
static uint32_t boot_running(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < PROC_MAX; i++)
        n += procs.p[i].pid && procs.p[i].boot && procs.p[i].state == PROC_RUNNING;
    return n;
}

/* The name a notice gives: a boot program's first word, a process's name, a driver's. */
static const char *program_of(uint32_t task_id, char *buf, size_t len)
{
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        const struct process *p = &procs.p[i];
        if (p->pid && p->kind == PROC_PROGRAM && p->task_id == task_id && p->boot) {
            first_word(startup_info()->images[p->image].cmdline, buf);
            return buf;
        }
    }
    const char *name = procs_name_of(task_id);
    if (!name)
        name = drivers_name_of(task_id);
    if (name)
        return name;
    snprintf(buf, len, "task %u", task_id);
    return buf;
}

static void print_notice(const struct fault_record *r)
{
    struct fault f;
    char who[STARTUP_NAME_MAX], line[200];
    if (fault_decode(r, &f) != ERR_NONE) {
        printf("proc: a notice of a fault it cannot decode (version %u, vector %u)\n", r->version,
               r->vector);
        return;
    }
    fault_describe(&f, line, sizeof line);
    printf("proc: %s: %s%s\n", program_of(f.task, who, sizeof who), line,
           r->lost ? " (notices were lost before this one)" : "");
}

/* A child of proc ended: a boot program's line, and its respawn; an orphan goes quietly. */
void boot_program_ended(struct process *p)
{
    const struct startup_info *si = startup_info();
    char name[STARTUP_NAME_MAX], how[64];
    if (!p->boot)
        return;
    first_word(si->images[p->image].cmdline, name);
    status_describe(p->end_state, p->end_status, how, sizeof how);
    printf("proc: %s %s\n", name, how);
    ok &= p->end_state == TASK_EXITED && p->end_status == 0;
    if (p->respawns && p->respawns - 1 == 0) {
        printf("proc: %s ended %u times: not starting it again\n", name, RESPAWNS_MAX);
    } else if (p->respawns) {
        int err = start_boot(p->image, 1, p->respawns - 1);
        if (err)
            printf("proc: %s: cannot start it again: %s\n", name, strerror(err));
        else
            printf("proc: %s started again\n", name);
    }
}

static int wants_halt(void)
{
    for (int i = 0; i < proc_argc; i++)
        if (strcmp(proc_argv[i], "halt") == 0)
            return 1;
    return 0;
}

/* kmem=N: each program's kernel memory; 0 (printed) if bad. */
static int kmem_option(void)
{
    for (int i = 0; i < proc_argc; i++)
        if (!strncmp(proc_argv[i], "kmem=", 5)) {
            uint32_t mib = 0;
            for (const char *d = proc_argv[i] + 5; *d >= '0' && *d <= '9' && mib <= 2048; d++)
                mib = mib * 10 + (uint32_t)(*d - '0');
            if (mib == 0 || mib > 2048) {
                printf("proc: kmem=%s: want 1..2048 (MiB)\n", proc_argv[i] + 5);
                return 0;
            }
            kernel_pages = mib * (1024u * 1024u / PAGE_SIZE);
        }
    return 1;
}

/* The pager's PAGER_HELLO: its endpoint is proc's to page programs with,
 * and the name service's as "pager". */
static int hello(struct msg *m, uint32_t pid)
{
    relay_handle copy;
    if (!drivers_announcer(pid) || !(m->flags & MSGINFO_HANDLE)) {
        if (m->flags & MSGINFO_HANDLE)
            handle_delete(m->handle);
        return ERR_INVALID;
    }
    int err = handle_copy(m->handle, RIGHT_SEND | RIGHT_GRANT, &copy);
    if (!err)
        err = names_add("pager", copy, pid);
    if (err) {
        handle_delete(m->handle);
        return err;
    }
    procs_set_pager(m->handle);
    return ERR_NONE;
}

/* A message on proc's endpoint that is not a notification: a notice, a
 * request of the name service, the control protocol or the process server. */
static void serve(struct msg *m)
{
    uint32_t pid = m->badge & BADGE_PID;
    if (msg_from_kernel(m, LABEL_NOTICE)) {
        const struct fault_record *r = (const struct fault_record *)m->w;
        if (r->reason != NOTICE_IRQ_NOT_ACKED)    /* drivers_notice prints those */
            print_notice(r);
        procs_fault(r);
        drivers_notice(r);
    } else if (m->flags & MSGINFO_KERNEL) {
        return;
    } else if (m->badge & NAMES_BADGE) {
        names_serve(m, pid);
        ipc_reply(m);
        names_replied(m);
    } else if (m->badge & CONTROL_BADGE) {
        struct process *p = process_find(&procs, pid);
        char who[STARTUP_NAME_MAX];
        drivers_control(m, p ? program_of(p->task_id, who, sizeof who) : "?");
        ipc_reply(m);
    } else if ((m->badge & PROC_BADGE) && m->label == PAGER_HELLO) {
        *m = (struct msg){ .label = (uint32_t)hello(m, pid) };
        ipc_reply(m);
    } else if (m->badge & PROC_BADGE) {
        if (procs_request(m, pid))
            ipc_reply(m);
    }
}

/* A notification: the clock, or ends. */
static void notified(uint32_t bits)
{
    if (bits & 1u << DRIVER_CLOCK_BIT)
        drivers_tick();
    drivers_exited(bits);
    procs_exited(bits);
}

/* Serve until the pager has said hello (or is gone, or HELLO_TICKS passed). */
static void await_pager(void)
{
    for (uint32_t waited = 0; drivers_announcing() && procs_pager() == HANDLE_NULL;) {
        struct msg m;
        int err = ipc_recv(notices, &m, 10);
        if (err == ERR_TIMEOUT && (waited += 10) >= HELLO_TICKS) {
            printf("proc: the pager has not said hello: programs are loaded, not paged\n");
            return;
        }
        if (err)
            continue;
        if (m.flags & MSGINFO_NOTIFY)
            notified(m.w[0]);
        else
            serve(&m);
    }
}

int main(int argc, char **argv)
{
    const struct startup_info *si = startup_info();
    relay_handle exits;
    proc_argc = argc;
    proc_argv = argv;
    printf("proc: Relay root task: %u program%s, %u KiB of memory\n", si->image_count,
           si->image_count == 1 ? "" : "s", frame_free_count() * (PAGE_SIZE / 1024));
    int err = notification_create(si->factory, &exits);
    if (!err)
        err = endpoint_create(si->factory, &notices);
    if (!err)
        err = sys_supervisor_set(si->supervisor, notices).error;
    if (!err)
        err = notify_bind(si->self_thread, exits);
    if (err) {
        printf("proc: cannot set up: %s\n", strerror(err));
        return 1;
    }
    if (!kmem_option() || !drivers_configure(argc, argv))
        return 1;
    procs_init(notices, exits);
    ok = drivers_start(si, exits, notices);
    /* proc's own lines go where the programs' go, in order with them: through
     * the console once it runs (waiting for it at most CONSOLE_TICKS: proc
     * is the one that restarts it), and through debug_write before. */
    if (drivers_service("console") != HANDLE_NULL)
        console_use(drivers_service("console"), CONSOLE_TICKS);
    await_pager();
    uint32_t programs_left = 0;
    for (uint32_t i = 0; i < si->image_count; i++)
        programs_left += starts(si, i);
    /* init first, as pid 1; then the others in order */
    for (uint32_t pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < si->image_count; i++) {
            char name[STARTUP_NAME_MAX];
            if (!starts(si, i) || is_init(si, i) != (pass == 0))
                continue;
            first_word(si->images[i].cmdline, name);
            err = start_boot(i, programs_left--, named("respawn", name) ? RESPAWNS_MAX : 0);
            if (err) {
                printf("proc: %s: cannot start: %s\n", name, strerror(err));
                ok = 0;
            }
        }
    int halt = wants_halt(), announced = 0;
    if (!boot_running() && halt)
        return ok ? 0 : 1;
    for (;;) {
        struct msg m;
        if (ipc_recv(notices, &m, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        if (m.flags & MSGINFO_NOTIFY)
            notified(m.w[0]);
        else
            serve(&m);
        uint32_t running = boot_running();
        if (!running && halt)
            return ok ? 0 : 1;
        if (!running && !announced) {          /* say it once; go on printing notices */
            printf("proc: every program has ended\n");
            announced = 1;
        }
    }
}
