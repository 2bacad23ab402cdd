/*
 * init: process 1 (docs/SHELL.md, "init").  proc starts the image named
 * "init" first; its arguments name the programs to keep running (`init sh`).
 *
 * init waits, at most SERVICE_WAIT_TICKS, for the services a shell needs
 * to be in the name service -- the console, the boot file system ("fs")
 * and the default pager -- and says which it found; then it starts each
 * program it keeps (spawnv, relay/process.h) and waits for children.  A
 * kept program that ends is started again, with a line saying how it ended,
 * up to RESTARTS_MAX times; any other child is an orphan proc gave init,
 * reaped with a line of its own.  init itself never ends.
 */
#include <relay/libos.h>
#include <relay/names_client.h>
#include <relay/process.h>

#define KEPT_MAX           4u
#define RESTARTS_MAX       100u        /* starts of one kept program after the first */
#define SERVICE_WAIT_TICKS 500u        /* 5 s for each service */
#define POLL_TICKS         5u          /* between looks for a service */
#define IDLE_TICKS         100u        /* with no children: how long between looks */

struct kept {
    const char *name;
    pid_t pid;                         /* 0: not running */
    uint32_t restarts;                 /* starts after the first, so far */
};

static struct kept kept[KEPT_MAX];
static uint32_t kept_count;
static relay_handle pause_n;           /* a notification nobody signals: sleeping */

static void pause_ticks(uint32_t ticks)
{
    uint32_t bits;
    notify_wait(pause_n, &bits, ticks);
}

/* Whether the name service has `name`, looking for at most SERVICE_WAIT_TICKS. */
static int service_up(const char *name)
{
    for (uint32_t waited = 0;; waited += POLL_TICKS) {
        relay_handle h;
        int err = name_lookup(name, &h);
        if (err == ERR_NONE) {
            handle_delete(h);
            return 1;
        }
        if (err != ERR_NOT_FOUND || waited >= SERVICE_WAIT_TICKS) {
            printf("init: no %s: %s\n", name, strerror(err));
            return 0;
        }
        pause_ticks(POLL_TICKS);
    }
}

static int start(struct kept *k)
{
    char *argv[] = { (char *)k->name, NULL };
    pid_t pid = spawnv(k->name, argv);
    if (pid < 0) {
        printf("init: cannot start %s: %s\n", k->name, strerror(errno));
        k->pid = 0;
        return 0;
    }
    k->pid = pid;
    return 1;
}

static struct kept *kept_by_pid(uint32_t pid)
{
    for (uint32_t i = 0; i < kept_count; i++)
        if (kept[i].pid && (uint32_t)kept[i].pid == pid)
            return &kept[i];
    return NULL;
}

/* A child ended as s: start it again if it is kept, else it was an orphan. */
static void ended(const struct proc_status *s)
{
    char how[80];
    proc_status_describe(s, how, sizeof how);
    struct kept *k = kept_by_pid(s->pid);
    if (!k) {
        printf("init: reaped orphan %u: %s\n", s->pid, how);
        return;
    }
    k->pid = 0;
    if (k->restarts == RESTARTS_MAX) {
        printf("init: %s (pid %u) %s; started %u times: not again\n", k->name, s->pid, how,
               RESTARTS_MAX + 1);
        return;
    }
    k->restarts++;
    printf("init: %s (pid %u) %s; starting it again (%u of %u)\n", k->name, s->pid, how,
           k->restarts, RESTARTS_MAX);
    start(k);
}

int main(int argc, char **argv)
{
    if (getpid() != (pid_t)PROC_INIT_PID)
        printf("init: warning: running as pid %d, not %u: orphans do not come here\n", getpid(),
               PROC_INIT_PID);
    if (argc < 2 || argc - 1 > (int)KEPT_MAX) {
        printf("init: usage: init PROGRAM... (1 to %u programs to keep running)\n", KEPT_MAX);
        return 1;
    }
    int err = notification_create(startup_info()->factory, &pause_n);
    if (err) {
        printf("init: cannot set up: %s\n", strerror(err));
        return 1;
    }
    static const char *const services[] = { "console", "fs", "pager" };
    int up = 0;
    for (uint32_t i = 0; i < sizeof services / sizeof services[0]; i++)
        up += service_up(services[i]);
    printf("init: %d of 3 services up (console, fs, pager); starting", up);
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    for (int i = 1; i < argc; i++) {
        kept[kept_count].name = argv[i];
        start(&kept[kept_count++]);
    }
    for (;;) {
        struct proc_status s;
        err = proc_wait(-1, 0, &s);
        if (err == ERR_NONE)
            ended(&s);
        else if (err == ERR_NO_CHILD)
            pause_ticks(IDLE_TICKS);       /* nothing to wait for until an orphan comes */
        else {
            printf("init: wait: %s\n", strerror(err));
            pause_ticks(IDLE_TICKS);
        }
    }
}
