/* Threads libos starts, and finding "self" by the stack pointer: see relay/thread.h. */
#include <relay/thread.h>
#include <relay/fork.h>
#include <relay/object.h>
#include <relay/memory.h>
#include <relay/msg.h>
#include <relay/start.h>
#include <relay/error.h>
#include <relay/string.h>

static struct thread main_thread;
static struct thread threads[THREADS_MAX];
static uint32_t next_utcb = UTCB_BASE;     /* UTCB pages are handed out once each */

/* crt0.asm: clears EBP and calls libos_thread_main on the new stack. */
extern char libos_thread_entry[];
void libos_thread_main(void) __attribute__((noreturn));

static uint32_t stack_pointer(void)
{
    uint32_t esp;
    asm volatile("mov %%esp, %0" : "=r"(esp));
    return esp;
}

struct thread *thread_self(void)
{
    uint32_t offset = stack_pointer() - THREAD_STACKS_BASE;
    if (offset < THREADS_MAX * THREAD_STACK_SIZE)
        return &threads[offset / THREAD_STACK_SIZE];
    return &main_thread;
}

struct utcb *utcb_self(void)
{
    return thread_self()->utcb;
}

void thread_init_main(const struct startup_info *si)
{
    main_thread.utcb = (struct utcb *)si->main_utcb;
    main_thread.handle = si->self_thread;
    main_thread.in_use = 1;
}

struct thread *thread_main(void)
{
    return &main_thread;
}

void thread_fork_child(const struct startup_info *si)
{
    if (main_thread.handle != si->self_thread)
        main_thread.handle = si->self_thread;
    for (struct thread *t = threads; t < threads + THREADS_MAX; t++)
        if (t->in_use)
            t->in_use = 0;            /* its stack was the parent's frames: not here */
}

static uint32_t slot_top(const struct thread *t)
{
    return THREAD_STACKS_BASE + (uint32_t)(t - threads + 1) * THREAD_STACK_SIZE;
}

/* The next UTCB page nobody has used, skipping the main thread's. */
static int take_utcb(uint32_t *utcb)
{
    if (next_utcb == (uint32_t)main_thread.utcb)
        next_utcb += PAGE_SIZE;
    if (next_utcb >= STACK_TOP - STACK_SIZE - PAGE_SIZE)
        return ERR_NO_MEMORY;
    *utcb = next_utcb;
    next_utcb += PAGE_SIZE;
    return ERR_NONE;
}

/* Unmap and free the stack pages [0, mapped) of t. */
static void drop_stack(struct thread *t, uint32_t mapped)
{
    uint32_t low = slot_top(t) - THREAD_STACK_PAGES * PAGE_SIZE;
    for (uint32_t i = 0; i < mapped; i++) {
        page_unmap(startup_info()->self_task, low + i * PAGE_SIZE);
        frame_free(t->stack_frames[i]);
    }
}

static int map_stack(struct thread *t)
{
    uint32_t low = slot_top(t) - THREAD_STACK_PAGES * PAGE_SIZE;
    for (uint32_t i = 0; i < THREAD_STACK_PAGES; i++) {
        int err = frame_alloc(&t->stack_frames[i]);
        if (err) {
            drop_stack(t, i);
            return err;
        }
        err = page_map(startup_info()->self_task, low + i * PAGE_SIZE, t->stack_frames[i],
                       MAP_WRITABLE);
        if (err) {
            frame_free(t->stack_frames[i]);
            drop_stack(t, i);
            return err;
        }
    }
    return ERR_NONE;
}

int thread_spawn(const struct thread_spec *spec, struct thread **out)
{
    if (!spec->fn || spec->priority > THREAD_PRIORITY_MAX)
        return ERR_INVALID;
    struct thread *t = threads;
    while (t < threads + THREADS_MAX && t->in_use)
        t++;
    if (t == threads + THREADS_MAX)
        return ERR_NO_MEMORY;
    uint32_t utcb;
    int err = take_utcb(&utcb);
    if (err)
        return err;
    memset(t, 0, sizeof *t);
    t->utcb = (struct utcb *)utcb;
    t->fn = spec->fn;
    t->arg = spec->arg;
    t->exit_notification = spec->exit_notification;
    t->exit_bits = spec->exit_bits;
    err = map_stack(t);
    if (err)
        return err;
    err = thread_create(startup_info()->self_task, (uint32_t)libos_thread_entry, slot_top(t),
                        utcb, spec->priority, &t->handle);
    if (!err) {
        t->in_use = 1;
        err = thread_start(t->handle);
        if (err)
            thread_release(t);
    } else {
        drop_stack(t, THREAD_STACK_PAGES);
    }
    if (!err)
        *out = t;
    return err;
}

int thread_release(struct thread *t)
{
    if (t < threads || t >= threads + THREADS_MAX || !t->in_use || t == thread_self())
        return ERR_INVALID;
    thread_kill(t->handle);              /* it may have ended already: not an error here */
    handle_delete(t->handle);
    drop_stack(t, THREAD_STACK_PAGES);
    t->in_use = 0;
    return ERR_NONE;
}

/* Where a started thread begins (by way of crt0.asm), on its own stack. */
void libos_thread_main(void)
{
    struct thread *t = thread_self();
    t->fn(t->arg);
    t->finished = 1;
    if (t->exit_notification != HANDLE_NULL)
        notify_signal(t->exit_notification, t->exit_bits);
    for (;;) {                           /* ends here: killing itself does not return */
        thread_kill(t->handle);
        thread_suspend(t->handle);
    }
}
