/*
 * CPU state a ring-3 program can reach: descriptor tables, segment loads,
 * EFLAGS at the gate, CR2.  Nothing here may run code at CPL 0, and every
 * refused load must be the exception the Intel SDM names.
 */
#include "hostile.h"

/* Where the LDT would be if LDTR were left as the loader had it: base 0. */
#define LDT_PAGE      0x00001000u
#define GATE_SELECTOR 0x1007u       /* LDT index 0x200 (linear 0x1000), TI, RPL 3 */
#define KERNEL_CODE   0x08u

volatile uint32_t reached_cs;       /* set by ring0_target if it ever runs */
void ring0_target(void);
asm(".text\n"
    ".globl ring0_target\n"
    "ring0_target:\n\t"
    "movl %cs, %eax\n\t"
    "movl %eax, reached_cs\n\t"
    "lret\n");

/* A 32-bit call gate (type 0xC) to selector:offset, DPL 3, present. */
static uint64_t call_gate(uint16_t selector, uint32_t offset)
{
    return (uint64_t)(offset & 0xFFFF) | (uint64_t)selector << 16 | (uint64_t)0xEC << 40
           | (uint64_t)(offset >> 16) << 48;
}

static void far_call_gate(void)
{
    RAISE("", "lcall $0x1007, $0", "memory");
}

TEST(ldt_call_gate, "a call gate planted where a loader's LDT would be is never used: #GP, no CPL 0")
{
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(startup_info()->self_task, LDT_PAGE, pa, MAP_WRITABLE), ERR_NONE);
    volatile uint64_t *ldt = (volatile uint64_t *)LDT_PAGE;
    for (uint32_t i = 0; i < PAGE_SIZE / 8; i++)
        ldt[i] = call_gate(KERNEL_CODE, (uint32_t)ring0_target);
    reached_cs = 0;
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(far_call_gate, 100));
    CHECK_EQ(reached_cs, 0);                          /* no code ran at CPL 0 */
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(fault_log.rec.vector, 13);
    CHECK_EQ(fault_log.rec.error_code, GATE_SELECTOR & ~3u);
    page_unmap(startup_info()->self_task, LDT_PAGE);
    frame_free(pa);
}

static void load_ldt_ds(void)
{
    RAISE("movw $0x0f, %%ax", "movw %%ax, %%ds", "eax", "memory");
}

TEST(ldt_selector_gp, "DS = 0x0F (LDT index 1) is #GP(0x0C), not a read of linear 8")
{
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(load_ldt_ds, 100));
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(fault_log.rec.vector, 13);
    CHECK_EQ(fault_log.rec.error_code, 0x0C);
    CHECK_EQ(fault_log.rec.cr2, 0);
}

static void touch_unmapped(void)
{
    RAISE("", "movl 0x0BAD0000, %%eax", "eax", "memory");
}

static void raise_ud(void)
{
    RAISE("", "ud2", "memory");
}

ROLE(page_faulter)
{
    (void)argc, (void)argv;
    volatile uint32_t *p = (volatile uint32_t *)0x0BAD1000;
    return (int)*p;                                   /* killed here: nobody handles it */
}

TEST(cr2_only_for_pf, "CR2 appears only in #PF records: a #UD after other tasks' page faults has cr2 0")
{
    answer = REPLY_SKIP;
    CHECK(run_victim(touch_unmapped, 100));
    CHECK_EQ(fault_log.rec.vector, 14);
    CHECK_EQ(fault_log.rec.cr2, 0x0BAD0000);
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(role_spawn("role=page_faulter", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 100, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    struct fault_record n;
    CHECK_EQ(take_notice(&n, 100), ERR_NONE);         /* the role's own #PF notice has its cr2 */
    CHECK_EQ(n.cr2, 0x0BAD1000);
    CHECK(run_victim(raise_ud, 100));
    CHECK_EQ(fault_log.rec.vector, 6);
    CHECK_EQ(fault_log.rec.cr2, 0);                   /* not 0x0BAD1000: another task's address */
}

static void raise_sysenter(void)
{
    RAISE("", "sysenter", "memory");
}

static void raise_syscall(void)
{
    RAISE("", "syscall", "memory");
}

TEST(fast_entries_shut, "sysenter is #GP(0) and syscall #UD: the kernel's one gate is int 0x80")
{
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(raise_sysenter, 100));
    CHECK_EQ(fault_log.count, before + 1);
    CHECK_EQ(fault_log.rec.vector, 13);
    CHECK_EQ(fault_log.rec.error_code, 0);
    CHECK(run_victim(raise_syscall, 100));
    CHECK_EQ(fault_log.count, before + 2);
    CHECK_EQ(fault_log.rec.vector, 6);
}
