/*
 * The system-call gate's C side: the dispatch table, generated from the one
 * list in ipc/relay/syscall.h, and the calls that belong to no object.  The
 * handlers live by subject: sys_ipc.c, sys_object.c, sys_memory.c; what they
 * share is in syscall_impl.h.
 */
#include "syscall.h"
#include "syscall_impl.h"
#include "boot.h"
#include "check.h"
#include "arch/x86/cpu.h"
#include "endpoint.h"
#include "factory.h"
#include "fault.h"
#include "frames.h"
#include "notification.h"
#include "reaper.h"
#include "sched.h"
#include "usercopy.h"
#include "arch/x86/serial.h"
#include "relay/kinfo.h"

/* nop() -> (): does nothing; the cost of the gate itself. */
HANDLER(nop)
{
    (void)timeout;
    tf->eax = ERR_NONE;
}

#define DEBUG_WRITE_MAX 4096u
#define DEBUG_WRITE_STEP 16u               /* bytes a step: the UART's FIFO */

/* debug_write(buffer, length): length bytes to the kernel console.
 * ERR_INVALID if length > 4096; ERR_BAD_ADDRESS if any byte of the buffer
 * is not readable, checked before the first byte is written (then nothing
 * is).  The kernel never waits for the UART: it writes what the UART's FIFO
 * takes and restarts the call (syscall_restart) for the rest, counting the
 * bytes written in EDX, which must be 0 on entry (the stub's is); waiting
 * for the UART is then ring 3's, preemptible.  A buffer another thread
 * unmaps meanwhile ends the write there, with ERR_BAD_ADDRESS. */
HANDLER(debug_write)
{
    (void)timeout;
    char buf[DEBUG_WRITE_STEP];
    uint32_t length = ARG1(tf), done = ARG2(tf);
    if (length > DEBUG_WRITE_MAX || done > length) {
        tf->eax = ERR_INVALID;
        return;
    }
    if (done == 0 && !user_readable((struct user_ptr){ ARG0(tf) }, length)) {
        tf->eax = ERR_BAD_ADDRESS;         /* all of it, before the first byte */
        return;
    }
    uint32_t n = length - done < sizeof buf ? length - done : sizeof buf;
    enum relay_error err = copy_from_user(buf, (struct user_ptr){ ARG0(tf) + done }, n);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    ARG2(tf) = done + serial_write_some(buf, n);
    if (ARG2(tf) < length)
        syscall_restart(tf);
    else
        tf->eax = ERR_NONE;
}

/* kernel_info(struct kernel_info *): what the kernel has in use.  ERR_BAD_ADDRESS. */
HANDLER(kernel_info)
{
    (void)timeout;
    struct kernel_info k = {
        .frames_free = current->task->obj.factory->free, .tasks = kobjects_in_use[KOBJ_TASK],
        .threads = kobjects_in_use[KOBJ_THREAD], .endpoints = kobjects_in_use[KOBJ_ENDPOINT],
        .notifications = kobjects_in_use[KOBJ_NOTIFICATION],
        .factories = kobjects_in_use[KOBJ_FACTORY], .mappings = memory_frame_table()->mappings,
        .notices_queued = fault_notices_queued, .reaping = reaper_queued,
    };
    tf->eax = copy_to_user((struct user_ptr){ ARG0(tf) }, &k, sizeof k);
}

/* kernel_check(struct kernel_check *, flags): run the invariant checker and
 * report it and the longest non-preemptible path (relay/kinfo.h); flags
 * KERNEL_CHECK_RESET starts that path afresh.  Only the test kernel has the
 * checker (-DRELAY_CHECK, microkernel/check.c): elsewhere ERR_NO_SYSCALL.
 * ERR_BAD_ADDRESS (then the checks still ran, and printed what they found). */
HANDLER(kernel_check)
{
    (void)timeout;
#ifdef RELAY_CHECK
    struct kernel_check k;
    check_all(&k);
    check_longest(&k);
    check_fastpaths(&k);
    if (ARG1(tf) & KERNEL_CHECK_RESET)
        check_longest_reset();
    tf->eax = copy_to_user((struct user_ptr){ ARG0(tf) }, &k, sizeof k);
    check_entry_tsc = rdtsc();             /* the checker's own walk is not a kernel path */
#else
    tf->eax = ERR_NO_SYSCALL;
#endif
}

/* A number no call has: ERR_NO_SYSCALL. */
static void __attribute__((regparm(2))) sys_no_syscall(struct trap_frame *tf, uint32_t timeout)
{
    (void)timeout;
    tf->eax = ERR_NO_SYSCALL;
}

/* Every number EAX's low byte can hold, so the gate needs no bounds check. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
syscall_fn *const syscall_table[SYSCALL_NUMBER_MASK + 1] = {
    [0 ... SYSCALL_NUMBER_MASK] = sys_no_syscall,
#define RELAY_SYSCALL_ENTRY(name, nr, nargs, doc) [nr] = sys_##name,
    RELAY_SYSCALLS(RELAY_SYSCALL_ENTRY)
#undef RELAY_SYSCALL_ENTRY
};
#pragma GCC diagnostic pop
