/* The system calls on objects: creating them, threads, handles, tasks, fault handlers. */
#include "syscall_impl.h"
#include "factory.h"
#include "fault.h"
#include "frames.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"
#include "usercopy.h"
#include "relay/fault.h"

/* The factory (RIGHT_CONTROL) a handle names. */
#define FACTORY(h) ((struct factory *)(h)->obj)

/* endpoint_create(factory) -> (endpoint), made in the factory's memory.
 * ERR_NO_SLOT, ERR_NO_MEMORY (the factory's, or for the caller's handle). */
HANDLER(endpoint_create)
{
    (void)timeout;
    struct handle *f;
    struct endpoint *ep;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = endpoint_create(FACTORY(f), &ep)) == ERR_NONE)
        hand_out(tf, &ep->obj);
}

/* notification_create(factory) -> (notification).  ERR_NO_SLOT, ERR_NO_MEMORY. */
HANDLER(notification_create)
{
    (void)timeout;
    struct handle *f;
    struct notification *n;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = notification_create(FACTORY(f), &n)) == ERR_NONE)
        hand_out(tf, &n->obj);
}

/* task_create(factory, exit notification or 0, bits) -> (task): an empty task
 * made in the factory's memory, which also pays for its page tables,
 * threads and handle table; when it ends the notification is signalled with
 * bits.  It ends when the caller's task does.  ERR_NO_SLOT, ERR_NO_MEMORY. */
HANDLER(task_create)
{
    (void)timeout;
    struct handle *f, *n = 0;
    struct task *task;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    if (ARG1(tf) != HANDLE_NULL)
        LOOKUP(tf, ARG1(tf), KOBJ_NOTIFICATION, RIGHT_SEND, n);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = task_create(FACTORY(f), current->task, &task)) != ERR_NONE)
        return;
    hand_out(tf, &task->obj);
    if (n) {
        handle_place(&task->exit_notify, n, RIGHT_SEND);
        task->exit_bits = ARG2(tf);
    }
}

/* factory_create(factory) -> (factory): a new factory, empty, made from the
 * given one (which pays for its record).  ERR_NO_SLOT, ERR_NO_MEMORY. */
HANDLER(factory_create)
{
    (void)timeout;
    struct handle *f;
    struct factory *made;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    ROOM_FOR_HANDLE(tf);
    if ((tf->eax = factory_create(FACTORY(f), &made)) == ERR_NONE)
        hand_out(tf, &made->obj);
}

/* factory_give(factory, physical, count): count frames from physical on,
 * which the caller owns and has mapped nowhere, become the factory's, for
 * the objects made from it; they go back to the caller when the factory is
 * destroyed.  count at most FRAME_GIVE_MAX.  ERR_RANGE, ERR_NOT_OWNER,
 * ERR_MAPPED, ERR_NO_MEMORY (a frame lent on too often); nothing moves on
 * an error. */
HANDLER(factory_give)
{
    (void)timeout;
    struct handle *f;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    if (ARG2(tf) > FRAME_GIVE_MAX)
        tf->eax = ERR_RANGE;
    else
        tf->eax = memory_give_factory(current->task, FACTORY(f), ARG1(tf), ARG2(tf));
}

/* factory_status(factory) -> (frames, free, made): the frames it holds,
 * how many of them are unused pages, and how many objects live in it.
 * RIGHT_CONTROL. */
HANDLER(factory_status)
{
    (void)timeout;
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, h);
    ARG0(tf) = FACTORY(h)->frames;
    ARG1(tf) = FACTORY(h)->free;
    ARG2(tf) = FACTORY(h)->objects;
    tf->eax = ERR_NONE;
}

/* Whether the calling thread may give a thread this priority and maximum:
 * ERR_INVALID past the last priority, ERR_NO_RIGHTS above its own maximum. */
static enum relay_error priority_allowed(uint32_t priority, uint32_t mcp)
{
    if (priority >= PRIORITIES || mcp >= PRIORITIES)
        return ERR_INVALID;
    if (priority > current->mcp || mcp > current->mcp)
        return ERR_NO_RIGHTS;
    return ERR_NONE;
}

/* thread_create(task, entry, stack, utcb, priority) -> (thread): a thread not
 * yet started, its UTCB a fresh page mapped at utcb, its maximum controlled
 * priority the caller's.  Needs RIGHT_CONTROL on the task.  ERR_INVALID
 * (priority past 31), ERR_NO_RIGHTS (priority above the caller's maximum),
 * ERR_NO_SLOT, ERR_RANGE/ERR_MAPPED (utcb), ERR_NO_MEMORY; a failed call
 * changes nothing (an empty task stays alive). */
HANDLER(thread_create)
{
    (void)timeout;
    struct handle *h;
    struct thread *t;
    LOOKUP(tf, ARG0(tf), KOBJ_TASK, RIGHT_CONTROL, h);
    if ((tf->eax = priority_allowed(ARG4(tf), current->mcp)) != ERR_NONE)
        return;
    ROOM_FOR_HANDLE(tf);
    tf->eax = thread_create((struct task *)h->obj, ARG1(tf), ARG2(tf), ARG3(tf), ARG4(tf),
                            current->mcp, &t);
    if (tf->eax == ERR_NONE)
        hand_out(tf, &t->obj);
}


/* thread_set_priority(thread, priority, max): the thread's priority and its
 * maximum controlled priority, each at most the caller's maximum (a creator
 * lowers its new thread's maximum this way).  RIGHT_CONTROL on the thread.
 * ERR_INVALID past 31, ERR_NO_RIGHTS above the caller's maximum. */
HANDLER(thread_set_priority)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (!t || (tf->eax = priority_allowed(ARG1(tf), ARG2(tf))) != ERR_NONE)
        return;
    thread_set_priority(t, ARG1(tf), ARG2(tf));
}

/* thread_start(thread): run it the first time.  ERR_STATE if it ran before. */
HANDLER(thread_start)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (t) {
        tf->eax = ERR_NONE;                /* set first: the new thread may run before we return */
        tf->eax = thread_start(t);
    }
}

/* thread_suspend(thread): stop it; a blocked call of its ends with
 * ERR_CANCELLED.  ERR_STATE if it never started. */
HANDLER(thread_suspend)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (t)
        tf->eax = thread_suspend(t);
}

/* thread_resume(thread): let a suspended thread go on.  ERR_STATE otherwise. */
HANDLER(thread_resume)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (t)
        tf->eax = thread_resume(t);
}

/* thread_kill(thread): end it.  Its partners in IPC get ERR_NO_PARTNER; if it
 * was its task's last thread, the task ends (TASK_STATUS_KILLED). */
HANDLER(thread_kill)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (t)
        thread_kill(t);
}

/* thread_read_regs(thread, regs): copy a suspended (or never started)
 * thread's registers out.  ERR_STATE, ERR_BAD_ADDRESS. */
HANDLER(thread_read_regs)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (!t)
        return;
    if (t->state != THREAD_SUSPENDED && t->state != THREAD_INACTIVE) {
        tf->eax = ERR_STATE;
        return;
    }
    struct relay_regs r;
    thread_get_regs(t, &r);
    tf->eax = copy_to_user((struct user_ptr){ ARG1(tf) }, &r, sizeof r);
}

/* thread_write_regs(thread, regs): set a suspended (or never started)
 * thread's registers; EFLAGS keeps IF set and IOPL 0.  ERR_STATE, ERR_BAD_ADDRESS. */
HANDLER(thread_write_regs)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (!t)
        return;
    if (t->state != THREAD_SUSPENDED && t->state != THREAD_INACTIVE) {
        tf->eax = ERR_STATE;
        return;
    }
    struct relay_regs r;
    if ((tf->eax = copy_from_user(&r, (struct user_ptr){ ARG1(tf) }, sizeof r)) == ERR_NONE)
        thread_set_regs(t, &r);
}

/* yield(): let the threads of the same priority run first. */
HANDLER(yield)
{
    (void)timeout;
    tf->eax = ERR_NONE;
    sched_yield();
}


/* exit(status): end the calling task with status.  Does not return. */
HANDLER(exit)
{
    (void)timeout;
    task_end(current->task, TASK_EXITED, ARG0(tf));
}

static void derive(struct trap_frame *tf, struct handle_table *into, uint32_t rights, int mint,
                   uint32_t badge, relay_handle source)
{
    struct handle *src, *copy;
    LOOKUP(tf, source, KOBJ_NONE, 0, src);
    tf->eax = handle_derive(into, src, rights, mint, badge, &copy);
    if (tf->eax == ERR_NONE)
        ARG0(tf) = handle_number(into, copy);
}

/* handle_mint(handle, badge, rights) -> (new handle): a copy with a badge.
 * ERR_INVALID if the handle is badged already; ERR_NO_SLOT. */
HANDLER(handle_mint)
{
    (void)timeout;
    derive(tf, &current->task->handles, ARG2(tf), 1, ARG1(tf), ARG0(tf));
}

/* handle_copy(handle, rights) -> (new handle): rights never grow.  ERR_NO_SLOT. */
HANDLER(handle_copy)
{
    (void)timeout;
    derive(tf, &current->task->handles, ARG1(tf), 0, 0, ARG0(tf));
}

/* handle_give(task, handle, rights) -> (number in task): put a copy in another
 * task's table.  Needs RIGHT_CONTROL on the task.  ERR_NO_SLOT. */
HANDLER(handle_give)
{
    (void)timeout;
    struct handle *t;
    LOOKUP(tf, ARG0(tf), KOBJ_TASK, RIGHT_CONTROL, t);
    derive(tf, &((struct task *)t->obj)->handles, ARG2(tf), 0, 0, ARG1(tf));
}

/* handle_delete(handle): free the slot; the object goes with its last handle.
 * Its derived handles move up to its parent; many of them take several
 * restarts of the call (syscall_restart), which the caller never sees. */
HANDLER(handle_delete)
{
    (void)timeout;
    struct handle *h;       /* found even if its object is dead: it can still go */
    enum relay_error err = handle_find(&current->task->handles, ARG0(tf), &h);
    uint32_t budget = SYSCALL_BUDGET;
    if (err != ERR_NONE)
        tf->eax = err;
    else if (handle_delete_step(h, &budget))
        tf->eax = ERR_NONE;
    else
        syscall_restart(tf);
}

/* handle_revoke(handle): delete every handle derived from it, in any task:
 * linear in what it deletes, and restarted after every SYSCALL_BUDGET units
 * (the caller sees one call). */
HANDLER(handle_revoke)
{
    (void)timeout;
    struct handle *h;
    uint32_t budget = SYSCALL_BUDGET;
    LOOKUP(tf, ARG0(tf), KOBJ_NONE, 0, h);
    if (handle_revoke_step(h, &budget))
        tf->eax = ERR_NONE;
    else
        syscall_restart(tf);
}

/* notification_bind(thread, notification or 0): the thread's recv also takes
 * the notification's bits.  RIGHT_CONTROL on the thread, RIGHT_RECV on the
 * notification; ERR_STATE if either is bound elsewhere already. */
HANDLER(notification_bind)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (!t)
        return;
    if (ARG1(tf) == HANDLE_NULL) {
        if (t->bound)
            t->bound->bound = 0;
        t->bound = 0;
        tf->eax = ERR_NONE;
        return;
    }
    struct handle *h;
    LOOKUP(tf, ARG1(tf), KOBJ_NOTIFICATION, RIGHT_RECV, h);
    struct notification *n = (struct notification *)h->obj;
    if ((n->bound && n->bound != t) || (t->bound && t->bound != n)) {
        tf->eax = ERR_STATE;
        return;
    }
    n->bound = t;
    n->bound_badge = h->badge;
    t->bound = n;
    tf->eax = ERR_NONE;
}

/* The task the call's first argument names with RIGHT_CONTROL, found even
 * if it has ended (that is what task_status and task_info are asked); NULL
 * with the error in EAX. */
static struct task *task_asked(struct trap_frame *tf)
{
    struct handle *h;
    enum relay_error err = handle_find(&current->task->handles, ARG0(tf), &h);
    if (err == ERR_NONE && h->obj->type != KOBJ_TASK)
        err = ERR_WRONG_TYPE;
    if (err == ERR_NONE && !(h->rights & RIGHT_CONTROL))
        err = ERR_NO_RIGHTS;
    tf->eax = err;
    return err == ERR_NONE ? (struct task *)h->obj : 0;
}

/* task_status(task) -> (state, status, id): TASK_ALIVE, TASK_EXITED with the
 * exit status, or TASK_KILLED with the vector that killed it
 * (TASK_STATUS_KILLED: its last thread was killed); and the task's id, the
 * number fault records and notices name it by.  RIGHT_CONTROL. */
HANDLER(task_status)
{
    (void)timeout;
    struct task *task = task_asked(tf);
    if (!task)
        return;
    ARG0(tf) = task->state;
    ARG1(tf) = task->status;
    ARG2(tf) = task->id;
}

/* task_info(task) -> (threads, pages): the threads in the task (started or
 * not) and the user pages mapped in its address space, UTCBs included, for
 * a process list; both 0 once it has ended.  RIGHT_CONTROL. */
HANDLER(task_info)
{
    (void)timeout;
    struct task *task = task_asked(tf);
    if (!task)
        return;
    uint32_t threads = 0;
    for (struct list *n = task->threads.next; n != &task->threads; n = n->next)
        threads++;
    ARG0(tf) = threads;
    ARG1(tf) = task->state == TASK_ALIVE ? task->vs.pages : 0;   /* teardown does not count down */
}

/* thread_set_handler(thread, kind, endpoint or 0): where the thread's faults
 * go -- HANDLER_EXCEPTION for every vector, HANDLER_PAGER for #PF -- as
 * calls through endpoint (needs RIGHT_SEND), whose badge the handler sees.
 * Threads the thread creates inherit them.  RIGHT_CONTROL on the thread;
 * ERR_INVALID for another kind. */
HANDLER(thread_set_handler)
{
    (void)timeout;
    struct thread *t = thread_arg(tf);
    if (!t)
        return;
    uint32_t kind = ARG1(tf);
    if (kind != HANDLER_EXCEPTION && kind != HANDLER_PAGER) {
        tf->eax = ERR_INVALID;
        return;
    }
    if (ARG2(tf) == HANDLE_NULL) {
        if (t->handler[kind].obj)
            handle_delete(&t->handler[kind]);
        tf->eax = ERR_NONE;
        return;
    }
    struct handle *ep;
    LOOKUP(tf, ARG2(tf), KOBJ_ENDPOINT, RIGHT_SEND, ep);
    handle_place(&t->handler[kind], ep, RIGHT_SEND);
    tf->eax = ERR_NONE;
}

/* supervisor_set(supervisor, endpoint): fault notices (ipc/relay/fault.h) go
 * to endpoint from now on.  RIGHT_CONTROL on the supervisor capability (the
 * root task's at boot, and whoever it gives it to), RIGHT_RECV on the
 * endpoint.  The kernel keeps a send handle: when the last receiver goes,
 * so does the supervisor's endpoint, and notices wait for a new one. */
HANDLER(supervisor_set)
{
    (void)timeout;
    struct handle *s, *ep;
    LOOKUP(tf, ARG0(tf), KOBJ_SUPERVISOR, RIGHT_CONTROL, s);
    LOOKUP(tf, ARG1(tf), KOBJ_ENDPOINT, RIGHT_RECV, ep);
    handle_place(&supervisor, ep, RIGHT_SEND);
    tf->eax = ERR_NONE;
}
