/* The IPC suite: main, and the helpers of ipctest.h. */
#include "ipctest.h"

relay_handle factory(void) { return startup_info()->factory; }
relay_handle self_task(void) { return startup_info()->self_task; }

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
