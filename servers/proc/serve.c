/* The process server: see serve.h, ipc/relay/proc.h and docs/PROCESS.md. */
#include "serve.h"
#include "drivers.h"
#include "names.h"
#include <relay/fault.h>
#include <relay/spawn_paged.h>
#include <relay/pager_proto.h>

#define PROGRAM_PRIORITY     10u
#define PROGRAM_MAX_PRIORITY 15u      /* below proc's: a program cannot starve it */
#define CHILD_MEMORY_PAGES   2048u    /* 8 MiB of frames for a program a process starts, */
#define CHILD_KERNEL_PAGES   512u     /* 2 MiB of kernel memory */
#define FORK_MEMORY_PAGES    16u      /* a fork's child: its memory is the pager's copy, */
#define FORK_KERNEL_PAGES    64u      /* this is for a thread or two; that pays for its task,
                                         page tables, threads and handles */
#define STATUS_SIGKILL       (128u + 9u)   /* PROC_KILL: the parent sees SIGKILL */

struct process_table procs;
static relay_handle proc_ep, exits, pager_ep;

void procs_init(relay_handle ep, relay_handle exit_notification)
{
    process_table_init(&procs);
    proc_ep = ep;
    exits = exit_notification;
}

void procs_set_pager(relay_handle ep)
{
    if (pager_ep != HANDLE_NULL)
        handle_delete(pager_ep);
    pager_ep = ep;
}

relay_handle procs_pager(void)
{
    return pager_ep;
}

/* --- Starting. */

/* The handles a process is given, most needed first: "console", "names",
 * "proc", "child", "drivers" (control=), the other services; room is left
 * for "pager" if paged.  Those proc minted are deleted by give_back. */
static uint32_t handles_for(struct process *p, int controls, int paged, struct spawn_handle *h)
{
    uint32_t max = STARTUP_HANDLES_MAX - (paged ? 1 : 0), n;
    relay_handle minted;
    n = drivers_give(p->pid, 1, h, max);
    if (handle_mint(proc_ep, NAMES_BADGE | p->pid, RIGHT_SEND | RIGHT_GRANT, &minted) == ERR_NONE)
        h[n++] = (struct spawn_handle){ "names", minted, RIGHT_SEND | RIGHT_GRANT };
    if (handle_mint(proc_ep, PROC_BADGE | p->pid, RIGHT_SEND, &minted) == ERR_NONE)
        h[n++] = (struct spawn_handle){ "proc", minted, RIGHT_SEND };
    if (controls && handle_mint(proc_ep, CONTROL_BADGE | p->pid, RIGHT_SEND, &minted) == ERR_NONE)
        h[n++] = (struct spawn_handle){ "drivers", minted, RIGHT_SEND };
    return n + drivers_give(p->pid, 0, h + n, max - n - 1);   /* "child" is the last */
}

/* The handles spawn gave are copies: proc's minted ones go ("child" stays). */
static void give_back(struct spawn_handle *h, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(h[i].name, "child"))
            handle_delete(h[i].handle);
}

/* Make p's task: from its image, or (from != NULL) a copy of from's
 * memory with its thread at eip/esp/utcb. */
static int make_task(struct process *p, const struct start *s, const struct process *from,
                     const uint32_t *regs, struct child *out)
{
    const struct startup_info *si = startup_info();
    const struct startup_image *im = &si->images[p->image];
    int paged = from || pager_ep != HANDLE_NULL;
    struct spawn_handle h[STARTUP_HANDLES_MAX];
    uint32_t n = handles_for(p, s->controls, paged, h);
    h[n++] = (struct spawn_handle){ "child", p->child_note, RIGHT_RECV };
    struct spawn_args a = {
        .image = (const void *)im->vaddr,
        .image_size = im->size,
        .cmdline = p->cmdline,
        .factory = si->factory,
        .exit_notification = exits,
        .exit_bits = process_bit(p->pid),
        .kernel_pages = s->kernel_pages,
        .memory_pages = s->memory_pages,
        .images = im,
        .image_count = from ? 0 : 1,      /* a fork's child runs programs by name, not its image */
        .priority = PROGRAM_PRIORITY,
        .max_priority = PROGRAM_MAX_PRIORITY,
        .give_supervisor = s->supervisor,
        .handles = h,
        .handle_count = n,
    };
    if (from) {
        a.duplicate = from->child.pager;
        a.eip = regs[0], a.esp = regs[1], a.utcb = regs[2];
    }
    int err = from || pager_ep == HANDLE_NULL ? spawn(&a, out)
                                              : spawn_paged(&a, pager_ep, p->image, out);
    give_back(h, n);
    return err;
}

/* A new process for s (from: a fork of it); the caller set nothing else. */
static int start(const struct start *s, const struct process *from, const uint32_t *regs,
                 struct process **out)
{
    uint32_t cost = s->memory_pages + s->kernel_pages;
    int err = process_charge(&procs, s->ppid, cost);
    if (err)
        return err;
    struct process *p = process_new(&procs, s->ppid, PROC_PROGRAM, s->cmdline, s->pid);
    if (!p) {
        process_uncharge(&procs, s->ppid, cost);
        return ERR_NO_SLOT;
    }
    p->cost = cost;
    p->supervises = s->supervisor != HANDLE_NULL;
    p->limit = s->ppid ? process_room(&procs, s->ppid) : s->limit;
    p->image = s->image;
    strncpy(p->cmdline, s->cmdline, PROCESS_CMDLINE - 1);
    err = notification_create(startup_info()->factory, &p->child_note);
    if (!err)
        err = make_task(p, s, from, regs, &p->child);
    if (err) {
        if (p->child_note != HANDLE_NULL)
            handle_delete(p->child_note);
        process_reap(&procs, p);          /* gives its cost back */
        return err;
    }
    task_id(p->child.task, &p->task_id);
    *out = p;
    return ERR_NONE;
}

int procs_start(const struct start *s, struct process **out)
{
    return start(s, 0, 0, out);
}

/* --- Ends. */

static void tell(uint32_t pid)
{
    struct process *p = process_find(&procs, pid);
    if (p && p->state == PROC_RUNNING && p->child_note != HANDLE_NULL)
        notify_signal(p->child_note, PROC_CHILD_BIT);
}

/* Zombies whose parent is proc: a boot program's line, or an orphan; freed. */
static void reap_proc_children(void)
{
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        struct process *p = &procs.p[i];
        if (p->pid && p->ppid == 0 && p->state == PROC_ZOMBIE && p->kind == PROC_PROGRAM) {
            boot_program_ended(p);
            process_reap(&procs, p);
        }
    }
}

/* A paged process the pager killed: the fault it died of, from the pager
 * (the kernel sent no notice: the pager answered the fault). */
static void pager_fault(struct process *p)
{
    struct msg out;
    if (p->child.pager == HANDLE_NULL || pager_ep == HANDLE_NULL || p->fault.vector != PROC_NO_FAULT
        || rpc_call(pager_ep, PAGER_DEATH, &p->task_id, 1, &out) != ERR_NONE)
        return;
    p->fault = (struct proc_fault){ out.w[0], out.w[1], out.w[2], out.w[3] };
}

/* p's task ended (state, status), or is to be ended: it goes, p is a zombie. */
static void finish(struct process *p, uint32_t state, uint32_t status)
{
    if (state == TASK_KILLED && (status == PAGER_STATUS_SEGV || status == PAGER_STATUS_OOM))
        pager_fault(p);
    spawn_release(&p->child);             /* its task (if it runs), frames, kernel memory */
    if (p->supervises)                    /* the notices are proc's again */
        proc_supervise_again();
    names_forget(p->pid);
    handle_delete(p->child_note);
    p->child_note = HANDLE_NULL;
    int heir = process_end(&procs, p, state, status);
    if (heir > 0)
        tell((uint32_t)heir);
    tell(p->ppid);
    reap_proc_children();
}

void procs_exited(uint32_t bits)
{
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        struct process *p = &procs.p[i];
        uint32_t state, status;
        if (!p->pid || p->kind != PROC_PROGRAM || p->state != PROC_RUNNING
            || !(bits & process_bit(p->pid)) || task_status(p->child.task, &state, &status))
            continue;
        if (state != TASK_ALIVE)
            finish(p, state, status);
    }
}

void procs_fault(const struct fault_record *r)
{
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        struct process *p = &procs.p[i];
        if (p->pid && p->task_id == r->task && p->fault.vector == PROC_NO_FAULT)
            p->fault = (struct proc_fault){ r->vector, r->error_code, r->eip, r->cr2 };
    }
}

const char *procs_name_of(uint32_t task_id)
{
    static char name[PROC_NAME_BYTES + 1];
    for (uint32_t i = 0; i < PROC_MAX; i++)
        if (procs.p[i].pid && procs.p[i].task_id == task_id && procs.p[i].kind == PROC_PROGRAM) {
            memcpy(name, procs.p[i].name, PROC_NAME_BYTES);
            return name;
        }
    return 0;
}

/* --- Requests. */

/* The last part of the first word of text, into name (cut to STARTUP_NAME_MAX - 1). */
static void file_name(const char *text, char name[STARTUP_NAME_MAX])
{
    const char *base = text, *end = text;
    for (; *end && *end != ' ' && *end != '\t'; end++)
        if (*end == '/')
            base = end + 1;
    size_t n = (size_t)(end - base) < STARTUP_NAME_MAX - 1 ? (size_t)(end - base) : STARTUP_NAME_MAX - 1;
    memcpy(name, base, n);
    name[n] = '\0';
}

/* The boot image a program name names: its file name ("hello.elf" or
 * "hello"), an ELF image that is no driver; -1 if none. */
static int image_named(const char *name)
{
    const struct startup_info *si = startup_info();
    char want[STARTUP_NAME_MAX], file[STARTUP_NAME_MAX];
    file_name(name, want);
    size_t n = strlen(want);
    if (n == 0)
        return -1;
    for (uint32_t i = 0; i < si->image_count; i++) {
        const struct startup_image *im = &si->images[i];
        file_name(im->cmdline, file);
        size_t f = strlen(file);
        int same = !strcmp(file, want)
                   || (f == n + 4 && !strncmp(file, want, n) && !strcmp(file + n, ".elf"));
        if (same && im->size >= 4 && !memcmp((const void *)im->vaddr, "\x7f" "ELF", 4)
            && !drivers_is_driver(si, i))
            return (int)i;
    }
    return -1;
}

/* PROC_SPAWN's and PROC_EXEC's arguments: argv joined into cmdline, the image. */
static int parse_argv(const struct msg *m, char cmdline[PROCESS_CMDLINE], uint32_t *image)
{
    if (m->length < 2 || m->w[0] == 0)
        return ERR_INVALID;
    uint32_t argc = m->w[0];
    if (argc > STARTUP_ARGS_MAX)
        return ERR_RANGE;
    const char *b = (const char *)&m->w[1];
    uint32_t bytes = (m->length - 1) * 4, at = 0, out = 0;
    for (uint32_t i = 0; i < argc; i++) {
        uint32_t len = 0;
        while (at + len < bytes && b[at + len])
            len++;
        if (at + len == bytes || len == 0)
            return ERR_INVALID;               /* not NUL-ended within the words, or empty */
        for (uint32_t k = 0; k < len; k++)
            if (b[at + k] == ' ' || b[at + k] == '\t')
                return ERR_INVALID;           /* the startup page splits on blanks */
        if (i)
            cmdline[out++] = ' ';
        memcpy(cmdline + out, b + at, len);
        out += len;
        at += len + 1;
    }
    cmdline[out] = '\0';
    char argv0[PROCESS_CMDLINE];
    memcpy(argv0, b, strlen(b) + 1);
    int i = image_named(argv0);
    if (i < 0)
        return ERR_NOT_FOUND;
    *image = (uint32_t)i;
    return ERR_NONE;
}

/* A program started by name: supervisor=NAME on proc's command line gives
 * it the supervisor capability, from a shell as at boot. */
static struct start child_of(const struct process *parent, uint32_t image, const char *cmdline)
{
    return (struct start){ .ppid = parent->pid, .image = image, .cmdline = cmdline,
                           .memory_pages = CHILD_MEMORY_PAGES, .kernel_pages = CHILD_KERNEL_PAGES,
                           .supervisor = proc_names_image("supervisor", image)
                                             ? startup_info()->supervisor : HANDLE_NULL };
}

static int do_spawn(struct process *caller, struct msg *m)
{
    char cmdline[PROCESS_CMDLINE];
    uint32_t image;
    struct process *p;
    int err = parse_argv(m, cmdline, &image);
    if (!err) {
        struct start s = child_of(caller, image, cmdline);
        err = start(&s, 0, 0, &p);
    }
    if (err)
        return err;
    m->w[0] = p->pid;
    m->length = 1;
    return ERR_NONE;
}

static int do_fork(struct process *caller, struct msg *m)
{
    if (m->length < 3)
        return ERR_INVALID;
    if (caller->child.pager == HANDLE_NULL)
        return ERR_STATE;                     /* its memory is not the default pager's */
    struct start s = child_of(caller, caller->image, caller->cmdline);
    s.memory_pages = FORK_MEMORY_PAGES;
    s.kernel_pages = FORK_KERNEL_PAGES;
    s.supervisor = HANDLE_NULL;           /* the notices stay with the parent, if it has them */
    uint32_t regs[3] = { m->w[0], m->w[1], m->w[2] };
    struct process *p;
    int err = start(&s, caller, regs, &p);
    if (err)
        return err;
    m->w[0] = p->pid;
    m->length = 1;
    return ERR_NONE;
}

#define NO_REPLY (-1)            /* an operation's result: the caller gets no reply (no relay error is negative) */

/* NO_REPLY: the new program runs; else the error for the caller. */
static int do_exec(struct process *caller, struct msg *m)
{
    char cmdline[PROCESS_CMDLINE];
    uint32_t image;
    int err = parse_argv(m, cmdline, &image);
    if (err)
        return err;
    struct process next = *caller;            /* the same pid, parent, notification */
    next.image = image;
    memset(next.cmdline, 0, sizeof next.cmdline);
    strncpy(next.cmdline, cmdline, PROCESS_CMDLINE - 1);
    struct start s = child_of(caller, image, cmdline);
    if (caller->boot) {                       /* a boot program keeps its size */
        s.memory_pages = caller->child.memory_pages;
        s.kernel_pages = caller->child.kpages;
    }
    /* A fork's child becomes a program of full size: its ancestors pay the difference. */
    uint32_t cost = s.memory_pages + s.kernel_pages;
    uint32_t more = cost > caller->cost ? cost - caller->cost : 0;
    if ((err = process_charge(&procs, caller->ppid, more)) != ERR_NONE)
        return err;
    struct child c;
    err = make_task(&next, &s, 0, 0, &c);
    if (err) {
        process_uncharge(&procs, caller->ppid, more);
        return err;
    }
    caller->cost += more;
    struct child old = caller->child;
    caller->child = c;                        /* its exit bit is the same: the old task's end is */
    caller->image = image;                    /* not this process's */
    memcpy(caller->cmdline, next.cmdline, sizeof next.cmdline);
    process_name(cmdline, caller->name);
    task_id(c.task, &caller->task_id);
    caller->fault.vector = PROC_NO_FAULT;
    names_forget(caller->pid);
    spawn_release(&old);
    if (caller->supervises && s.supervisor == HANDLE_NULL)
        proc_supervise_again();               /* the old program had the notices; the new has not */
    caller->supervises = s.supervisor != HANDLE_NULL;
    return NO_REPLY;
}

static int do_wait(struct process *caller, struct msg *m)
{
    struct process *z;
    if (m->length < 1)
        return ERR_INVALID;
    int err = process_waitable(&procs, caller->pid, m->w[0], &z);
    if (err)
        return err;
    m->w[0] = z->pid;
    m->w[1] = (uint32_t)status_posix(z->end_state, z->end_status);
    m->w[2] = z->end_state;
    m->w[3] = z->end_status;
    memcpy(&m->w[4], &z->fault, sizeof z->fault);
    m->length = 4 + sizeof z->fault / 4;
    process_reap(&procs, z);
    return ERR_NONE;
}

static int do_kill(struct process *caller, struct msg *m)
{
    struct process *p = m->length >= 1 ? process_find(&procs, m->w[0]) : 0;
    if (!p || p->state != PROC_RUNNING)
        return ERR_NO_PROCESS;
    if (!process_is_ancestor(&procs, caller->pid, p->pid))
        return ERR_NO_RIGHTS;
    finish(p, TASK_KILLED, STATUS_SIGKILL);
    m->length = 0;
    return ERR_NONE;
}

/* One entry of PROC_LIST. */
static void entry_of(const struct process *p, struct proc_entry *e)
{
    uint32_t threads = 0, pages = 0, frames = 0, free = 0, objects;
    relay_handle task = p ? p->child.task : startup_info()->self_task;
    relay_handle factory = p ? p->child.factory : startup_info()->factory;
    *e = (struct proc_entry){ .pid = p ? p->pid : 0, .ppid = p ? p->ppid : 0,
                              .state = p ? p->state : PROC_RUNNING,
                              .kind = p ? p->kind : PROC_SERVER };
    if (!p || p->state == PROC_RUNNING) {
        task_info(task, &threads, &pages);
        if (factory != HANDLE_NULL)
            factory_status(factory, &frames, &free, &objects);
    }
    e->threads = (uint16_t)threads;
    e->kib = pages * (PAGE_SIZE / 1024);
    e->kernel_kib = (frames - free) * (PAGE_SIZE / 1024);
    if (p)
        memcpy(e->name, p->name, PROC_NAME_BYTES);
    else
        memcpy(e->name, "proc", 5);
}

static int do_getpid(struct process *caller, struct msg *m)
{
    m->w[0] = caller->pid;
    m->w[1] = caller->ppid;
    m->length = 2;
    return ERR_NONE;
}

static int do_list(struct process *caller, struct msg *m)
{
    (void)caller;
    uint32_t cursor = m->length >= 1 ? m->w[0] : 0, n = 0, next;
    struct process *found[PROC_LIST_MAX];
    struct proc_entry e[PROC_LIST_MAX];
    if (cursor == 0)
        entry_of(0, &e[n++]);
    uint32_t got = process_list(&procs, cursor ? cursor : 1, found, PROC_LIST_MAX - n, &next);
    for (uint32_t i = 0; i < got; i++)
        entry_of(found[i], &e[n++]);
    m->w[0] = next;
    m->w[1] = n;
    memcpy(&m->w[2], e, n * sizeof e[0]);
    m->length = 2 + n * sizeof e[0] / 4;
    return ERR_NONE;
}

/* The operations, by label (ipc/relay/proc.h). */
static const struct {
    uint32_t label;
    int (*fn)(struct process *caller, struct msg *m);   /* *m: request in, reply out */
} ops[] = {
    { PROC_SPAWN, do_spawn },
    { PROC_EXEC, do_exec },
    { PROC_FORK, do_fork },
    { PROC_WAIT, do_wait },
    { PROC_KILL, do_kill },
    { PROC_GETPID, do_getpid },
    { PROC_LIST, do_list },
};

int procs_request(struct msg *m, uint32_t pid)
{
    struct process *caller = process_find(&procs, pid);
    int err = ERR_INVALID;
    if (m->flags & MSGINFO_HANDLE)
        handle_delete(m->handle);             /* no request brings one */
    m->flags = 0;
    if (!caller || caller->state != PROC_RUNNING)
        err = ERR_NO_PROCESS;
    else
        for (uint32_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
            if (ops[i].label == m->label)
                err = ops[i].fn(caller, m);
    if (err == NO_REPLY)
        return 0;
    if (err)
        m->length = 0;
    m->label = (uint32_t)err;
    return 1;
}
