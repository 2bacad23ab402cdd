/* The IPC suite: main, and the helpers of ipctest.h. */
#include "ipctest.h"

relay_handle factory(void) { return startup_info()->factory; }
relay_handle self_task(void) { return startup_info()->self_task; }

relay_handle new_endpoint(void)
{
    relay_handle ep = HANDLE_NULL;
    CHECK_EQ(endpoint_create(factory(), &ep), ERR_NONE);
    return ep;
}

relay_handle new_notification(void)
{
    relay_handle n = HANDLE_NULL;
    CHECK_EQ(notification_create(factory(), &n), ERR_NONE);
    return n;
}

int spawn_role(const char *role_and_args, relay_handle parent, uint32_t priority,
               struct child *child, relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    char cmdline[STARTUP_NAME_MAX * 2];
    snprintf(cmdline, sizeof cmdline, "ipctest %s", role_and_args);
    *exit_n = new_notification();
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr,
        .image_size = si->images[0].size,
        .cmdline = cmdline,
        .factory = si->factory,
        .exit_notification = *exit_n,
        .exit_bits = 1,
        .give_factory = si->factory,
        .parent = parent,
        .memory_pages = 64,
        .images = 0,
        .image_count = 0,
        .priority = priority,
    };
    return spawn(&a, child);
}

uint32_t wait_role(struct child *child, relay_handle exit_n, uint32_t ticks, uint32_t *status)
{
    uint32_t bits, state = TASK_ALIVE;
    *status = 0;
    if (notify_wait(exit_n, &bits, ticks) == ERR_NONE)
        task_status(child->task, &state, status);
    if (state != TASK_ALIVE) {
        spawn_release(child);
        handle_delete(exit_n);
    }
    return state;
}

struct thread *start_thread(void (*fn)(void *), void *arg, uint32_t priority)
{
    struct thread *t = 0;
    struct thread_spec spec = { fn, arg, priority, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    return t;
}

static relay_handle never;   /* a notification nobody signals */

void park(void)
{
    for (;;) {
        uint32_t bits;
        notify_wait(never, &bits, TIMEOUT_FOREVER);
    }
}

void sleep_ticks(uint32_t ticks)
{
    uint32_t bits;
    notify_wait(never, &bits, ticks);
}

void stop_thread(struct thread *t)
{
    if (!t)
        return;
    if (!t->finished)
        thread_kill(t->handle);
    thread_release(t);
}

int main(int argc, char **argv)
{
    if (notification_create(factory(), &never) != ERR_NONE)
        return 126;
    return utest_main("ipc", argc, argv);
}
