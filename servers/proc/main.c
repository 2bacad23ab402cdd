/*
 * proc: the root task.
 *
 * The kernel starts it with every Multiboot module but its own as an image
 * (cmdline "path arg1 arg2"), all the RAM the kernel does not keep, a
 * factory, and its own command line as argv.  proc prints a banner, starts
 * the drivers and servers among the images (drivers.h), then every other
 * image that is an ELF file as a program (the rest are files, which the
 * boot file system serves): argv from the image's command line, a
 * factory of its own with PROGRAM_KERNEL_MEMORY of proc's frames in it
 * (kmem=N on proc's command line: N MiB instead), which pays for the
 * program's task and everything the program creates, a share of memory
 * (PROGRAM_MEMORY, or less if not that much is free) and its own image, so
 * that it can start copies of itself.  When a program ends, its factory is
 * destroyed: whatever it made ends with it, and the frames come back.  Program i's end signals bit i of one notification; for each
 * program that ends proc prints how, as libos' status_describe says it:
 *     proc: <name> exited with status N
 *     proc: <name> killed by #PF (no handler)      (the kernel killed it)
 *     proc: <name> killed by SIGSEGV               (its handler did)
 * and takes back the frames it was loaded in.  only=NAME on proc's command
 * line (repeatable) starts only the programs it names (as supervisor= names
 * them): the other ELF images stay files in the boot file system, for a
 * shell to run.  respawn=NAME (repeatable) starts that program again each
 * time it ends, up to RESPAWNS_MAX times (init's way with a shell; `make
 * run` respawns sh).  When every program has
 * ended: if one of proc's own arguments is the word "halt", proc exits
 * with status 0 if every program exited with status 0 (and each started),
 * else 1, and the kernel stops the machine; otherwise it waits forever.
 *
 * Programs run at PROGRAM_PRIORITY and may create threads up to
 * PROGRAM_MAX_PRIORITY, below proc's own (16): no program can starve proc.
 *
 * proc is also the driver manager (drivers.h, docs/DRIVERS.md): images
 * that are drivers (serial, keyboard, disk, and any driver=NAME:LINE:PORTS
 * on its command line adds) are started first, each with its IRQ line, its
 * ports and its service endpoint, and started again when they die (ack=T
 * sets the IRQ ack watchdog in ticks, restarts=N how many restarts in a row
 * before one is given up on).  They are not programs: proc waits for no
 * driver, and halts without them.  Each program gets a badged send handle
 * to every driver's service by the service's name ("console", "keyboard",
 * "disk"), and a program that control=NAME names gets "drivers", a handle
 * to proc's endpoint for the control protocol (ipc/relay/drivers.h).
 *
 * proc is also the supervisor: the kernel's notices of faults nobody could
 * handle (ipc/relay/fault.h) arrive on its endpoint, and proc prints each,
 * decoded, with the name of the program it came from:
 *     proc: <name>: #PF Page Fault (fault) at eip=0x00400123, address
 *           0x00000000: not-present read user; task 3 thread 7: no handler
 * It waits for both at once: the exit notification is bound to its thread,
 * so one recv returns either a notice or the exit bits.  The supervisor
 * capability is proc's alone, unless proc's command line names a program
 * with supervisor=NAME (its first word, or that word's last path part):
 * that program gets a copy and may take the notices itself (the fault
 * suites do); when it ends, proc takes them back.
 */
#include <relay/libos.h>
#include <relay/fault.h>
#include <relay/drivers.h>
#include "drivers.h"
#include "names.h"

#define CONSOLE_TICKS    50u              /* 0.5 s: a write to the console, at most */
#define RESPAWNS_MAX     100u             /* respawn=NAME: starts again, at most */
#define PROGRAM_MEMORY   (16u << 20)      /* bytes of memory each program is given */
#define PROGRAM_KERNEL_MEMORY (4u << 20)  /* bytes of kernel memory (its factory's) */
#define PROGRAM_PRIORITY 10u
#define PROGRAM_MAX_PRIORITY 15u          /* below proc's: a program cannot starve it */

struct program {
    char name[STARTUP_NAME_MAX];  /* the first word of the image's command line */
    struct child child;
    uint32_t task_id;             /* the id its fault records name it by */
    int running;
    int supervises;               /* was given the supervisor capability */
    int controls;                 /* was given "drivers" (control=NAME) */
    uint32_t respawns;            /* starts left after it ends (respawn=NAME); 0: none */
};

static struct program programs[STARTUP_IMAGES_MAX];
static relay_handle notices;      /* the supervisor endpoint */

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
static int named(int argc, char **argv, const char *key, const char *name)
{
    const char *base = name;
    size_t n = strlen(key);
    for (const char *p = name; *p; p++)
        if (*p == '/')
            base = p + 1;
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], key, n) && argv[i][n] == '='
            && (!strcmp(argv[i] + n + 1, name) || !strcmp(argv[i] + n + 1, base)))
            return 1;
    return 0;
}

static uint32_t kernel_pages = PROGRAM_KERNEL_MEMORY / PAGE_SIZE;

/* Whether an image is a program (an ELF file), not a file for bootfs to serve. */
static int is_program(const struct startup_image *im)
{
    return im->size >= 4 && !memcmp((const void *)im->vaddr, "\x7f" "ELF", 4);
}

/* Whether proc starts image i: an ELF file that is no driver, and, if argv
 * has only=NAMEs, one of them. */
static int starts(int argc, char **argv, const struct startup_info *si, uint32_t i)
{
    char name[STARTUP_NAME_MAX];
    int any_only = 0;
    if (drivers_is_driver(si, i) || !is_program(&si->images[i]))
        return 0;                         /* a driver, or a file (bootfs serves it) */
    for (int k = 1; k < argc; k++)
        any_only |= !strncmp(argv[k], "only=", 5);
    first_word(si->images[i].cmdline, name);
    return !any_only || named(argc, argv, "only", name);
}

/* Start image i with exit bit i; left is how many programs, this one included, are still to start. */
static int start(const struct startup_info *si, uint32_t i, relay_handle exits, uint32_t left)
{
    const struct startup_image *im = &si->images[i];
    uint32_t share = frame_free_count() / (left + 1);
    struct spawn_handle h[STARTUP_HANDLES_MAX];
    uint32_t n = drivers_give(i + 1, h, STARTUP_HANDLES_MAX - 1);
    relay_handle control;
    if (programs[i].controls && handle_mint(notices, i + 1, RIGHT_SEND, &control) == ERR_NONE)
        h[n++] = (struct spawn_handle){ "drivers", control, RIGHT_SEND };
    relay_handle names;
    if (handle_mint(notices, NAMES_BADGE | (i + 1), RIGHT_SEND | RIGHT_GRANT, &names) == ERR_NONE)
        h[n++] = (struct spawn_handle){ "names", names, RIGHT_SEND | RIGHT_GRANT };
    struct spawn_args a = {
        .image = (const void *)im->vaddr,
        .image_size = im->size,
        .cmdline = im->cmdline,
        .factory = si->factory,
        .exit_notification = exits,
        .exit_bits = 1u << i,
        .kernel_pages = kernel_pages,
        .memory_pages = share < PROGRAM_MEMORY / PAGE_SIZE ? share : PROGRAM_MEMORY / PAGE_SIZE,
        .images = im,
        .image_count = 1,
        .priority = PROGRAM_PRIORITY,
        .max_priority = PROGRAM_MAX_PRIORITY,
        .give_supervisor = programs[i].supervises ? si->supervisor : HANDLE_NULL,
        .handles = h,
        .handle_count = n,
    };
    int err = spawn(&a, &programs[i].child);
    drivers_given_back(h, n);             /* the program's copies move up to the originals */
    return err;
}

/* The program a task id names, for a notice; "task N" for one proc did not start. */
static const char *program_of(uint32_t task_id, char *buf, size_t len)
{
    for (uint32_t i = 0; i < STARTUP_IMAGES_MAX; i++)
        if (programs[i].running && programs[i].task_id == task_id)
            return programs[i].name;
    const char *driver = drivers_name_of(task_id);
    if (driver)
        return driver;
    snprintf(buf, len, "task %u", task_id);
    return buf;
}

static void print_notice(const struct fault_record *r)
{
    struct fault f;
    char who[24], line[200];
    if (fault_decode(r, &f) != ERR_NONE) {
        printf("proc: a notice of a fault it cannot decode (version %u, vector %u)\n", r->version,
               r->vector);
        return;
    }
    fault_describe(&f, line, sizeof line);
    printf("proc: %s: %s%s\n", program_of(f.task, who, sizeof who), line,
           r->lost ? " (notices were lost before this one)" : "");
}

static int start(const struct startup_info *si, uint32_t i, relay_handle exits, uint32_t left);

/* Report each ended program whose bit is in bits, starting again those
 * that respawn; 0 if one of them failed. */
static int reap(uint32_t bits, uint32_t *running, relay_handle exits)
{
    int ok = 1;
    for (uint32_t i = 0; i < STARTUP_IMAGES_MAX; i++) {
        struct program *p = &programs[i];
        uint32_t state, status;
        if (!(bits & 1u << i) || !p->running || task_status(p->child.task, &state, &status))
            continue;
        if (state == TASK_ALIVE)
            continue;                             /* a stray bit */
        char how[64];
        status_describe(state, status, how, sizeof how);
        printf("proc: %s %s\n", p->name, how);
        ok &= state == TASK_EXITED && status == 0;
        if (p->supervises)                        /* the notices are proc's again */
            sys_supervisor_set(startup_info()->supervisor, notices);
        spawn_release(&p->child);
        names_forget(i + 1);                      /* what it registered goes with it */
        p->running = 0;
        (*running)--;
        if (p->respawns && --p->respawns == 0) {
            printf("proc: %s ended %u times: not starting it again\n", p->name, RESPAWNS_MAX);
        } else if (p->respawns) {
            int err = start(startup_info(), i, exits, 1);
            if (err) {
                printf("proc: %s: cannot start it again: %s\n", p->name, strerror(err));
                continue;
            }
            printf("proc: %s started again\n", p->name);
            p->running = 1;
            task_id(p->child.task, &p->task_id);
            (*running)++;
        }
    }
    return ok;
}

static int wants_halt(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "halt") == 0)
            return 1;
    return 0;
}

/* kmem=N: each program's kernel memory; 0 (printed) if bad. */
static int kmem_option(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strncmp(argv[i], "kmem=", 5)) {
            uint32_t mib = 0;
            for (const char *d = argv[i] + 5; *d >= '0' && *d <= '9' && mib <= 2048; d++)
                mib = mib * 10 + (uint32_t)(*d - '0');
            if (mib == 0 || mib > 2048) {
                printf("proc: kmem=%s: want 1..2048 (MiB)\n", argv[i] + 5);
                return 0;
            }
            kernel_pages = mib * (1024u * 1024u / PAGE_SIZE);
        }
    return 1;
}

/* A message on proc's endpoint that is not a notification: a notice, or a control request. */
static void serve(struct msg *m)
{
    if (msg_from_kernel(m, LABEL_NOTICE)) {
        const struct fault_record *r = (const struct fault_record *)m->w;
        if (r->reason != NOTICE_IRQ_NOT_ACKED)    /* drivers_notice prints those */
            print_notice(r);
        drivers_notice(r);
    } else if (!(m->flags & MSGINFO_KERNEL) && m->badge & NAMES_BADGE) {
        names_serve(m, m->badge & ~NAMES_BADGE);  /* a "names" handle's: the name service */
        ipc_reply(m);
        names_replied(m);
    } else if (!(m->flags & MSGINFO_KERNEL) && m->badge) {
        uint32_t i = m->badge - 1;                /* the control handle's badge: image i + 1 */
        drivers_control(m, i < STARTUP_IMAGES_MAX ? programs[i].name : "?");
        ipc_reply(m);
    }
}

int main(int argc, char **argv)
{
    const struct startup_info *si = startup_info();
    relay_handle exits;
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
    if (!kmem_option(argc, argv) || !drivers_configure(argc, argv))
        return 1;
    int ok = drivers_start(si, exits);
    /* proc's own lines go where the programs' go, in order with them: through
     * the console once it runs (waiting for it at most CONSOLE_TICKS: proc
     * is the one that restarts it), and through debug_write before. */
    if (drivers_service("console") != HANDLE_NULL)
        console_use(drivers_service("console"), CONSOLE_TICKS);
    uint32_t running = 0, programs_left = 0;
    for (uint32_t i = 0; i < si->image_count; i++)
        programs_left += starts(argc, argv, si, i);
    for (uint32_t i = 0; i < si->image_count; i++) {
        if (!starts(argc, argv, si, i))
            continue;
        first_word(si->images[i].cmdline, programs[i].name);
        programs[i].supervises = named(argc, argv, "supervisor", programs[i].name);
        programs[i].controls = named(argc, argv, "control", programs[i].name);
        programs[i].respawns = named(argc, argv, "respawn", programs[i].name) ? RESPAWNS_MAX : 0;
        err = start(si, i, exits, programs_left--);
        if (err) {
            printf("proc: %s: cannot start: %s\n", programs[i].name, strerror(err));
            ok = 0;
            continue;
        }
        programs[i].running = 1;
        task_id(programs[i].child.task, &programs[i].task_id);
        running++;
    }
    int halt = wants_halt(argc, argv), announced = 0;
    if (!running && halt)
        return ok ? 0 : 1;
    for (;;) {
        struct msg m;
        if (ipc_recv(notices, &m, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        if (m.flags & MSGINFO_NOTIFY) {
            if (m.w[0] & 1u << DRIVER_CLOCK_BIT)
                drivers_tick();
            ok &= reap(drivers_exited(m.w[0] & ~(1u << DRIVER_CLOCK_BIT)), &running, exits);
        } else {
            serve(&m);
        }
        if (!running && halt)
            return ok ? 0 : 1;
        if (!running && !announced) {          /* say it once; go on printing notices */
            printf("proc: every program has ended\n");
            announced = 1;
        }
    }
}
