/* Checked copies between the kernel and user space: see usercopy.h. */
#include "usercopy.h"
#include "arch/x86/extable.h"
#include "arch/x86/memlayout.h"

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

enum relay_error copy_from_user(void *dst, struct user_ptr src, uint32_t len)
{
    if (!user_range_ok(src.addr, len))
        return ERR_BAD_ADDRESS;
    return guarded_copy(dst, (const void *)src.addr, len) ? ERR_BAD_ADDRESS : ERR_NONE;
}

enum relay_error copy_to_user(struct user_ptr dst, const void *src, uint32_t len)
{
    if (!user_range_ok(dst.addr, len))
        return ERR_BAD_ADDRESS;
    return guarded_copy((void *)dst.addr, src, len) ? ERR_BAD_ADDRESS : ERR_NONE;
}
