/*
 * divzero: a division by zero caught as SIGFPE.  The handler prints the
 * decoded fault and resumes after the div (#DE is a fault: eip names the
 * div itself, so it skips insn_length bytes); the program goes on and
 * exits 0.
 */
#include <relay/libos.h>

static volatile uint32_t caught;       /* faults the handler took */
static volatile uint32_t skipped;      /* bytes it skipped */

static void on_fpe(int sig, struct fault *f)
{
    char line[160];
    fault_describe(f, line, sizeof line);
    printf("divzero: %s: %s\n", signal_name(sig), line);
    caught++;
    if (f->insn_length == 0) {                 /* resuming at the div would fault forever */
        printf("FAIL divzero: the div's length is unknown\ndivzero: 0 passed, 1 failed\n");
        exit(1);
    }
    printf("divzero: resuming after the %u-byte div at eip=0x%08x\n", f->insn_length,
           f->regs.eip + f->insn_length);
    skipped = f->insn_length;
    f->regs.eip += f->insn_length;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (signal(SIGFPE, on_fpe) == SIG_ERR) {
        printf("FAIL divzero: signal(SIGFPE) failed\ndivzero: 0 passed, 1 failed\n");
        return 1;
    }
    volatile uint32_t divisor = 0;             /* the compiler cannot know it is 0 */
    uint32_t quotient, remainder;
    printf("divzero: dividing 100 by zero\n");
    asm volatile("divl %2" : "=a"(quotient), "=d"(remainder) : "r"(divisor), "a"(100u), "d"(0u));
    printf("divzero: went on after the div (eax=%u edx=%u left as they were)\n", quotient,
           remainder);
    int ok = caught == 1 && skipped == 2 && quotient == 100 && remainder == 0;
    printf("%s divzero: #DE became SIGFPE, the handler skipped the div and the program went on\n",
           ok ? "PASS" : "FAIL");
    printf("divzero: %d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
