/* proc's driver manager: see drivers.h and docs/DRIVERS.md. */
#include "drivers.h"
#include "drivertable.h"
#include "clock.h"
#include "serve.h"
#include "names.h"
#include <relay/fault.h>
#include <relay/drivers.h>

#define DRIVER_MEMORY_PAGES 256u      /* 1 MiB of memory for each instance */
#define DRIVER_KERNEL_PAGES 256u      /* and 1 MiB of kernel memory, in a factory of its own */
#define DRIVER_PRIORITY     15u       /* above programs' 10, below proc's 16 */
#define ACK_TICKS_DEFAULT   200u      /* the ack watchdog: 2 s (ack=TICKS; 0: none) */
#define RESTARTS_DEFAULT    5u        /* restarts in a row before giving up (restarts=N) */
#define BACKOFF_TICKS       5u        /* before the first restart of a run: 50 ms, then doubling */
#define WINDOW_TICKS        1000u     /* an instance up this long (10 s) ends the run */
#define SERVICE_RIGHTS      (RIGHT_SEND | RIGHT_GRANT)   /* a client's: calls that share buffers */

struct driver {
    const struct driver_spec *spec;
    const struct startup_image *image;
    relay_handle irq;                         /* the originals, claimed and made once */
    relay_handle ports[DRIVER_RANGES_MAX];
    relay_handle service;                     /* the endpoint, kept across instances */
    enum driver_state state;
    struct process *proc;                     /* the running instance (a process, ppid 0) */
    uint32_t task_id;                         /* of the latest instance */
    uint32_t restarts;                        /* in all */
    uint32_t in_a_row;                        /* of this run (restart_delay) */
    uint32_t due;                             /* the clock's time: WAITING, to start again;
                                                 RUNNING in a run, when the run ends */
};

static struct driver drivers[STARTUP_IMAGES_MAX];
static uint32_t driver_count;
static struct driver_spec extra[DRIVER_EXTRA_MAX];
static uint32_t extra_count;
static uint32_t ack_ticks = ACK_TICKS_DEFAULT;
static struct restart_policy policy = { RESTARTS_DEFAULT, BACKOFF_TICKS, WINDOW_TICKS };
static relay_handle exit_n;
static relay_handle factory;
static relay_handle proc_ep;                 /* proc's endpoint: an announcer's "parent" */
static const struct startup_info *boot_si;   /* every boot module, for a server given them all */

/* --- Options. */

/* A number after key= in arg, up to max; -1 if arg is not key=, 0 (printed) if bad. */
static int option(const char *arg, const char *key, uint32_t max, uint32_t *out)
{
    size_t n = strlen(key);
    if (strncmp(arg, key, n) || arg[n] != '=')
        return -1;
    uint32_t v = 0;
    const char *d = arg + n + 1;
    for (; *d >= '0' && *d <= '9' && v <= max; d++)
        v = v * 10 + (uint32_t)(*d - '0');
    if (*d || d == arg + n + 1 || v > max) {
        printf("proc: %s: want a number 0..%u\n", arg, max);
        return 0;
    }
    *out = v;
    return 1;
}

int drivers_configure(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "driver=", 7)) {
            int err = extra_count == DRIVER_EXTRA_MAX ? ERR_RANGE
                                                      : driver_spec_parse(argv[i] + 7, &extra[extra_count]);
            if (err) {
                printf("proc: %s: %s (want driver=NAME:LINE[:FIRST+COUNT[:FIRST+COUNT]], "
                       "at most %u)\n", argv[i], strerror(err), DRIVER_EXTRA_MAX);
                return 0;
            }
            extra_count++;
        } else if (option(argv[i], "ack", TIMEOUT_MAX, &ack_ticks) == 0
                   || option(argv[i], "restarts", 100, &policy.max) == 0) {
            return 0;
        }
    }
    return 1;
}

/* --- Finding drivers. */

/* The driver whose latest instance has this id (task ids are never reused). */
static struct driver *by_task(uint32_t task_id)
{
    for (uint32_t i = 0; i < driver_count; i++)
        if (drivers[i].task_id == task_id && task_id)
            return &drivers[i];
    return 0;
}

static struct driver *by_service(const char *service)
{
    for (uint32_t i = 0; i < driver_count; i++)
        if (!strcmp(drivers[i].spec->service, service))
            return &drivers[i];
    return 0;
}

relay_handle drivers_service(const char *service)
{
    struct driver *d = by_service(service);
    return d && d->state != DRIVER_GAVE_UP ? d->service : HANDLE_NULL;
}

int drivers_is_driver(const struct startup_info *si, uint32_t image)
{
    return driver_spec_find(extra, extra_count, si->images[image].cmdline) != 0;
}

const char *drivers_name_of(uint32_t task_id)
{
    struct driver *d = by_task(task_id);
    return d ? d->spec->name : 0;
}

/* --- Starting an instance. */

/* Spawn a fresh instance with copies of the originals: a new process. */
static int spawn_instance(struct driver *d)
{
    static const char *const port_names[DRIVER_RANGES_MAX] = { "ports", "ports2" };
    struct spawn_handle h[STARTUP_HANDLES_MAX];
    uint32_t n = 0;
    struct process *p = process_new(&procs, 0, d->spec->line ? PROC_DRIVER : PROC_SERVER,
                                    d->spec->name, 0);
    if (!p)
        return ERR_NO_SLOT;
    if (d->spec->line)
        h[n++] = (struct spawn_handle){ "irq", d->irq, RIGHT_CONTROL };
    for (uint32_t r = 0; r < d->spec->range_count; r++)
        h[n++] = (struct spawn_handle){ port_names[r], d->ports[r], RIGHT_CONTROL };
    if (!d->spec->announces)
        h[n++] = (struct spawn_handle){ "serve", d->service, RIGHT_RECV | RIGHT_SEND };
    struct driver *needed = d->spec->needs[0] ? by_service(d->spec->needs) : 0;
    relay_handle minted = HANDLE_NULL, parent = HANDLE_NULL;
    if (needed && needed->state != DRIVER_GAVE_UP
        && handle_mint(needed->service, p->pid, SERVICE_RIGHTS, &minted) == ERR_NONE)
        h[n++] = (struct spawn_handle){ needed->spec->service, minted, SERVICE_RIGHTS };
    if (d->spec->announces)
        handle_mint(proc_ep, PROC_BADGE | p->pid, RIGHT_SEND | RIGHT_GRANT, &parent);
    uint32_t memory = d->spec->memory_share ? frame_free_count() / d->spec->memory_share
                                            : DRIVER_MEMORY_PAGES;
    struct spawn_args a = {
        .image = (const void *)d->image->vaddr,
        .image_size = d->image->size,
        .cmdline = d->image->cmdline,
        .factory = factory,
        .exit_notification = exit_n,
        .exit_bits = process_bit(p->pid),
        .parent = parent,
        .kernel_pages = DRIVER_KERNEL_PAGES,
        .memory_pages = memory,
        .images = d->spec->all_images ? boot_si->images : d->image,
        .image_count = d->spec->all_images ? boot_si->image_count : 1,
        .priority = DRIVER_PRIORITY,
        .max_priority = DRIVER_PRIORITY,
        .handles = h,
        .handle_count = n,
    };
    int err = spawn(&a, &p->child);
    if (minted != HANDLE_NULL)
        handle_delete(minted);            /* the child's copy moves up to the original */
    if (parent != HANDLE_NULL)
        handle_delete(parent);
    if (err) {
        process_reap(&procs, p);
        return err;
    }
    task_id(p->child.task, &d->task_id);
    p->task_id = d->task_id;
    p->image = (uint32_t)(d->image - boot_si->images);
    d->proc = p;
    d->state = DRIVER_RUNNING;
    return ERR_NONE;
}

/* The originals: the IRQ line, the port ranges, the endpoint. */
static int claim(struct driver *d, const struct startup_info *si)
{
    int err = d->spec->line ? irq_claim(si->irq_control, d->spec->line, ack_ticks, &d->irq) : ERR_NONE;
    if (err) {
        printf("proc: driver %s: cannot claim IRQ %u: %s\n", d->spec->name, d->spec->line,
               strerror(err));
        return err;
    }
    for (uint32_t r = 0; r < d->spec->range_count; r++) {
        const struct port_range *p = &d->spec->ranges[r];
        err = ioport_create(si->io_control, factory, p->first, p->count, &d->ports[r]);
        if (err) {
            printf("proc: driver %s: cannot have ports 0x%x+%u: %s\n", d->spec->name, p->first,
                   p->count, strerror(err));
            return err;
        }
    }
    err = d->spec->announces ? ERR_NONE : endpoint_create(factory, &d->service);
    if (err)
        printf("proc: driver %s: cannot make its endpoint: %s\n", d->spec->name, strerror(err));
    return err;
}

static void describe_ranges(const struct driver_spec *s, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t r = 0; r < s->range_count && used < len; r++) {
        const struct port_range *p = &s->ranges[r];
        used += (size_t)(p->count == 1
                             ? snprintf(buf + used, len - used, "%s0x%x", r ? ", " : "", p->first)
                             : snprintf(buf + used, len - used, "%s0x%x-0x%x", r ? ", " : "",
                                        p->first, p->first + p->count - 1));
    }
}

int drivers_start(const struct startup_info *si, relay_handle exits, relay_handle ep)
{
    boot_si = si;
    exit_n = exits;
    proc_ep = ep;
    factory = si->factory;
    int ok = 1, err;
    for (uint32_t i = 0; i < si->image_count; i++) {
        const struct driver_spec *spec = driver_spec_find(extra, extra_count, si->images[i].cmdline);
        if (spec)
            drivers[driver_count++] = (struct driver){ .spec = spec, .image = &si->images[i] };
    }
    if (driver_count && (err = clock_start(factory, exits, 1u << DRIVER_CLOCK_BIT))) {
        printf("proc: cannot start the driver manager's clock: %s\n", strerror(err));
        ok = 0;
    }
    /* Every endpoint first: the keyboard is given the console's whichever starts first. */
    for (uint32_t i = 0; i < driver_count; i++)
        if (claim(&drivers[i], si)) {
            drivers[i].state = DRIVER_GAVE_UP;
            ok = 0;
        }
    for (uint32_t i = 0; i < driver_count; i++) {
        struct driver *d = &drivers[i];
        char ports[64];
        if (d->state == DRIVER_GAVE_UP)
            continue;
        err = spawn_instance(d);
        if (err) {
            printf("proc: driver %s: cannot start: %s\n", d->spec->name, strerror(err));
            d->state = DRIVER_GAVE_UP;
            ok = 0;
            continue;
        }
        describe_ranges(d->spec, ports, sizeof ports);
        if (d->spec->line)
            printf("proc: driver %s started (task %u): IRQ %u, ports %s, service \"%s\"\n",
                   d->spec->name, d->task_id, d->spec->line, ports, d->spec->service);
        else if (d->spec->announces)
            printf("proc: server %s started (task %u)\n", d->spec->name, d->task_id);
        else
            printf("proc: server %s started (task %u): service \"%s\"\n", d->spec->name,
                   d->task_id, d->spec->service);
    }
    return ok;
}

/* --- Giving services to programs. */

uint32_t drivers_give(uint32_t badge, int console, struct spawn_handle *h, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < driver_count && n < max; i++) {
        struct driver *d = &drivers[i];
        relay_handle minted;
        if (d->state != DRIVER_GAVE_UP && d->service != HANDLE_NULL
            && (strcmp(d->spec->service, "console") == 0) == console
            && handle_mint(d->service, badge, SERVICE_RIGHTS, &minted) == ERR_NONE)
            h[n++] = (struct spawn_handle){ d->spec->service, minted, SERVICE_RIGHTS };
    }
    return n;
}

void drivers_given_back(struct spawn_handle *h, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        handle_delete(h[i].handle);       /* the program's copy moves up to the original */
}

/* --- Deaths and restarts. */

/* Whether the clock is needed: a driver waits, or is in a run of restarts. */
static void clock_update(void)
{
    int needed = 0;
    for (uint32_t i = 0; i < driver_count; i++)
        needed |= drivers[i].state == DRIVER_WAITING
                  || (drivers[i].state == DRIVER_RUNNING && drivers[i].in_a_row);
    clock_run(needed);
}

/* Its clients lose the service: their handles go, and with proc's the
 * endpoint, so a client blocked on it gets ERR_DELETED. */
static void close_service(struct driver *d)
{
    handle_revoke(d->service);
    handle_delete(d->service);
    d->service = HANDLE_NULL;
}

/* A death, described by how: schedule the next instance after its backoff,
 * or give the driver up. */
static void schedule(struct driver *d, const char *death)
{
    uint32_t delay = restart_delay(&policy, &d->in_a_row);
    if (delay == RESTART_GIVE_UP) {
        printf("proc: %s\n", death);
        printf("proc: gave up on driver %s after %u restarts in a row; its service \"%s\" is closed\n",
               d->spec->name, policy.max, d->spec->service);
        d->state = DRIVER_GAVE_UP;
        close_service(d);
    } else {
        d->restarts++;
        printf("proc: %s; restarting in %u ticks (%u)\n", death, delay, d->restarts);
        d->state = DRIVER_WAITING;
        d->due = clock_now() + delay;
    }
    clock_update();
}

/* The running instance is dead, or is to be: take its devices away, end it,
 * release it, and schedule the next.  cause says why, if task_status will not. */
static void take_down(struct driver *d, const char *cause)
{
    uint32_t state = TASK_ALIVE, status = 0;
    for (uint32_t r = 0; r < d->spec->range_count; r++)
        handle_revoke(d->ports[r]);
    if (d->irq != HANDLE_NULL)
        handle_revoke(d->irq);            /* its binding goes with its copy: the line stays masked */
    struct process *p = d->proc;
    task_status(p->child.task, &state, &status);
    if (state == TASK_ALIVE)
        thread_kill(p->child.thread);     /* more threads: spawn_release's factory delete ends them */
    char how[96], death[160];
    if (cause)
        snprintf(how, sizeof how, "%s", cause);
    else
        status_describe(state, status, how, sizeof how);
    spawn_release(&p->child);             /* its frames come back once the kernel took it apart */
    names_forget(p->pid);                 /* the pager's name goes with it */
    if (d->spec->announces)
        procs_set_pager(HANDLE_NULL);     /* programs are loaded until a new one says hello */
    process_reap(&procs, p);
    d->proc = 0;
    snprintf(death, sizeof death, "driver %s (task %u) died: %s", d->spec->name, d->task_id, how);
    schedule(d, death);
}

static void restart(struct driver *d)
{
    int err = spawn_instance(d);
    if (err) {
        char death[96];
        snprintf(death, sizeof death, "driver %s cannot start: %s", d->spec->name, strerror(err));
        schedule(d, death);
        return;
    }
    d->due = clock_now() + policy.window;
    printf("proc: driver %s restarted (task %u)\n", d->spec->name, d->task_id);
}

void drivers_exited(uint32_t bits)
{
    for (uint32_t i = 0; i < driver_count; i++) {
        struct driver *d = &drivers[i];
        uint32_t state, status;
        if (d->state != DRIVER_RUNNING || !(bits & process_bit(d->proc->pid))
            || task_status(d->proc->child.task, &state, &status))
            continue;                     /* not its bit, or an instance already taken down */
        if (state != TASK_ALIVE)
            take_down(d, 0);
    }
}

int drivers_announcer(uint32_t pid)
{
    for (uint32_t i = 0; i < driver_count; i++)
        if (drivers[i].spec->announces && drivers[i].state == DRIVER_RUNNING
            && drivers[i].proc->pid == pid)
            return 1;
    return 0;
}

int drivers_announcing(void)
{
    for (uint32_t i = 0; i < driver_count; i++)
        if (drivers[i].spec->announces && drivers[i].state == DRIVER_RUNNING)
            return 1;
    return 0;
}

void drivers_tick(void)
{
    uint32_t now = clock_now();
    for (uint32_t i = 0; i < driver_count; i++) {
        struct driver *d = &drivers[i];
        if (d->state == DRIVER_WAITING && (int32_t)(now - d->due) >= 0)
            restart(d);
        else if (d->state == DRIVER_RUNNING && d->in_a_row && (int32_t)(now - d->due) >= 0)
            d->in_a_row = 0;              /* it stayed up: the run is over */
    }
    clock_update();
}

int drivers_notice(const struct fault_record *r)
{
    struct driver *d = by_task(r->task);
    char cause[96];
    if (d && d->state != DRIVER_RUNNING)
        return 1;                         /* an instance taken down already */
    if (r->reason == NOTICE_IRQ_NOT_ACKED) {
        uint32_t line = r->vector - 32;
        printf("proc: driver %s (task %u thread %u) left IRQ %u unacknowledged for %u ticks\n",
               d ? d->spec->name : "?", r->task, r->thread, line, ack_ticks);
        snprintf(cause, sizeof cause, "IRQ %u not acknowledged within %u ticks", line, ack_ticks);
    } else {
        status_describe(TASK_KILLED, r->vector, cause, sizeof cause);
    }
    if (!d)
        return 0;
    take_down(d, cause);
    return 1;
}

/* --- The control protocol. */

void drivers_control(struct msg *m, const char *who)
{
    char name[STARTUP_HANDLE_NAME];
    memcpy(name, m->w, sizeof name);
    struct driver *d = name[sizeof name - 1] == '\0' ? by_service(name) : 0;
    struct msg reply = { .label = m->label, .length = 1, .w = { ERR_INVALID } };
    if (d && m->label == LABEL_DRIVER_STATUS) {
        reply.length = 5;
        reply.w[0] = ERR_NONE;
        reply.w[1] = d->state;
        reply.w[2] = d->state == DRIVER_RUNNING ? d->task_id : 0;
        reply.w[3] = d->restarts;
        reply.w[4] = d->spec->line;
    } else if (d && m->label == LABEL_DRIVER_KILL) {
        reply.w[0] = d->state == DRIVER_RUNNING ? ERR_NONE : ERR_STATE;
        if (d->state == DRIVER_RUNNING) {
            char cause[64];
            snprintf(cause, sizeof cause, "killed at %s's request", who);
            take_down(d, cause);
        }
    }
    *m = reply;
}
