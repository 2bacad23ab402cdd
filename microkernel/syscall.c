/*
 * The system-call gate's C side: the dispatch table, generated from the one
 * list in ipc/relay/syscall.h, and the calls that belong to no object.  The
 * handlers live by subject: sys_ipc.c, sys_object.c, sys_memory.c; what they
 * share is in syscall_impl.h.
 */
#include "syscall.h"
#include "syscall_impl.h"
#include "boot.h"
#include "endpoint.h"
#include "fault.h"
#include "notification.h"
#include "reaper.h"
#include "sched.h"
#include "usercopy.h"
#include "arch/x86/serial.h"
#include "relay/kinfo.h"

struct kobject factory = { .type = KOBJ_FACTORY, .refs = 1 };

/* nop() -> (): does nothing; the cost of the gate itself. */
HANDLER(nop)
{
    (void)timeout;
    tf->eax = ERR_NONE;
}

#define DEBUG_WRITE_MAX 4096u

/* debug_write(buffer, length): length bytes to the kernel console, all or
 * none.  ERR_INVALID if length > 4096; ERR_BAD_ADDRESS if any byte of the
 * buffer is not readable (then nothing is written). */
HANDLER(debug_write)
{
    (void)timeout;
    static char buf[DEBUG_WRITE_MAX];      /* one caller at a time: the kernel is not preempted */
    uint32_t length = ARG1(tf);
    if (length > DEBUG_WRITE_MAX) {
        tf->eax = ERR_INVALID;
        return;
    }
    if ((tf->eax = copy_from_user(buf, (struct user_ptr){ ARG0(tf) }, length)) != ERR_NONE)
        return;
    for (uint32_t i = 0; i < length; i++)
        serial_putc(buf[i]);
}

/* kernel_info(struct kernel_info *): what the kernel has in use.  ERR_BAD_ADDRESS. */
HANDLER(kernel_info)
{
    (void)timeout;
    struct kernel_info k = {
        .frames_free = kernel_frames.free, .tasks = tasks_in_use, .threads = threads_in_use,
        .endpoints = endpoints_in_use, .notifications = notifications_in_use,
        .notices_queued = fault_notices_queued, .reaping = reaper_queued,
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
        sched_exit();
        return;
    }
    syscalls[nr](tf, tf->eax >> SYSCALL_TIMEOUT_SHIFT);
    sched_exit();                          /* whoever should run now, and a little teardown */
}
