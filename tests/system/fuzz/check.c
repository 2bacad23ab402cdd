/*
 * What the fuzzer holds the kernel to: every result is an enum relay_error,
 * and where the ABI fixes the error whatever the state, it is that one.
 * Also the kernel's own view: kernel_check's violations, kernel_info's counts.
 */
#include "fuzz.h"

/* kernel_check: the invariant checker of the test kernel, not yet in
 * RELAY_SYSCALLS here (SYS_kernel_check once it is); other kernels answer
 * ERR_NO_SYSCALL. */
#define KERNEL_CHECK_NR 38u

/* Whether call nr takes a handle first, as its doc string says (shape.c). */
static int handle_first(uint32_t nr)
{
    uint8_t first = call_shape(nr)->param[0];
    return first >= P_ENDPOINT && first <= P_HANDLE;
}

int fuzz_result_ok(const struct fuzz_call *c, const char **why)
{
    uint32_t nr = c->eax & SYSCALL_NUMBER_MASK;
    if (c->error >= RELAY_ERROR_COUNT) {
        *why = "the result is no relay error code";
        return 0;
    }
    if (!relay_syscall_name(nr) && c->error != ERR_NO_SYSCALL) {
        *why = "a number that is no system call must return ERR_NO_SYSCALL";
        return 0;
    }
    if (handle_first(nr) && HANDLE_SLOT(c->arg[0]) == 0 && c->error != ERR_BAD_HANDLE) {
        *why = "a handle in slot 0 must fail with ERR_BAD_HANDLE";
        return 0;
    }
    return 1;
}

int fuzz_kernel_check(uint32_t *violations)
{
    static uint32_t report[PAGE_SIZE / sizeof(uint32_t)];   /* room for any struct kernel_check */
    const uint32_t in[6] = { (uint32_t)report };
    memset(report, 0, sizeof report);
    struct sys_result r = relay_syscall(RELAY_SYSNR(KERNEL_CHECK_NR, TIMEOUT_POLL), in);
    *violations = report[0];                 /* its first field */
    return (int)r.error;
}

struct kernel_info fuzz_kinfo(void)
{
    struct kernel_info k = { 0 };
    sys_kernel_info((uint32_t)&k);
    return k;
}
