/* proc's clock: see clock.h. */
#include "clock.h"
#include <relay/libos.h>

#define CLOCK_PRIORITY 17u        /* above proc's main thread (16): the count keeps up */

static volatile uint32_t ticks;   /* counted while it ran */
static volatile uint32_t running;
static relay_handle wake;         /* nudges the thread when running changes */
static relay_handle target;       /* proc's notification, and the bit it gets each tick */
static uint32_t target_bit;

static void clock_thread(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t bits;
        if (notify_wait(wake, &bits, running ? 1 : TIMEOUT_FOREVER) == ERR_TIMEOUT && running) {
            ticks = ticks + 1;
            notify_signal(target, target_bit);
        }
    }
}

int clock_start(relay_handle factory, relay_handle n, uint32_t bit)
{
    target = n;
    target_bit = bit;
    int err = notification_create(factory, &wake);
    struct thread_spec spec = { clock_thread, 0, CLOCK_PRIORITY, HANDLE_NULL, 0 };
    struct thread *t;
    return err ? err : thread_spawn(&spec, &t);
}

uint32_t clock_now(void)
{
    return ticks;
}

void clock_run(int on)
{
    if (running == (uint32_t)!!on)
        return;
    running = !!on;
    notify_signal(wake, 1);
}
