/*
 * Kernel benchmarks, in guest instructions per operation: run with `bench`
 * on the command line under -icount shift=0, where rdtsc counts guest
 * instructions exactly (make bench).
 */
#include "ktest.h"
#include "boot.h"
#include "arch/x86/cpu.h"

#define ROUNDS 31
#define BATCH  16

BENCH(boot_to_banner, "from the loader's jump to _start until the boot banner is printed")
{
    return (uint32_t)(boot_info.tsc_banner - boot_info.tsc_entry);
}

BENCH(int3_kernel, "int3 in ring 0: entry stub, trap frame, dispatch, iret")
{
    uint32_t per_op[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = rdtsc();
        asm volatile(".rept 16\n\tint3\n\t.endr" ::: "memory");
        uint64_t t1 = rdtsc();
        uint64_t t2 = rdtsc();          /* the cost of the measurement itself */
        uint64_t t3 = rdtsc();
        per_op[r] = (uint32_t)(((t1 - t0) - (t3 - t2)) / BATCH);
    }
    return ktest_median(per_op, ROUNDS);
}
