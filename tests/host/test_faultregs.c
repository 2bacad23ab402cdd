/* The FAULT_RESUME sanitiser (microkernel/faultregs.c): every EFLAGS bit, every selector class. */
#include <criterion/criterion.h>
#include "faultregs.h"
#include "arch/x86/segments.h"

static struct fault_regs sane(void)
{
    return (struct fault_regs){ 1, 2, 3, 4, 5, 6, 7, 0x8000, 0x401000, 0x202, 0x23, 0x23, 0, 0 };
}

Test(faultregs, registers_copied_bit_for_bit)
{
    struct fault_regs r = { 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555,
                            0x66666666, 0x77777777, 0x88888888, 0x99999999, 0x202, 0x23, 0x23, 0x23, 0x23 };
    struct trap_frame tf = { 0 };
    cr_assert(fault_regs_apply(&r, &tf));
    cr_assert_eq(tf.eax, 0x11111111);
    cr_assert_eq(tf.ebx, 0x22222222);
    cr_assert_eq(tf.ecx, 0x33333333);
    cr_assert_eq(tf.edx, 0x44444444);
    cr_assert_eq(tf.esi, 0x55555555);
    cr_assert_eq(tf.edi, 0x66666666);
    cr_assert_eq(tf.ebp, 0x77777777);
    cr_assert_eq(tf.user_esp, 0x88888888);
    cr_assert_eq(tf.eip, 0x99999999);
    cr_assert_eq(tf.cs, SEL_USER_CODE);
    cr_assert_eq(tf.user_ss, SEL_USER_DATA);
}

/* Bits a handler may set (SDM vol. 1, 3.4.3): CF PF AF ZF SF TF DF OF AC. */
Test(faultregs, every_eflags_bit)
{
    static const uint32_t allowed = (1u << 0) | (1u << 2) | (1u << 4) | (1u << 6) | (1u << 7) |
                                    (1u << 8) | (1u << 10) | (1u << 11) | (1u << 18);
    for (unsigned bit = 0; bit < 32; bit++) {
        struct fault_regs r = sane();
        r.eflags = 1u << bit;
        struct trap_frame tf = { 0 };
        cr_assert(fault_regs_apply(&r, &tf));
        uint32_t want = (allowed & (1u << bit)) | 0x200 | 0x2;   /* IF and bit 1 always */
        cr_assert_eq(tf.eflags, want, "EFLAGS bit %u: got %#x, want %#x", bit, tf.eflags, want);
    }
}

Test(faultregs, forbidden_flags_cleared_together)
{
    struct fault_regs r = sane();
    r.eflags = 0xFFFFFFFF;                 /* IOPL 3, NT, RF, VM, VIF, VIP, ID and all */
    struct trap_frame tf = { 0 };
    cr_assert(fault_regs_apply(&r, &tf));
    cr_assert_eq(tf.eflags & 0x3000, 0, "IOPL");
    cr_assert_eq(tf.eflags & 0x4000, 0, "NT");
    cr_assert_eq(tf.eflags & 0x10000, 0, "RF");
    cr_assert_eq(tf.eflags & 0x20000, 0, "VM");
    cr_assert_eq(tf.eflags & 0x380000, 0, "VIF VIP ID");
    cr_assert(tf.eflags & 0x200, "IF");
}

Test(faultregs, every_selector_class)
{
    for (uint32_t sel = 0; sel < 0x10000; sel++) {
        int ok = sel == SEL_USER_DATA || sel <= 3;   /* user data, or null with any RPL */
        cr_assert_eq(fault_user_data_selector(sel), ok, "selector %#x", sel);
    }
    cr_assert(fault_user_data_selector(0xFFFF0023), "only the low 16 bits count");
}

Test(faultregs, bad_selector_changes_nothing)
{
    static const uint32_t bad[] = { SEL_KERNEL_CODE, SEL_KERNEL_DATA, SEL_USER_CODE, SEL_TSS,
                                    SEL_DF_TSS, SEL_ABSENT, 0x20, 0x4B, 0xFFF8 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        for (unsigned reg = 0; reg < 4; reg++) {
            struct fault_regs r = sane();
            (&r.ds)[reg] = bad[i];
            struct trap_frame tf = { .eax = 0xDEAD, .eip = 0xBEEF };
            cr_assert_not(fault_regs_apply(&r, &tf), "selector %#x in register %u", bad[i], reg);
            cr_assert_eq(tf.eax, 0xDEAD);
            cr_assert_eq(tf.eip, 0xBEEF);
        }
}
