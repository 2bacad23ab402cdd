/*
 * The system calls.  Each handler reads its arguments from the caller's trap
 * frame (EBX, ECX, EDX, ESI, EDI, EBP: arguments 0..5), writes its error
 * code to EAX and its results over the argument registers, as
 * ipc/relay/syscall.h lays down.  Every handle is checked by handle_lookup
 * and every user pointer goes through usercopy.h.  Each handler's comment is
 * its contract; docs/ABI.md says the same at more length.
 */
#include "syscall.h"
#include "fastpath.h"
#include "fault.h"
#include "handle.h"
#include "ipc.h"
#include "kprintf.h"
#include "memory.h"
#include "sched.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86/serial.h"
#include "boot.h"
#include "relay/fault.h"
#include "relay/kinfo.h"
#include "relay/syscall.h"

struct kobject factory = { KOBJ_FACTORY, 0, 1 };

#define ARG0(tf) ((tf)->ebx)
#define ARG1(tf) ((tf)->ecx)
#define ARG2(tf) ((tf)->edx)
#define ARG3(tf) ((tf)->esi)
#define ARG4(tf) ((tf)->edi)
#define ARG5(tf) ((tf)->ebp)

/* Handlers take the frame and the timeout in EAX and EDX (regparm): the gate is hot. */
typedef void syscall_fn(struct trap_frame *tf, uint32_t timeout) __attribute__((regparm(2)));
#define HANDLER(name) \
    static void __attribute__((regparm(2))) sys_##name(struct trap_frame *tf, uint32_t timeout)

static enum relay_error lookup(relay_handle number, enum kobj_type type, uint32_t rights,
                               struct handle **out)
{
    return handle_lookup(&current->task->handles, number, type, rights, out);
}

/* Look up a handle or fail the call with the lookup's error. */
#define LOOKUP(tf, number, type, rights, h)                                       \
    do {                                                                          \
        enum relay_error e_ = lookup((number), (type), (rights), &(h));           \
        if (e_ != ERR_NONE) {                                                     \
            (tf)->eax = e_;                                                       \
            return;                                                               \
        }                                                                         \
    } while (0)

/* Give the caller a new original handle to obj, its number in EBX. */
static void hand_out(struct trap_frame *tf, struct kobject *obj)
{
    struct handle *h;
    enum relay_error err = handle_create(&current->task->handles, obj, RIGHTS_ALL, &h);
    if (err == ERR_NONE)
        ARG0(tf) = handle_number(&current->task->handles, h);
    tf->eax = err;
}

/* nop() -> (): does nothing; the cost of the gate itself. */
HANDLER(nop)
{
    (void)timeout;
    tf->eax = ERR_NONE;
}

/* debug_write(buffer, length): length bytes to the kernel console.
 * ERR_INVALID if length > 4096; ERR_BAD_ADDRESS if the buffer is not readable. */
HANDLER(debug_write)
{
    (void)timeout;
    char buf[256];
    uint32_t length = ARG1(tf);
    if (length > 4096) {
        tf->eax = ERR_INVALID;
        return;
    }
    for (uint32_t done = 0; done < length;) {
        uint32_t n = length - done < sizeof buf ? length - done : sizeof buf;
        enum relay_error err = copy_from_user(buf, (struct user_ptr){ ARG0(tf) + done }, n);
        if (err != ERR_NONE) {
            tf->eax = err;
            return;
        }
        for (uint32_t i = 0; i < n; i++)
            serial_putc(buf[i]);
        done += n;
    }
    tf->eax = ERR_NONE;
}

/* Check a message about to be sent through h: length, and handle transfer. */
static enum relay_error check_message(uint32_t info, const struct handle *h)
{
    if (msginfo_length(info) > MSG_WORDS_MAX)
        return ERR_TOO_LONG;
    if (!(info & MSGINFO_HANDLE))
        return ERR_NONE;
    if (h && !(h->rights & RIGHT_GRANT))
        return ERR_NO_RIGHTS;
    struct handle *carried;
    return lookup(current->utcb->send_handle, KOBJ_NONE, 0, &carried);
}

static void send_common(struct trap_frame *tf, uint32_t timeout, enum ipc_wait how)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_SEND, h);
    enum relay_error err = check_message(ARG1(tf), h);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    ipc_send((struct endpoint *)h->obj, h->badge, h->rights & RIGHT_GRANT, how, timeout);
}

/* send(endpoint, info, w0..w3): deliver a message, waiting up to timeout for
 * a receiver.  Needs RIGHT_SEND (RIGHT_GRANT too if it carries a handle).
 * ERR_TOO_LONG, ERR_TIMEOUT, ERR_DELETED, ERR_CANCELLED, handle errors. */
HANDLER(send) { send_common(tf, timeout, WAIT_SEND); }

/* call(endpoint, info, w0..w3) -> (0, info, w0..w3): send, then wait for the
 * receiver's reply; timeout bounds each wait.  As send, plus ERR_NO_PARTNER
 * if the server dies or moves on without replying. */
static void __attribute__((noinline)) call_slow(struct trap_frame *tf, uint32_t timeout)
{
    send_common(tf, timeout, WAIT_CALL);
}

HANDLER(call)
{
    if (!fastpath_call(tf, timeout))
        call_slow(tf, timeout);
}

/* recv(endpoint) -> (badge, info, w0..w3): wait up to timeout for a message,
 * or for the bits of the thread's bound notification (NOTIFY in info).
 * Needs RIGHT_RECV.  ERR_TIMEOUT, ERR_DELETED, ERR_CANCELLED, handle errors. */
HANDLER(recv)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_RECV, h);
    ipc_recv((struct endpoint *)h->obj, timeout);
}

/* reply(-, info, w0..w3): answer the caller this thread last received a call
 * from; never blocks.  ERR_NO_PARTNER if there is none; ERR_TOO_LONG. */
HANDLER(reply)
{
    (void)timeout;
    enum relay_error err = check_message(ARG1(tf), 0);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    struct thread *caller = ipc_reply();
    if (caller)
        sched_wake(caller);
}

/* reply_recv(endpoint, info, w0..w3) -> (badge, info, w0..w3): reply if a
 * caller waits for one, then recv on endpoint.  ERR_TOO_LONG for a bad reply
 * (nothing happens then); otherwise the recv's errors. */
static void __attribute__((noinline)) reply_recv_slow(struct trap_frame *tf, uint32_t timeout)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_ENDPOINT, RIGHT_RECV, h);
    if (current->caller) {
        enum relay_error err = check_message(ARG1(tf), 0);
        if (err != ERR_NONE) {
            tf->eax = err;
            return;
        }
    }
    ipc_reply_recv((struct endpoint *)h->obj, timeout);
}

HANDLER(reply_recv)
{
    if (!fastpath_reply_recv(tf, timeout))
        reply_recv_slow(tf, timeout);
}

/* signal(notification, bits): OR bits in; wakes a waiter.  Needs RIGHT_SEND. */
HANDLER(signal)
{
    (void)timeout;
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_NOTIFICATION, RIGHT_SEND, h);
    tf->eax = ERR_NONE;
    notification_signal((struct notification *)h->obj, ARG1(tf));
}

/* wait(notification) -> (badge, NOTIFY, bits): take the bits, waiting up to
 * timeout while there are none.  Needs RIGHT_RECV.  ERR_TIMEOUT, ERR_DELETED. */
HANDLER(wait)
{
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_NOTIFICATION, RIGHT_RECV, h);
    ipc_wait((struct notification *)h->obj, h->badge, timeout);
}

/* endpoint_create(factory) -> (endpoint).  ERR_NO_MEMORY, ERR_NO_SLOT. */
HANDLER(endpoint_create)
{
    (void)timeout;
    struct handle *f;
    struct endpoint *ep;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    if ((tf->eax = endpoint_create(&ep)) != ERR_NONE)
        return;
    hand_out(tf, &ep->obj);
    if (tf->eax != ERR_NONE)
        endpoint_destroy(ep);
}

/* notification_create(factory) -> (notification).  ERR_NO_MEMORY, ERR_NO_SLOT. */
HANDLER(notification_create)
{
    (void)timeout;
    struct handle *f;
    struct notification *n;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    if ((tf->eax = notification_create(&n)) != ERR_NONE)
        return;
    hand_out(tf, &n->obj);
    if (tf->eax != ERR_NONE)
        notification_destroy(n);
}

/* task_create(factory, exit notification or 0, bits) -> (task): an empty task;
 * when it ends the notification is signalled with bits.  ERR_NO_MEMORY. */
HANDLER(task_create)
{
    (void)timeout;
    struct handle *f, *n = 0;
    struct task *task;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    if (ARG1(tf) != HANDLE_NULL)
        LOOKUP(tf, ARG1(tf), KOBJ_NOTIFICATION, RIGHT_SEND, n);
    if ((tf->eax = task_create(&task)) != ERR_NONE)
        return;
    hand_out(tf, &task->obj);
    if (tf->eax != ERR_NONE) {
        task_end(task, TASK_KILLED, 0);
        return;
    }
    if (n) {
        task->exit_notify = (struct notification *)n->obj;
        task->exit_notify->obj.refs++;
        task->exit_bits = ARG2(tf);
    }
}

/* thread_create(task, entry, stack, utcb, priority) -> (thread): a thread not
 * yet started, its UTCB a fresh page mapped at utcb.  Needs RIGHT_CONTROL on
 * the task.  ERR_INVALID (priority), ERR_RANGE/ERR_MAPPED (utcb), ERR_NO_MEMORY. */
HANDLER(thread_create)
{
    (void)timeout;
    struct handle *h;
    struct thread *t;
    LOOKUP(tf, ARG0(tf), KOBJ_TASK, RIGHT_CONTROL, h);
    tf->eax = thread_create((struct task *)h->obj, ARG1(tf), ARG2(tf), ARG3(tf), ARG4(tf), &t);
    if (tf->eax != ERR_NONE)
        return;
    hand_out(tf, &t->obj);
    if (tf->eax != ERR_NONE)
        thread_kill(t);
}

static struct thread *thread_arg(struct trap_frame *tf)
{
    struct handle *h;
    enum relay_error err = lookup(ARG0(tf), KOBJ_THREAD, RIGHT_CONTROL, &h);
    tf->eax = err;
    return err == ERR_NONE ? (struct thread *)h->obj : 0;
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
    if (!t)
        return;
    tf->eax = ERR_NONE;
    thread_kill(t);
    if (t == current)
        schedule();
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

/* handle_delete(handle): free the slot; the object goes with its last handle. */
HANDLER(handle_delete)
{
    (void)timeout;
    struct handle *h;       /* found even if its object is dead: it can still go */
    tf->eax = handle_find(&current->task->handles, ARG0(tf), &h);
    if (tf->eax == ERR_NONE)
        handle_delete(h);
}

/* handle_revoke(handle): delete every handle derived from it, in any task. */
HANDLER(handle_revoke)
{
    (void)timeout;
    struct handle *h;
    LOOKUP(tf, ARG0(tf), KOBJ_NONE, 0, h);
    tf->eax = ERR_NONE;
    handle_revoke(h);
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

/* task_status(task) -> (state, status): TASK_ALIVE, TASK_EXITED with the exit
 * status, or TASK_KILLED with the vector that killed it (TASK_STATUS_KILLED:
 * its last thread was killed).  RIGHT_CONTROL. */
HANDLER(task_status)
{
    (void)timeout;
    struct handle *h;       /* found even if the task ended: that is what is asked */
    enum relay_error err = handle_find(&current->task->handles, ARG0(tf), &h);
    if (err == ERR_NONE && h->obj->type != KOBJ_TASK)
        err = ERR_WRONG_TYPE;
    if (err == ERR_NONE && !(h->rights & RIGHT_CONTROL))
        err = ERR_NO_RIGHTS;
    if ((tf->eax = err) != ERR_NONE)
        return;
    struct task *task = (struct task *)h->obj;
    ARG0(tf) = task->state;
    ARG1(tf) = task->status;
}

static struct task *task_arg(struct trap_frame *tf)
{
    struct handle *h;
    enum relay_error err = lookup(ARG0(tf), KOBJ_TASK, RIGHT_CONTROL, &h);
    tf->eax = err;
    return err == ERR_NONE ? (struct task *)h->obj : 0;
}

/* map(task, virtual, physical, flags): map a frame the caller owns -- or one
 * it has mapped itself, with no more rights than its own mapping.
 * ERR_NOT_OWNER, ERR_RANGE, ERR_MAPPED, ERR_QUOTA, ERR_NO_MEMORY. */
HANDLER(map)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t)
        tf->eax = memory_map(current->task, t, ARG1(tf), ARG2(tf), ARG3(tf));
}

/* unmap(task, virtual).  ERR_RANGE, ERR_NOT_MAPPED. */
HANDLER(unmap)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t)
        tf->eax = memory_unmap(t, ARG1(tf));
}

/* frame_give(task, physical, count): the frames become task's.  ERR_NOT_OWNER
 * (then nothing moves), ERR_RANGE. */
HANDLER(frame_give)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t)
        tf->eax = memory_give(current->task, t, ARG1(tf), ARG2(tf));
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

/* supervisor_set(factory, endpoint): fault notices (ipc/relay/fault.h) go to
 * endpoint from now on.  RIGHT_CONTROL on the factory. */
HANDLER(supervisor_set)
{
    (void)timeout;
    struct handle *f, *ep;
    LOOKUP(tf, ARG0(tf), KOBJ_FACTORY, RIGHT_CONTROL, f);
    LOOKUP(tf, ARG1(tf), KOBJ_ENDPOINT, RIGHT_RECV, ep);
    handle_place(&supervisor, ep, RIGHT_RECV);
    tf->eax = ERR_NONE;
}

/* frame_revoke(physical) -> (count): unmap a frame the caller owns from every
 * task it is mapped in, the caller's own included.  ERR_NOT_OWNER, ERR_RANGE. */
HANDLER(frame_revoke)
{
    (void)timeout;
    uint32_t count;
    if ((tf->eax = memory_revoke(current->task, ARG0(tf), &count)) == ERR_NONE)
        ARG0(tf) = count;
}

/* map_query(task, virtual) -> (physical, flags): what task has mapped at the
 * page.  RIGHT_CONTROL on the task.  ERR_NOT_MAPPED, ERR_RANGE. */
HANDLER(map_query)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    uint32_t pa, flags;
    if (t && (tf->eax = memory_query(t, ARG1(tf), &pa, &flags)) == ERR_NONE) {
        ARG0(tf) = pa;
        ARG1(tf) = flags;
    }
}

/* kernel_info(struct kernel_info *): what the kernel has in use.  ERR_BAD_ADDRESS. */
HANDLER(kernel_info)
{
    (void)timeout;
    struct kernel_info k = {
        .frames_free = kernel_frames.free, .tasks = tasks_in_use, .threads = threads_in_use,
        .endpoints = endpoints_in_use, .notifications = notifications_in_use,
        .notices_queued = fault_notices_queued,
    };
    tf->eax = copy_to_user((struct user_ptr){ ARG0(tf) }, &k, sizeof k);
}

static syscall_fn *const syscalls[RELAY_SYSCALL_COUNT] = {
#define RELAY_SYSCALL_ENTRY(name, nr, nargs, doc) [nr] = sys_##name,
    RELAY_SYSCALLS(RELAY_SYSCALL_ENTRY)
#undef RELAY_SYSCALL_ENTRY
};

void __attribute__((regparm(1))) syscall_dispatch(struct trap_frame *tf)
{
    uint32_t nr = tf->eax & SYSCALL_NUMBER_MASK;
    if (nr >= RELAY_SYSCALL_COUNT) {
        tf->eax = ERR_NO_SYSCALL;
        return;
    }
    syscalls[nr](tf, tf->eax >> SYSCALL_TIMEOUT_SHIFT);
    sched_preempt_check();                 /* a thread it woke may be more urgent */
}
