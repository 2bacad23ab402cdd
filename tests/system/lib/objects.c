/* Checked object creation for the suites, and waits: see objects.h. */
#include "objects.h"
#include "utest.h"

relay_handle new_endpoint(void)
{
    relay_handle ep = HANDLE_NULL;
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    return ep;
}

relay_handle new_notification(void)
{
    relay_handle n = HANDLE_NULL;
    CHECK_EQ(notification_create(startup_info()->factory, &n), ERR_NONE);
    return n;
}

struct thread *start_thread(void (*fn)(void *), void *arg, uint32_t priority)
{
    struct thread *t = 0;
    struct thread_spec spec = { fn, arg, priority, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    return t;
}

void stop_thread(struct thread *t)
{
    if (!t)
        return;
    if (!t->finished)
        thread_kill(t->handle);
    thread_release(t);
}

relay_handle never_signalled(void)
{
    static relay_handle never;
    if (never == HANDLE_NULL)
        notification_create(startup_info()->factory, &never);
    return never;
}

void sleep_ticks(uint32_t ticks)
{
    uint32_t bits;
    notify_wait(never_signalled(), &bits, ticks);
}

void park(void)
{
    for (;;) {
        uint32_t bits;
        notify_wait(never_signalled(), &bits, TIMEOUT_FOREVER);
    }
}
