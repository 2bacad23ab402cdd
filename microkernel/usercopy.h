/*
 * User pointers are allegations.  A system call receives user addresses as
 * `struct user_ptr`, which can only be read or written through these
 * helpers: they check the range (below KERNBASE, no wrap-around) and that
 * every page of it is mapped for ring 3 (writable, to write) in the calling
 * task, before they copy a byte -- so a bad buffer is ERR_BAD_ADDRESS with
 * nothing copied, never half a copy.  The copy also runs under an exception
 * fixup: should the check ever let a bad page through, that is still an
 * error returned to the caller, never a kernel fault.
 */
#ifndef RELAY_USERCOPY_H
#define RELAY_USERCOPY_H

#include <stdint.h>
#include "relay/error.h"

#define USER_END 0xC0000000u   /* = KERNBASE: user space is [0, USER_END) */

struct user_ptr {
    uint32_t addr;
};

/*
 * Whether [addr, addr + len) lies wholly in user space.  A zero length is
 * valid anywhere (it touches nothing).  Pure: tests/host/test_usercopy.c.
 */
static inline int user_range_ok(uint32_t addr, uint32_t len)
{
    return len == 0 || (addr < USER_END && len <= USER_END - addr);
}

enum relay_error copy_from_user(void *dst, struct user_ptr src, uint32_t len);
/* Whether all of [src, src + len) could be read: copy_from_user's check alone. */
int user_readable(struct user_ptr src, uint32_t len);
enum relay_error copy_to_user(struct user_ptr dst, const void *src, uint32_t len);

#endif
