/* System-call names, from the one list: see relay/sys.h. */
#include <stddef.h>
#include <relay/sys.h>

const char *relay_syscall_name(uint32_t nr)
{
    static const char *const names[] = {
#define SYSCALL_NAME(name, number, nargs, doc) [number] = #name,
        RELAY_SYSCALLS(SYSCALL_NAME)
#undef SYSCALL_NAME
    };
    return nr < sizeof names / sizeof names[0] ? names[nr] : NULL;
}
