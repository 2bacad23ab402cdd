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
