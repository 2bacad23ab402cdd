/* Kernel objects, handles, tasks, threads and memory: see relay/object.h. */
#include <relay/object.h>
#include <relay/sys.h>
#include <relay/error.h>
#include <relay/start.h>
#include <relay/layout.h>
#include <relay/kinfo.h>
#include <relay/console.h>

/* The error, and result 0 through out on success. */
static int result0(struct sys_result r, relay_handle *out)
{
    if (r.error == ERR_NONE)
        *out = r.r[0];
    return (int)r.error;
}

int endpoint_create(relay_handle factory, relay_handle *ep)
{
    return result0(sys_endpoint_create(factory), ep);
}

int notification_create(relay_handle factory, relay_handle *n)
{
    return result0(sys_notification_create(factory), n);
}

int factory_create(relay_handle factory, relay_handle *made)
{
    return result0(sys_factory_create(factory), made);
}

int irq_claim(relay_handle irq_control, uint32_t line, uint32_t ack_ticks, relay_handle *irq)
{
    return result0(sys_irq_claim(irq_control, line, ack_ticks), irq);
}

int irq_bind(relay_handle irq, relay_handle n, uint32_t bits)
{
    return (int)sys_irq_bind(irq, n, bits).error;
}

int irq_ack(relay_handle irq)
{
    return (int)sys_irq_ack(irq).error;
}

int ioport_create(relay_handle io_control, relay_handle factory, uint32_t first, uint32_t count,
                  relay_handle *ioport)
{
    return result0(sys_ioport_create(io_control, factory, first, count), ioport);
}

int factory_give(relay_handle factory, uint32_t pa, uint32_t count)
{
    return (int)sys_factory_give(factory, pa, count).error;
}

int factory_give_range(relay_handle factory, uint32_t pa, uint32_t count)
{
    int err = ERR_NONE;
    for (uint32_t n; count && !err; pa += n * 4096u, count -= n) {
        n = count < FRAME_GIVE_MAX ? count : FRAME_GIVE_MAX;
        err = factory_give(factory, pa, n);
    }
    return err;
}

int factory_status(relay_handle factory, uint32_t *frames, uint32_t *free, uint32_t *objects)
{
    struct sys_result r = sys_factory_status(factory);
    if (r.error == ERR_NONE) {
        *frames = r.r[0];
        *free = r.r[1];
        *objects = r.r[2];
    }
    return (int)r.error;
}

int task_create(relay_handle factory, relay_handle exit_n, uint32_t bits, relay_handle *task)
{
    return result0(sys_task_create(factory, exit_n, bits), task);
}

int task_status(relay_handle task, uint32_t *state, uint32_t *status)
{
    struct sys_result r = sys_task_status(task);
    if (r.error == ERR_NONE) {
        *state = r.r[0];
        *status = r.r[1];
    }
    return (int)r.error;
}

int task_info(relay_handle task, uint32_t *threads, uint32_t *pages)
{
    struct sys_result r = sys_task_info(task);
    if (r.error == ERR_NONE) {
        *threads = r.r[0];
        *pages = r.r[1];
    }
    return (int)r.error;
}

int task_id(relay_handle task, uint32_t *id)
{
    struct sys_result r = sys_task_status(task);
    if (r.error == ERR_NONE)
        *id = r.r[2];
    return (int)r.error;
}

int thread_set_priority(relay_handle thread, uint32_t priority, uint32_t max_priority)
{
    return (int)sys_thread_set_priority(thread, priority, max_priority).error;
}

uint32_t thread_priority_max(void)
{
    return startup_info()->max_priority;
}

int thread_create(relay_handle task, uint32_t entry, uint32_t stack, uint32_t utcb,
                  uint32_t priority, relay_handle *thread)
{
    return result0(sys_thread_create(task, entry, stack, utcb, priority), thread);
}

int thread_start(relay_handle thread)   { return (int)sys_thread_start(thread).error; }
int thread_suspend(relay_handle thread) { return (int)sys_thread_suspend(thread).error; }
int thread_resume(relay_handle thread)  { return (int)sys_thread_resume(thread).error; }
int thread_kill(relay_handle thread)    { return (int)sys_thread_kill(thread).error; }

int thread_read_regs(relay_handle thread, struct relay_regs *regs)
{
    return (int)sys_thread_read_regs(thread, (uint32_t)regs).error;
}

int thread_write_regs(relay_handle thread, const struct relay_regs *regs)
{
    return (int)sys_thread_write_regs(thread, (uint32_t)regs).error;
}

void yield(void)
{
    sys_yield();
}

int handle_mint(relay_handle h, uint32_t badge, uint32_t rights, relay_handle *out)
{
    return result0(sys_handle_mint(h, badge, rights), out);
}

int handle_copy(relay_handle h, uint32_t rights, relay_handle *out)
{
    return result0(sys_handle_copy(h, rights), out);
}

int handle_delete(relay_handle h) { return (int)sys_handle_delete(h).error; }
int handle_revoke(relay_handle h) { return (int)sys_handle_revoke(h).error; }

int handle_give(relay_handle task, relay_handle h, uint32_t rights, relay_handle *out)
{
    return result0(sys_handle_give(task, h, rights), out);
}

int page_map(relay_handle task, uint32_t va, uint32_t pa, uint32_t flags)
{
    return (int)sys_map(task, va, pa, flags).error;
}

int page_unmap(relay_handle task, uint32_t va)
{
    return (int)sys_unmap(task, va).error;
}

int map_protect(relay_handle task, uint32_t va, uint32_t flags)
{
    return (int)sys_map_protect(task, va, flags).error;
}

int frame_give(relay_handle task, uint32_t pa, uint32_t count)
{
    while (count) {                       /* the kernel moves FRAME_GIVE_MAX at most a call */
        uint32_t n = count < FRAME_GIVE_MAX ? count : FRAME_GIVE_MAX;
        int err = (int)sys_frame_give(task, pa, n).error;
        if (err)
            return err;
        pa += n * PAGE_SIZE;
        count -= n;
    }
    return ERR_NONE;
}

int kernel_info_settled(struct kernel_info *k)
{
    for (int tries = 0; tries < 10000; tries++) {
        int err = (int)sys_kernel_info((uint32_t)k).error;
        if (err || k->reaping == 0)
            return err;
        sys_yield();                      /* every kernel exit takes a little more apart */
    }
    return ERR_TIMEOUT;
}

void exit(int status)
{
    console_exit_flush();         /* what it printed is out before it ends */
    for (;;) {                    /* exit never returns; if the kernel refused, try again */
        sys_exit((uint32_t)status);
        sys_yield();
    }
}
