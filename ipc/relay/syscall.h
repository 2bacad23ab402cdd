/*
 * The system calls: one list, and the register convention they all share.
 *
 * Every system call is `int 0x80`.  In and out, the registers are:
 *
 *   register  in                                    out
 *   EAX       number | timeout << 8                 error code (enum relay_error)
 *   EBX       arg 0  (the handle, for IPC)          result 0 (badge, new handle)
 *   ECX       arg 1  (message info, for IPC)        result 1 (message info)
 *   EDX       arg 2  (message word 0)               result 2 (word 0)
 *   ESI       arg 3  (message word 1)               result 3 (word 1)
 *   EDI       arg 4  (message word 2)               result 4 (word 2)
 *   EBP       arg 5  (message word 3)               result 5 (word 3)
 *
 * Registers a call does not list as a result come back unchanged; ESP, EIP
 * and EFLAGS are always preserved.  The timeout (24 bits) matters only to
 * calls that can block: TIMEOUT_POLL, TIMEOUT_FOREVER, or a number of clock
 * ticks (ipc.h).  Each call's contract, with its errors, is the comment
 * above its handler -- in microkernel/sys_ipc.c, sys_object.c and
 * sys_memory.c, and for nop, debug_write, kernel_info and kernel_check in
 * microkernel/syscall.c -- and in docs/ABI.md.
 *
 * SYSCALL(name, number, argument count, "arguments -> results")
 * produces the enum, the kernel's dispatch table and names, and the libos
 * stubs.  Append only: the numbers are ABI.
 */
#ifndef RELAY_SYSCALL_H
#define RELAY_SYSCALL_H

#define RELAY_SYSCALL_VECTOR 0x80

#define RELAY_SYSCALLS(SYSCALL)                                                                  \
    SYSCALL(nop,                 0, 0, "-> (nothing): the cheapest round trip through the gate")  \
    SYSCALL(debug_write,         1, 2, "(buffer, length) -> (buffer, length, bytes written): to the kernel console") \
    SYSCALL(send,                2, 6, "(endpoint, info, w0, w1, w2, w3) -> ()")                   \
    SYSCALL(recv,                3, 1, "(endpoint) -> (badge, info, w0, w1, w2, w3)")              \
    SYSCALL(call,                4, 6, "(endpoint, info, w0..w3) -> (badge, info, w0..w3)")        \
    SYSCALL(reply,               5, 6, "(-, info, w0..w3) -> (): to the thread last received from")\
    SYSCALL(reply_recv,          6, 6, "(endpoint, info, w0..w3) -> (badge, info, w0..w3)")        \
    SYSCALL(signal,              7, 2, "(notification, bits) -> ()")                               \
    SYSCALL(wait,                8, 1, "(notification) -> (badge, info, bits)")                    \
    SYSCALL(endpoint_create,     9, 1, "(factory) -> (endpoint)")                                  \
    SYSCALL(notification_create, 10, 1, "(factory) -> (notification)")                            \
    SYSCALL(task_create,         11, 3, "(factory, exit notification or 0, bits) -> (task)")       \
    SYSCALL(thread_create,       12, 5, "(task, entry, stack, utcb, priority) -> (thread)")        \
    SYSCALL(thread_start,        13, 1, "(thread) -> (): first run of a new thread")               \
    SYSCALL(thread_suspend,      14, 1, "(thread) -> ()")                                          \
    SYSCALL(thread_resume,       15, 1, "(thread) -> ()")                                          \
    SYSCALL(thread_kill,         16, 1, "(thread) -> ()")                                          \
    SYSCALL(thread_read_regs,    17, 2, "(thread, struct relay_regs *) -> ()")                     \
    SYSCALL(thread_write_regs,   18, 2, "(thread, const struct relay_regs *) -> ()")               \
    SYSCALL(yield,               19, 0, "-> ()")                                                   \
    SYSCALL(exit,                20, 1, "(status) -> does not return: ends the calling task")      \
    SYSCALL(handle_mint,         21, 3, "(handle, badge, rights) -> (new handle)")                 \
    SYSCALL(handle_copy,         22, 2, "(handle, rights) -> (new handle)")                        \
    SYSCALL(handle_delete,       23, 1, "(handle) -> ()")                                          \
    SYSCALL(handle_revoke,       24, 1, "(handle) -> (): deletes every handle derived from it")    \
    SYSCALL(notification_bind,   25, 2, "(thread, notification or 0) -> ()")                       \
    SYSCALL(task_status,         26, 1, "(task) -> (state, exit status, id)")                      \
    SYSCALL(map,                 27, 4, "(task, virtual, physical, flags) -> ()")                  \
    SYSCALL(unmap,               28, 2, "(task, virtual) -> ()")                                   \
    SYSCALL(frame_give,          29, 3, "(task, physical, count) -> (): ownership moves")        \
    SYSCALL(handle_give,         30, 3, "(task, handle, rights) -> (the copy's number in task)") \
    SYSCALL(thread_set_handler,  31, 3, "(thread, HANDLER_EXCEPTION or HANDLER_PAGER, endpoint or 0) -> ()") \
    SYSCALL(supervisor_set,      32, 2, "(supervisor, endpoint) -> (): where fault notices go") \
    SYSCALL(kernel_info,         33, 1, "(struct kernel_info *) -> (): what the kernel has in use") \
    SYSCALL(frame_revoke,        34, 1, "(physical) -> (mappings removed, the count so far): unmap it everywhere") \
    SYSCALL(map_query,           35, 2, "(task, virtual) -> (physical, flags)") \
    SYSCALL(thread_set_priority, 36, 3, "(thread, priority, max priority) -> ()") \
    SYSCALL(map_protect,         37, 3, "(task, virtual, flags) -> (): change a mapping's rights") \
    SYSCALL(kernel_check,        38, 2, "(struct kernel_check *, flags) -> (): invariants (test kernel)") \
    SYSCALL(factory_create,      39, 1, "(factory) -> (new empty factory made from it)") \
    SYSCALL(factory_give,        40, 3, "(factory, physical, count) -> (): frames become kernel memory") \
    SYSCALL(factory_status,      41, 1, "(factory) -> (frames, free frames, objects made)") \
    SYSCALL(irq_claim,           42, 3, "(irq control, line, ack ticks) -> (irq): the line's IRQ object") \
    SYSCALL(irq_bind,            43, 3, "(irq, notification or 0, bits) -> (): where the line's interrupts go") \
    SYSCALL(irq_ack,             44, 1, "(irq) -> (): the interrupt is handled; unmask the line") \
    SYSCALL(ioport_create,       45, 4, "(io control, factory, first port, count) -> (ioport): a port range") \
    SYSCALL(task_info,           46, 1, "(task) -> (threads, pages mapped): for ps")

enum relay_syscall {
#define RELAY_SYSCALL_ENUM(name, nr, nargs, doc) SYS_##name = nr,
    RELAY_SYSCALLS(RELAY_SYSCALL_ENUM)
#undef RELAY_SYSCALL_ENUM
};

enum {
#define RELAY_SYSCALL_ONE(name, nr, nargs, doc) +1
    RELAY_SYSCALL_COUNT = 0 RELAY_SYSCALLS(RELAY_SYSCALL_ONE)
#undef RELAY_SYSCALL_ONE
};

/* EAX on entry: the call number and, for calls that can block, the timeout. */
#define SYSCALL_NUMBER_MASK   0xFFu
#define SYSCALL_TIMEOUT_SHIFT 8
#define RELAY_SYSNR(nr, timeout) ((unsigned)(nr) | (unsigned)(timeout) << SYSCALL_TIMEOUT_SHIFT)

#endif
