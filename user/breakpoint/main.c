/*
 * breakpoint: an int3 caught as SIGTRAP.  #BP is a trap: the eip the
 * handler sees is already past the int3, so it resumes with the registers
 * unchanged and the program goes on.
 */
#include <relay/libos.h>

static volatile uint32_t caught;       /* traps the handler took */
static volatile uint32_t trap_eip;     /* the eip it saw */

static void on_trap(int sig, struct fault *f)
{
    char line[160];
    fault_describe(f, line, sizeof line);
    printf("breakpoint: %s: %s\n", signal_name(sig), line);
    printf("breakpoint: a trap: eip is already past the int3, resuming unchanged\n");
    trap_eip = f->regs.eip;
    caught++;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (signal(SIGTRAP, on_trap) == SIG_ERR) {
        printf("FAIL breakpoint: signal(SIGTRAP) failed\nbreakpoint: 0 passed, 1 failed\n");
        return 1;
    }
    uint32_t after;
    printf("breakpoint: executing int3\n");
    asm volatile("int3\n1:\tmovl $1b, %0" : "=r"(after));
    printf("breakpoint: went on after the int3 (next instruction at 0x%08x)\n", after);
    int ok = caught == 1 && trap_eip == after;
    printf("%s breakpoint: #BP became SIGTRAP at the instruction after the int3, and the "
           "program went on\n", ok ? "PASS" : "FAIL");
    printf("breakpoint: %d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
