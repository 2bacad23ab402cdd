/* Checked copies between the kernel and user space: see usercopy.h. */
#include "usercopy.h"
#include "arch/x86/extable.h"
#include "arch/x86/memlayout.h"
#include "task.h"
#include "thread.h"

_Static_assert(USER_END == KERNBASE, "user space ends where the kernel begins");

/* rep movsb with a fixup: returns 1 if it faulted part-way, 0 if it completed. */
static int guarded_copy(void *dst, const void *src, uint32_t len)
{
    int fault = 0;
    asm volatile("1:\trep movsb\n"
                 "2:\n"
                 ".pushsection .text.fixup, \"ax\"\n"
                 "3:\tmovl $1, %[fault]\n\t"
                 "jmp 2b\n"
                 ".popsection\n"
                 EXTABLE_ENTRY("1b", "3b")
                 : "+D"(dst), "+S"(src), "+c"(len), [fault] "+r"(fault)
                 :
                 : "memory");
    return fault;
}

/* The whole of [addr, addr + len) is the calling task's to read (or write). */
static int accessible(uint32_t addr, uint32_t len, int write)
{
    if (!user_range_ok(addr, len))
        return 0;
    return !current->task || vspace_user_accessible(&current->task->vs, addr, len, write);
}

int user_readable(struct user_ptr src, uint32_t len)
{
    return accessible(src.addr, len, 0);
}

enum relay_error copy_from_user(void *dst, struct user_ptr src, uint32_t len)
{
    if (!accessible(src.addr, len, 0))
        return ERR_BAD_ADDRESS;
    return guarded_copy(dst, (const void *)src.addr, len) ? ERR_BAD_ADDRESS : ERR_NONE;
}

enum relay_error copy_to_user(struct user_ptr dst, const void *src, uint32_t len)
{
    if (!accessible(dst.addr, len, 1))
        return ERR_BAD_ADDRESS;
    return guarded_copy((void *)dst.addr, src, len) ? ERR_BAD_ADDRESS : ERR_NONE;
}
