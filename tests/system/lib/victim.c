/* Victims and notices: see victim.h. */
#include "victim.h"

struct victim {
    void (*fn)(void);
    relay_handle done;
};

static void victim_main(void *arg)
{
    struct victim *v = arg;
    v->fn();
    notify_signal(v->done, 1);
}

int victim_run(void (*fn)(void), relay_handle handler_ep, relay_handle done, uint32_t priority,
               uint32_t ticks, relay_handle *handle)
{
    relay_handle me = startup_info()->self_thread, pager = startup_handle("pager");
    struct victim v = { fn, done };
    struct thread *t;
    sys_thread_set_handler(me, HANDLER_EXCEPTION, handler_ep);   /* the victim inherits it... */
    if (pager != HANDLE_NULL)
        sys_thread_set_handler(me, HANDLER_PAGER, HANDLE_NULL);  /* ...and no pager */
    struct thread_spec spec = { victim_main, &v, priority, HANDLE_NULL, 0 };
    int err = thread_spawn(&spec, &t);
    if (pager != HANDLE_NULL)
        sys_thread_set_handler(me, HANDLER_PAGER, pager);
    sys_thread_set_handler(me, HANDLER_EXCEPTION, HANDLE_NULL);  /* ...the caller keeps none */
    if (err)
        return 0;
    if (handle)
        *handle = t->handle;
    uint32_t bits = 0;
    int finished = notify_wait(done, &bits, ticks) == ERR_NONE;
    if (!finished)
        thread_kill(t->handle);                                  /* hung or dead: make sure */
    thread_release(t);
    return finished;
}

int notice_take(relay_handle ep, struct fault_record *rec, uint32_t ticks)
{
    struct msg m;
    int err = ipc_recv(ep, &m, ticks);
    if (err == ERR_NONE && !msg_from_kernel(&m, LABEL_NOTICE))
        return ERR_INVALID;
    if (err == ERR_NONE)
        memcpy(rec, m.w, sizeof *rec);
    return err;
}

struct kernel_info kinfo(void)
{
    struct kernel_info k = { 0 };
    kernel_info_settled(&k);
    return k;
}
