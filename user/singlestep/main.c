/*
 * singlestep: a thread that traces itself.  An int3's SIGTRAP handler sets
 * the trap flag in the registers it resumes with; from then on every
 * instruction ends in a #DB trap (SIGTRAP too), whose eip the handler
 * records and prints.  After STEPS of them it clears the flag again.
 */
#include <relay/libos.h>

#define STEPS 5

static volatile uint32_t steps;                /* #DB traps taken */
static volatile uint32_t step_eip[STEPS];      /* where each one stopped */

static void on_trap(int sig, struct fault *f)
{
    (void)sig;
    if (f->vector == 3) {                      /* #BP: start tracing */
        printf("singlestep: #BP at eip=0x%08x: setting TF\n", f->regs.eip);
        f->regs.eflags |= EFLAGS_TF;
        return;
    }
    step_eip[steps] = f->regs.eip;
    printf("singlestep: #%s %s (%s) step %u: eip=0x%08x\n", f->mnemonic, f->name, f->class_name,
           steps + 1, f->regs.eip);
    if (++steps == STEPS) {
        printf("singlestep: %u steps: clearing TF\n", STEPS);
        f->regs.eflags &= ~EFLAGS_TF;
    }
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    if (signal(SIGTRAP, on_trap) == SIG_ERR) {
        printf("FAIL singlestep: signal(SIGTRAP) failed\nsinglestep: 0 passed, 1 failed\n");
        return 1;
    }
    /* Five one-instruction steps from label 1; labels 2..6 follow each. */
    static uint32_t want[STEPS];
    uint32_t sum;
    asm volatile("movl $2f, %1\n\tmovl $3f, %2\n\tmovl $4f, %3\n\tmovl $5f, %4\n\tmovl $6f, %5\n\t"
                 "int3\n"
                 "1:\txorl %0, %0\n"
                 "2:\taddl $1, %0\n"
                 "3:\taddl $2, %0\n"
                 "4:\taddl $3, %0\n"
                 "5:\taddl $4, %0\n"
                 "6:\tnop"
                 : "=&r"(sum), "=m"(want[0]), "=m"(want[1]), "=m"(want[2]), "=m"(want[3]),
                   "=m"(want[4]));
    printf("singlestep: traced %u instructions, sum=%u, now running untraced\n", steps, sum);
    int ok = steps == STEPS && sum == 10;
    for (int i = 0; i < STEPS; i++)
        ok &= step_eip[i] == want[i];
    printf("%s singlestep: a SIGTRAP handler set TF; each step was a #DB at the next "
           "instruction, %u of them, then TF was cleared\n", ok ? "PASS" : "FAIL", STEPS);
    printf("singlestep: %d passed, %d failed\n", ok, !ok);
    return ok ? 0 : 1;
}
