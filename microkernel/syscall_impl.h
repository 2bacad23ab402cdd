/*
 * What the system-call handlers share (syscall.c, sys_ipc.c, sys_object.c,
 * sys_memory.c): where the arguments are, how a handler is declared, and
 * checked handle lookups.  Each handler reads its arguments from the caller's
 * trap frame (EBX, ECX, EDX, ESI, EDI, EBP: arguments 0..5), writes its error
 * code to EAX and its results over the argument registers, as
 * ipc/relay/syscall.h lays down.  Every handle is checked by handle_lookup
 * and every user pointer goes through usercopy.h.  Each handler's comment is
 * its contract; docs/ABI.md says the same at more length.
 */
#ifndef RELAY_SYSCALL_IMPL_H
#define RELAY_SYSCALL_IMPL_H

#include "handle.h"
#include "task.h"
#include "thread.h"
#include "arch/x86/trapframe.h"
#include "relay/syscall.h"

#define ARG0(tf) ((tf)->ebx)
#define ARG1(tf) ((tf)->ecx)
#define ARG2(tf) ((tf)->edx)
#define ARG3(tf) ((tf)->esi)
#define ARG4(tf) ((tf)->edi)
#define ARG5(tf) ((tf)->ebp)

/* Handlers take the frame and the timeout in EAX and EDX (regparm): the gate is hot. */
typedef void syscall_fn(struct trap_frame *tf, uint32_t timeout) __attribute__((regparm(2)));
#define HANDLER(name) \
    void __attribute__((regparm(2))) sys_##name(struct trap_frame *tf, uint32_t timeout)
#define RELAY_SYSCALL_DECLARE(name, nr, nargs, doc) syscall_fn sys_##name;
/* The handlers by number: syscall_entry (vectors.asm) calls through it. */
extern syscall_fn *const syscall_table[];
RELAY_SYSCALLS(RELAY_SYSCALL_DECLARE)
#undef RELAY_SYSCALL_DECLARE

static inline enum relay_error lookup(relay_handle number, enum kobj_type type, uint32_t rights,
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

/* The caller's table has room for the handle a new object needs: checked
 * before anything is made, so that a failed call changes nothing. */
#define ROOM_FOR_HANDLE(tf)                                                       \
    do {                                                                          \
        (tf)->eax = handle_table_reserve(&current->task->handles);              \
        if ((tf)->eax != ERR_NONE)                                                \
            return;                                                               \
    } while (0)

/*
 * A call that stops after a fixed amount of work (its budget, SYSCALL_BUDGET
 * units) and has more to do is restarted: EIP goes back onto the `int 0x80`
 * (two bytes, CD 80) and EAX still holds the call number, so the thread
 * makes the same call again once it runs -- in ring 3 in between, where
 * interrupts come in and more urgent threads get the CPU.  Such a call
 * leaves its objects consistent after every step (handle.c, frames.c).
 */
#define SYSCALL_BUDGET 128u
static inline void syscall_restart(struct trap_frame *tf)
{
    tf->eip -= 2;
}

/* Give the caller a new original handle to obj, its number in EBX (the
 * caller made sure there is room: handle_table_reserve). */
static inline void hand_out(struct trap_frame *tf, struct kobject *obj)
{
    struct handle *h;
    enum relay_error err = handle_create(&current->task->handles, obj, RIGHTS_ALL, &h);
    if (err == ERR_NONE)
        ARG0(tf) = handle_number(&current->task->handles, h);
    tf->eax = err;
}

/* The thread (RIGHT_CONTROL) in argument 0, or NULL with the error in EAX. */
static inline struct thread *thread_arg(struct trap_frame *tf)
{
    struct handle *h;
    enum relay_error err = lookup(ARG0(tf), KOBJ_THREAD, RIGHT_CONTROL, &h);
    tf->eax = err;
    return err == ERR_NONE ? (struct thread *)h->obj : 0;
}

/* The task (RIGHT_CONTROL) in argument 0, or NULL with the error in EAX. */
static inline struct task *task_arg(struct trap_frame *tf)
{
    struct handle *h;
    enum relay_error err = lookup(ARG0(tf), KOBJ_TASK, RIGHT_CONTROL, &h);
    tf->eax = err;
    return err == ERR_NONE ? (struct task *)h->obj : 0;
}

#endif
