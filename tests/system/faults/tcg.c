/*
 * Where QEMU 7.2's TCG, which runs every suite, departs from the Intel SDM
 * (docs/ABI.md §8 lists them).  Each test pins what TCG does; one that
 * fails means QEMU now follows the SDM there, and the docs must change.
 * (#AC and #XM, which TCG never raises, cannot be provoked at all:
 * vectors.c.)
 */
#include "faulttest.h"

/* Run fn answering faults by skipping them; the number of faults it raised. */
static uint32_t faults_of(void (*fn)(void))
{
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(fn, 100));
    return fault_log.count - before;
}

static void raise_icebp(void) { RAISE("", ".byte 0xf1"); }
TEST(tcg_icebp_is_ud, "ICEBP (F1), a #DB trap on the CPU, arrives as #UD, a fault at the F1")
{
    CHECK_EQ(faults_of(raise_icebp), 1);
    CHECK_EQ(fault_log.rec.vector, 6);
    CHECK_EQ(fault_log.rec.eip, site_at);
}

static volatile uint32_t locked_word;
static void lock_mov(void)
{
    RAISE("movl $locked_word, %%ecx\n\tmovl $0x600d, %%eax", ".byte 0xf0\n\tmovl %%eax, (%%ecx)",
          "eax", "ecx", "memory");
}
TEST(tcg_lock_mov_runs, "LOCK MOV, #UD on the CPU, runs: no fault, and the store is made")
{
    locked_word = 0;
    CHECK_EQ(faults_of(lock_mov), 0);
    CHECK_EQ(locked_word, 0x600d);
}

static volatile uint32_t null_ds_word = 0x1234;
static void null_ds_read(void)
{
    uint32_t got = 0;
    asm volatile("movl $1f, site_at\n\tmovl $2f, site_next\n\t"
                 "xorl %%eax, %%eax\n\tmovw %%ax, %%ds\n"
                 "1:\tmovl null_ds_word, %%eax\n"
                 "2:\tmovw %%dx, %%ds\n\tmovl %%eax, %0"
                 : "=m"(got) : "d"(0x23) : "eax", "memory");
    null_ds_word = got;
}
TEST(tcg_null_ds_reads, "a read through a null DS, #GP(0) on the CPU, reads memory: no fault")
{
    null_ds_word = 0x1234;
    CHECK_EQ(faults_of(null_ds_read), 0);
    CHECK_EQ(null_ds_word, 0x1234);
}

static void mf_after_fld1(void)
{
    static const uint16_t cw = 0x037B;         /* unmask the zero-divide exception */
    static const float one = 1.0f, zero = 0.0f;
    asm volatile("fninit\n\tfldcw %0\n\tflds %1\n\tfdivs %2" : : "m"(cw), "m"(one), "m"(zero));
    RAISE("fld1", "fwait");                    /* the CPU raises it at the fld1 */
    asm volatile("fninit");
}
TEST(tcg_mf_only_at_fwait, "a pending x87 error is not raised at the next x87 instruction (fld1) but at FWAIT")
{
    CHECK_EQ(faults_of(mf_after_fld1), 1);
    CHECK_EQ(fault_log.rec.vector, 16);
    CHECK_EQ(fault_log.rec.eip, site_at);
}
