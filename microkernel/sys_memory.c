/* The memory system calls: map, unmap, give, revoke, query (frames.c does the work). */
#include "syscall_impl.h"
#include "frames.h"

/* map(task, virtual, physical, flags): map a frame the caller owns -- or one
 * it has mapped itself, with no more rights than its own mapping.
 * ERR_NOT_OWNER, ERR_RANGE, ERR_MAPPED, ERR_NO_MEMORY (the target task's
 * factory has no page for a page table or reverse-map entry). */
HANDLER(map)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t)
        tf->eax = memory_map(current->task, t, ARG1(tf), ARG2(tf), ARG3(tf));
}

/* map_protect(task, virtual, flags): make the mapping at virtual read-only,
 * or writable (flags MAP_WRITABLE) if the caller could map its frame
 * writable itself -- a pager's way to grant a write without unmapping.
 * RIGHT_CONTROL on the task.  ERR_RANGE, ERR_NOT_MAPPED, ERR_NOT_OWNER. */
HANDLER(map_protect)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t)
        tf->eax = memory_protect(current->task, t, ARG1(tf), ARG2(tf));
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
 * (then nothing moves), ERR_RANGE (count over FRAME_GIVE_MAX, or unaligned). */
HANDLER(frame_give)
{
    (void)timeout;
    struct task *t = task_arg(tf);
    if (t && ARG2(tf) > FRAME_GIVE_MAX)
        tf->eax = ERR_RANGE;
    else if (t)
        tf->eax = memory_give(current->task, t, ARG1(tf), ARG2(tf));
}

/* frame_revoke(physical) -> (count, count): unmap a frame the caller owns
 * from every task it is mapped in, the caller's own included; count mappings
 * went.  ERR_NOT_OWNER, ERR_RANGE.  Restarted after every SYSCALL_BUDGET
 * mappings, the running count kept in ECX, which must be 0 on entry (the
 * stub's is) and holds the count at the end too. */
HANDLER(frame_revoke)
{
    (void)timeout;
    uint32_t budget = SYSCALL_BUDGET, count;
    int done;
    enum relay_error err = memory_revoke(current->task, ARG0(tf), &budget, &count, &done);
    if (err != ERR_NONE) {
        tf->eax = err;
        return;
    }
    ARG1(tf) += count;
    if (!done) {
        syscall_restart(tf);
        return;
    }
    tf->eax = ERR_NONE;
    ARG0(tf) = ARG1(tf);
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
