/*
 * Every GDT selector (each entry with each RPL), LDT selectors (LDTR is
 * null), selectors past the GDT's limit and the null selector, loaded into
 * DS, ES, FS, GS and SS and used as far call, jump and return targets, on
 * victim threads.  Each must load (or land) or raise exactly the exception
 * the Intel SDM (vol. 2, MOV, CALL, JMP, RET) gives for our GDT
 * (ARCHITECTURE.md section 4); no far transfer may reach CPL 0.
 */
#include "generic.h"

#define CPL 3u
#define USER_CODE 0x1Bu                 /* what CS is in ring 3 */

enum seg_op { OP_DS, OP_ES, OP_FS, OP_GS, OP_SS, OP_CALL, OP_JMP, OP_RET, OPS };
static const char *const op_name[OPS] = { "mov ds", "mov es", "mov fs", "mov gs", "mov ss",
                                          "lcall", "ljmp", "lret" };

/* Our GDT, as the SDM's checks see it: every code segment is readable and
 * non-conforming, every data segment writable; 0x28 is the busy kernel TSS. */
enum desc_kind { D_NULL, D_CODE, D_DATA, D_TSS };
static const struct { uint8_t kind, dpl, present; } gdt_model[] = {
    { D_NULL, 0, 0 }, { D_CODE, 0, 1 }, { D_DATA, 0, 1 }, { D_CODE, 3, 1 },
    { D_DATA, 3, 1 }, { D_TSS, 0, 1 },  { D_TSS, 0, 1 },  { D_DATA, 3, 0 },
};
#define GDT_MODEL_ENTRIES (sizeof gdt_model / sizeof gdt_model[0])

struct outcome {
    uint32_t vector;                  /* 0: loaded, or the transfer landed */
    uint32_t error;
};

#define OK      ((struct outcome){ 0, 0 })
#define GP(e)   ((struct outcome){ 13, (e) })
#define NP(e)   ((struct outcome){ 11, (e) })
#define SSF(e)  ((struct outcome){ 12, (e) })

/* What the SDM says `op` with selector sel does at CPL 3. */
static struct outcome sdm(enum seg_op op, uint32_t sel)
{
    uint32_t rpl = sel & 3, e = sel & 0xFFFC;
    int null = (sel & ~3u) == 0;
    int in_gdt = !(sel & 4) && (sel >> 3) < GDT_MODEL_ENTRIES;   /* LDTR is null: no LDT entry exists */
    uint32_t kind = in_gdt ? gdt_model[sel >> 3].kind : D_NULL;
    uint32_t dpl = in_gdt ? gdt_model[sel >> 3].dpl : 0;
    uint32_t present = in_gdt ? gdt_model[sel >> 3].present : 0;
    switch (op) {
    case OP_DS: case OP_ES: case OP_FS: case OP_GS:
        if (null)
            return OK;
        if (!in_gdt || kind == D_TSS || rpl > dpl || CPL > dpl)
            return GP(e);
        return present ? OK : NP(e);
    case OP_SS:
        if (null)
            return GP(0);
        if (!in_gdt || rpl != CPL || kind != D_DATA || dpl != CPL)
            return GP(e);
        return present ? OK : SSF(e);
    case OP_CALL: case OP_JMP:
        if (null)
            return GP(0);
        if (!in_gdt || kind != D_CODE || rpl > CPL || dpl != CPL)   /* data, or a TSS of DPL 0 */
            return GP(e);
        return present ? OK : NP(e);
    case OP_RET:
        if (null)
            return GP(0);
        if (!in_gdt || kind != D_CODE || rpl < CPL || dpl != rpl)
            return GP(e);
        return present ? OK : NP(e);
    default:
        return GP(0xFFFF);
    }
}

/* Selectors tried: GDT indices 0..9 with TI 0 and 1 and every RPL, and far past the limit. */
static const uint16_t far_selectors[] = { 0x7FF8, 0x7FFF, 0xFFF8, 0xFFFB, 0xFFFC, 0xFFFF };
#define NEAR_SELECTORS 0x50u
#define SELECTORS (NEAR_SELECTORS + sizeof far_selectors / sizeof far_selectors[0])

static uint32_t selector(uint32_t i)
{
    return i < NEAR_SELECTORS ? i : far_selectors[i - NEAR_SELECTORS];
}

struct seen {
    uint32_t faults, vector, error;
    uint32_t loaded;                  /* the register read back after a load */
    uint32_t cs;                      /* CS a far transfer's target ran with, 0 if it never ran */
};
static struct seen seen[OPS][SELECTORS];
static enum seg_op sweep_op;

/* Named for the asm: the far pointer, and what a far target saw. */
struct __attribute__((packed)) { uint32_t offset; uint16_t selector; } sel_far_ptr;
volatile uint32_t sel_far_cs;

void sel_far_call_target(void);
void sel_far_jmp_target(void);
asm(".text\n"
    ".globl sel_far_call_target\n"
    "sel_far_call_target:\n\t"
    "movw %cs, sel_far_cs\n\t"
    "lret\n"
    ".globl sel_far_jmp_target\n"
    "sel_far_jmp_target:\n\t"
    "movw %cs, sel_far_cs\n\t"
    "jmp *site_next\n");

/* Load sel into SEG at label 1 (the handler resumes at 2), read it back, put 0x23 back. */
#define SEG_LOAD(SEG, sel, out)                                                   \
    do {                                                                          \
        uint32_t tmp_;                                                            \
        asm volatile("movl $1f, site_at\n\t"                                      \
                     "movl $2f, site_next\n"                                      \
                     "1:\tmovw %w[s], %%" SEG "\n"                                \
                     "2:\tmovl %%" SEG ", %[o]\n\t"                               \
                     "movl $0x23, %[t]\n\t"                                       \
                     "movw %w[t], %%" SEG                                         \
                     : [o] "=&r"(out), [t] "=&r"(tmp_)                            \
                     : [s] "r"(sel)                                               \
                     : "memory");                                                 \
    } while (0)

static uint32_t try_op(enum seg_op op, uint32_t sel)
{
    uint32_t out = 0;
    sel_far_ptr.selector = (uint16_t)sel;
    sel_far_ptr.offset = op == OP_JMP ? (uint32_t)sel_far_jmp_target : (uint32_t)sel_far_call_target;
    switch (op) {
    case OP_DS: SEG_LOAD("ds", sel, out); break;
    case OP_ES: SEG_LOAD("es", sel, out); break;
    case OP_FS: SEG_LOAD("fs", sel, out); break;
    case OP_GS: SEG_LOAD("gs", sel, out); break;
    case OP_SS: SEG_LOAD("ss", sel, out); break;
    case OP_CALL:
        asm volatile("movl $1f, site_at\n\tmovl $2f, site_next\n1:\tlcall *sel_far_ptr\n2:" ::: "memory");
        break;
    case OP_JMP:
        asm volatile("movl $1f, site_at\n\tmovl $2f, site_next\n1:\tljmp *sel_far_ptr\n2:" ::: "memory");
        break;
    case OP_RET:                      /* to sel:2 -- the handler's resume lands there too */
        asm volatile("movl %%esp, %%esi\n\t"
                     "pushl %[s]\n\t"
                     "pushl $2f\n\t"
                     "movl $1f, site_at\n\t"
                     "movl $2f, site_next\n"
                     "1:\tlret\n"
                     "2:\tmovl %%esi, %%esp"
                     :
                     : [s] "r"(sel)
                     : "esi", "memory");
        break;
    default:
        break;
    }
    return out & 0xFFFF;
}

static void sweep_victim(void)
{
    for (uint32_t i = 0; i < SELECTORS; i++) {
        struct seen *s = &seen[sweep_op][i];
        uint32_t before = fault_log.count;
        sel_far_cs = 0;
        s->loaded = try_op(sweep_op, selector(i));
        s->cs = sel_far_cs;
        s->faults = fault_log.count - before;
        s->vector = s->faults ? fault_log.rec.vector : 0;
        s->error = s->faults ? fault_log.rec.error_code : 0;
    }
}

/* Mismatches between what op did with every selector and what the SDM says. */
static uint32_t sweep(enum seg_op op)
{
    uint32_t wrong = 0;
    memset(seen[op], 0xEE, sizeof seen[op]);
    sweep_op = op;
    answer = REPLY_SKIP;
    if (!run_victim(sweep_victim, 500)) {
        printf("  %s: the victim died or hung\n", op_name[op]);
        return SELECTORS;
    }
    for (uint32_t i = 0; i < SELECTORS; i++) {
        uint32_t sel = selector(i);
        struct outcome want = sdm(op, sel);
        const struct seen *s = &seen[op][i];
        int ok = want.vector ? s->faults == 1 && s->vector == want.vector && s->error == want.error
                                   && s->cs == 0
                             : s->faults == 0;
        if (!want.vector && op <= OP_SS)
            ok &= s->loaded == sel;                   /* the register holds what was loaded */
        if (!want.vector && (op == OP_CALL || op == OP_JMP))
            ok &= s->cs == USER_CODE;      /* landed, at CPL 3 */
        if (!ok && wrong++ < 6)
            printf("  %s 0x%04x: %u faults, vector %u error 0x%x, read back 0x%x, target cs 0x%x;"
                   " the SDM says vector %u error 0x%x\n", op_name[op], sel, s->faults, s->vector,
                   s->error, s->loaded, s->cs, want.vector, want.error);
    }
    return wrong;
}

TEST(selector_loads, "every GDT, LDT, null and out-of-limit selector into DS..SS: loads, or the SDM's #GP/#NP/#SS")
{
    struct kernel_info before = kinfo();
    for (enum seg_op op = OP_DS; op <= OP_SS; op++)
        CHECK_EQ(sweep(op), 0);
    CHECK_NO_LEAK(before);
}

TEST(far_transfers, "far call, jmp, ret through every such selector: the SDM's #GP/#NP or CPL 3, never CPL 0")
{
    struct kernel_info before = kinfo();
    for (enum seg_op op = OP_CALL; op <= OP_RET; op++)
        CHECK_EQ(sweep(op), 0);
    for (enum seg_op op = OP_CALL; op <= OP_JMP; op++)
        for (uint32_t i = 0; i < SELECTORS; i++)
            CHECK(seen[op][i].cs == 0 || (seen[op][i].cs & 3) == CPL);
    CHECK_NO_LEAK(before);
}
