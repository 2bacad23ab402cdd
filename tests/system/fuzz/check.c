/*
 * What the fuzzer holds the kernel to: every result is an enum relay_error;
 * where the ABI fixes the error whatever the state, it is that one; and the
 * registers a call returns nothing in (its doc string's results, shape.c)
 * come back as they went in.  Also the kernel's own view: kernel_check's
 * violations, kernel_info's counts.
 */
#include "fuzz.h"

/* Whether call nr takes a handle first, as its doc string says (shape.c). */
static int handle_first(uint32_t nr)
{
    uint8_t first = call_shape(nr)->param[0];
    return first >= P_ENDPOINT && first <= P_HANDLE;
}

/* What can be wrong with an answer; a clobbered register's number is in bits 8.. */
enum verdict {
    V_RIGHT = FUZZ_RIGHT,
    V_NOT_AN_ERROR,          /* EAX is no enum relay_error */
    V_NOT_NO_SYSCALL,        /* a number that is no call, and not ERR_NO_SYSCALL */
    V_NOT_BAD_HANDLE,        /* a handle in slot 0, and not ERR_BAD_HANDLE */
    V_CLOBBERED,             /* a register the call returns nothing in changed */
};

uint32_t fuzz_verdict(const struct fuzz_call *c, const uint32_t out[6])
{
    uint32_t nr = c->eax & SYSCALL_NUMBER_MASK;
    if (c->error >= RELAY_ERROR_COUNT)
        return V_NOT_AN_ERROR;
    if (!relay_syscall_name(nr) && c->error != ERR_NO_SYSCALL)
        return V_NOT_NO_SYSCALL;
    if (handle_first(nr) && HANDLE_SLOT(c->arg[0]) == 0 && c->error != ERR_BAD_HANDLE)
        return V_NOT_BAD_HANDLE;
    for (uint32_t i = call_shape(nr)->results; i < 6; i++)
        if (out[i] != c->arg[i])
            return V_CLOBBERED | i << 8;
    return V_RIGHT;
}

const char *fuzz_verdict_text(uint32_t verdict, char *buf, size_t len)
{
    static const char *const registers[6] = { "EBX", "ECX", "EDX", "ESI", "EDI", "EBP" };
    static const char *const texts[] = {
        [V_RIGHT] = "right",
        [V_NOT_AN_ERROR] = "the result is no relay error code",
        [V_NOT_NO_SYSCALL] = "a number that is no system call must return ERR_NO_SYSCALL",
        [V_NOT_BAD_HANDLE] = "a handle in slot 0 must fail with ERR_BAD_HANDLE",
    };
    uint32_t v = verdict & 0xFF, reg = verdict >> 8;
    if (v == V_CLOBBERED && reg < 6)
        snprintf(buf, len, "%s changed, though the call returns nothing there", registers[reg]);
    else
        snprintf(buf, len, "%s", v < sizeof texts / sizeof texts[0] ? texts[v] : "?");
    return buf;
}

/* kernel_check: the test kernel's invariant checker; other kernels answer ERR_NO_SYSCALL. */
int fuzz_kernel_check(uint32_t *violations)
{
    struct kernel_check k = { 0 };
    int err = (int)sys_kernel_check((uint32_t)&k, 0).error;
    *violations = k.violations;
    return err;
}

struct kernel_info fuzz_kinfo(void)
{
    struct kernel_info k = { 0 };
    sys_kernel_info((uint32_t)&k);
    return k;
}
