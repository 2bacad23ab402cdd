/*
 * Ring-0 exceptions: each test raises one on purpose at a labelled
 * instruction that has an extable fixup, and checks what the trap path
 * recorded -- vector, error code, CR2 -- and that the reported EIP follows
 * the Intel SDM: the faulting instruction for a fault, the next one for a
 * trap.
 */
#include "ktest.h"
#include "kstring.h"
#include "arch/x86/extable.h"
#include "arch/x86/trap.h"
#include "arch/x86/vector.h"

/* Where a raise_* helper's instruction was, and where the next one starts. */
struct site {
    uint32_t at, next;
};

/* Run INSN at label 1 with a fixup to label 2; SETUP runs first. */
#define RAISE(setup, insn, ...)                                                     \
    ({                                                                              \
        struct site s_;                                                             \
        asm volatile(setup "\n\tmovl $1f, %0\n\tmovl $2f, %1\n1:\t" insn "\n2:\n"   \
                     EXTABLE_ENTRY("1b", "2b")                                      \
                     : "=&r"(s_.at), "=&r"(s_.next) : __VA_ARGS__);                 \
        s_;                                                                         \
    })

static uint32_t count_before;

static void expect(unsigned vector, uint32_t error_code, uint32_t eip)
{
    CHECK_EQ(kernel_trap.count, count_before + 1);
    CHECK_EQ(kernel_trap.vector, vector);
    CHECK_EQ(kernel_trap.error_code, error_code);
    CHECK_EQ(kernel_trap.eip, eip);
}

static void start(void) { count_before = kernel_trap.count; }

TEST(int3_ring0, "int3 in ring 0 is a trap: it returns to the next instruction")
{
    start();
    struct site s = RAISE("", "int3", "m"(count_before) : "memory");
    expect(VEC_BP, 0, s.next);
    CHECK_EQ(s.next, s.at + 1);
}

TEST(int_3_ring0, "the two-byte int $3 (CD 03) also reports the instruction after it")
{
    start();
    struct site s = RAISE("", ".byte 0xcd, 0x03", "m"(count_before) : "memory");  /* gas emits CC for int $3 */
    expect(VEC_BP, 0, s.next);
    CHECK_EQ(s.next, s.at + 2);
}

TEST(into_ring0, "into with OF set raises #OF, a trap reporting the next instruction")
{
    start();
    struct site s = RAISE("movl $0x7fffffff, %%eax\n\taddl $1, %%eax", "into",
                          "m"(count_before) : "eax", "cc", "memory");
    expect(VEC_OF, 0, s.next);
}

TEST(divide_error_ring0, "div by zero raises #DE, a fault reporting the div itself")
{
    start();
    struct site s = RAISE("xorl %%ecx, %%ecx", "divl %%ecx",
                          "m"(count_before) : "eax", "ecx", "edx", "memory");
    expect(VEC_DE, 0, s.at);
}

TEST(invalid_opcode_ring0, "ud2 raises #UD at the ud2")
{
    start();
    struct site s = RAISE("", "ud2", "m"(count_before) : "memory");
    expect(VEC_UD, 0, s.at);
}

TEST(gp_selector_ring0, "loading a selector past the GDT's limit raises #GP with that selector")
{
    start();
    struct site s = RAISE("movw $0xfff8, %%ax", "movw %%ax, %%es",
                          "m"(count_before) : "eax", "memory");
    expect(VEC_GP, 0xfff8, s.at);
    char text[64];
    error_code_describe(VEC_GP, kernel_trap.error_code, text, sizeof text);
    CHECK(!memcmp(text, "GDT index 0x1fff", sizeof "GDT index 0x1fff"));
}

TEST(gp_null_ss_ring0, "loading a null selector into SS raises #GP(0)")
{
    start();
    struct site s = RAISE("xorl %%eax, %%eax", "movw %%ax, %%ss",
                          "m"(count_before) : "eax", "memory");
    expect(VEC_GP, 0, s.at);
}

static struct site read_at(uint32_t addr)
{
    return RAISE("", "movl (%2), %%eax", "r"(addr) : "eax", "memory");
}

/* Writes back what it read, so a missing fault changes nothing. */
static struct site write_at(uint32_t addr)
{
    return RAISE("movl (%2), %%eax", "movl %%eax, (%2)", "r"(addr) : "eax", "memory");
}

TEST(pf_null_read, "reading address 0 raises #PF: not-present read supervisor, CR2 = 0")
{
    start();
    struct site s = read_at(0);
    expect(VEC_PF, 0, s.at);
    CHECK_EQ(kernel_trap.cr2, 0);
}

TEST(pf_identity_map_gone, "the boot identity map is gone: the kernel's physical address faults")
{
    start();
    struct site s = read_at(0x00100000);
    expect(VEC_PF, 0, s.at);
    CHECK_EQ(kernel_trap.cr2, 0x00100000);
}

TEST(pf_text_read_only, "writing kernel text raises #PF: protection-violation write supervisor")
{
    uint32_t target = (uint32_t)&expect + 4;
    start();
    struct site s = write_at(target);
    expect(VEC_PF, PF_PROTECTION | PF_WRITE, s.at);
    CHECK_EQ(kernel_trap.cr2, target);
}

static const uint32_t constant = 0x1234;

TEST(pf_rodata_read_only, "writing kernel rodata raises #PF with the protection bit")
{
    start();
    struct site s = write_at((uint32_t)&constant);
    expect(VEC_PF, PF_PROTECTION | PF_WRITE, s.at);
    CHECK_EQ(kernel_trap.cr2, (uint32_t)&constant);
    CHECK_EQ(constant, 0x1234);
}

extern const char kstack_guard[];

TEST(pf_stack_guard, "the page under the kernel stack is unmapped")
{
    uint32_t target = (uint32_t)kstack_guard + 0x800;
    start();
    struct site s = read_at(target);
    expect(VEC_PF, 0, s.at);
    CHECK_EQ(kernel_trap.cr2, target);
}

TEST(registers_survive_trap, "a trap round trip preserves every general register")
{
    uint32_t in[6] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666 };
    uint32_t out[6];
    asm volatile("int3"
                 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3]), "=S"(out[4]), "=D"(out[5])
                 : "a"(in[0]), "b"(in[1]), "c"(in[2]), "d"(in[3]), "S"(in[4]), "D"(in[5])
                 : "memory");
    for (int i = 0; i < 6; i++)
        CHECK_EQ(out[i], in[i]);
}
