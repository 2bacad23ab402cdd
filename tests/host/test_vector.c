/*
 * The vector table and error-code decoders (microkernel/arch/x86/vector.c),
 * checked against the Intel SDM vol. 3A (table 6-1, 4.7, 6.13, 6.15) and the
 * AMD APM vol. 2 (vectors 29 and 30).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/vector.h"

/* ------------------------------------------------------------ the table */

/* The vectors for which the CPU pushes an error code (SDM table 6-1, AMD APM 8.2). */
static int cpu_pushes_error_code(unsigned v)
{
    static const unsigned with_code[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
    for (size_t i = 0; i < sizeof with_code / sizeof with_code[0]; i++)
        if (with_code[i] == v)
            return 1;
    return 0;
}

Test(vector, exactly_the_sdm_vectors_have_an_error_code)
{
    for (unsigned v = 0; v < VECTOR_COUNT; v++)
        cr_assert_eq(vector_info(v)->error_code != EC_NONE, cpu_pushes_error_code(v),
                     "vector %u", v);
}

Test(vector, error_code_formats)
{
    cr_assert_eq(vector_info(8)->error_code, EC_ZERO);
    cr_assert_eq(vector_info(17)->error_code, EC_ZERO);
    for (unsigned v = 10; v <= 13; v++)
        cr_assert_eq(vector_info(v)->error_code, EC_SELECTOR, "vector %u", v);
    cr_assert_eq(vector_info(14)->error_code, EC_PAGE);
    cr_assert_eq(vector_info(21)->error_code, EC_CONTROL);
}

Test(vector, classes_follow_the_sdm)
{
    static const unsigned traps[] = { 1, 3, 4 };
    static const unsigned aborts[] = { 8, 18 };
    static const unsigned faults[] = { 0, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19 };
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++)
        cr_assert_eq(vector_info(traps[i])->class, TRAP, "vector %u", traps[i]);
    for (size_t i = 0; i < sizeof aborts / sizeof aborts[0]; i++)
        cr_assert_eq(vector_info(aborts[i])->class, ABORT, "vector %u", aborts[i]);
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        cr_assert_eq(vector_info(faults[i])->class, FAULT, "vector %u", faults[i]);
    cr_assert_eq(vector_info(2)->class, INTERRUPT);
    for (unsigned v = 32; v < VECTOR_COUNT; v++)
        cr_assert_eq(vector_info(v)->class, INTERRUPT, "vector %u", v);
}

Test(vector, well_known_names)
{
    cr_assert_str_eq(vector_info(0)->mnemonic, "DE");
    cr_assert_str_eq(vector_info(0)->name, "Divide Error");
    cr_assert_str_eq(vector_info(3)->mnemonic, "BP");
    cr_assert_str_eq(vector_info(6)->mnemonic, "UD");
    cr_assert_str_eq(vector_info(8)->mnemonic, "DF");
    cr_assert_str_eq(vector_info(8)->name, "Double Fault");
    cr_assert_str_eq(vector_info(13)->mnemonic, "GP");
    cr_assert_str_eq(vector_info(13)->name, "General Protection");
    cr_assert_str_eq(vector_info(14)->mnemonic, "PF");
    cr_assert_str_eq(vector_info(14)->name, "Page Fault");
    cr_assert_str_eq(vector_info(18)->mnemonic, "MC");
}

Test(vector, enum_matches_vector_numbers)
{
    cr_assert_eq(VEC_DE, 0);
    cr_assert_eq(VEC_NMI, 2);
    cr_assert_eq(VEC_DF, 8);
    cr_assert_eq(VEC_GP, 13);
    cr_assert_eq(VEC_PF, 14);
    cr_assert_eq(VEC_CP, 21);
    cr_assert_eq(VEC_SX, 30);
}

Test(vector, every_vector_has_a_name)
{
    for (unsigned v = 0; v < VECTOR_COUNT; v++) {
        const struct vector_info *info = vector_info(v);
        cr_assert_not_null(info, "vector %u", v);
        cr_assert_not_null(info->mnemonic, "vector %u", v);
        cr_assert_not_null(info->name, "vector %u", v);
        cr_assert_gt(strlen(info->mnemonic), 0, "vector %u", v);
        cr_assert_gt(strlen(info->name), 0, "vector %u", v);
    }
}

Test(vector, irq_range_is_32_to_47)
{
    cr_assert_str_neq(vector_info(31)->mnemonic, "IRQ");
    for (unsigned v = 32; v <= 47; v++)
        cr_assert_str_eq(vector_info(v)->mnemonic, "IRQ", "vector %u", v);
    for (unsigned v = 48; v < VECTOR_COUNT; v++)
        cr_assert_str_eq(vector_info(v)->mnemonic, "INT", "vector %u", v);
}

Test(vector, vector_number_is_taken_mod_256)
{
    cr_assert_eq(vector_info(256 + 14), vector_info(14));
    cr_assert_eq(vector_info(0xFFFFFFFFu), vector_info(255));
}

Test(vector, class_names)
{
    cr_assert_str_eq(vector_class_name(FAULT), "fault");
    cr_assert_str_eq(vector_class_name(TRAP), "trap");
    cr_assert_str_eq(vector_class_name(ABORT), "abort");
    cr_assert_str_eq(vector_class_name(INTERRUPT), "interrupt");
    cr_assert_str_eq(vector_class_name((enum vector_class)4), "?");
    cr_assert_str_eq(vector_class_name((enum vector_class)-1), "?");
}

/* ---------------------------------------------------- error_code_describe */

/* Decode into a roomy buffer; check the return value is the text's length. */
static const char *describe(unsigned vector, uint32_t code)
{
    static char buf[128];
    size_t n = error_code_describe(vector, code, buf, sizeof buf);
    cr_assert_eq(n, strlen(buf), "vector %u code %#x: returned %zu for \"%s\"",
                 vector, code, n, buf);
    return buf;
}

Test(error_code, page_fault_bits)
{
    cr_assert_str_eq(describe(14, 0x0), "not-present read supervisor");
    cr_assert_str_eq(describe(14, 0x1), "protection-violation read supervisor");
    cr_assert_str_eq(describe(14, 0x2), "not-present write supervisor");
    cr_assert_str_eq(describe(14, 0x4), "not-present read user");
    cr_assert_str_eq(describe(14, 0x7), "protection-violation write user");
    cr_assert_str_eq(describe(14, 0x10), "not-present read supervisor instruction-fetch");
    cr_assert_str_eq(describe(14, 0x1F),
                     "protection-violation write user reserved-bit instruction-fetch");
}

Test(error_code, selector_gdt_ldt_idt)
{
    /* index 0x1FFF, GDT: 0x1FFF << 3 = 0xFFF8 */
    cr_assert_str_eq(describe(13, 0xFFF8), "GDT index 0x1fff");
    /* GDT index 5 = selector 0x28 */
    cr_assert_str_eq(describe(13, 0x28), "GDT index 0x5");
    /* IDT bit: the index names vector 0x80 */
    cr_assert_str_eq(describe(13, 0x80 * 8 + 2), "IDT vector 0x80");
    /* with IDT set, TI is ignored */
    cr_assert_str_eq(describe(13, 0x80 * 8 + 2 + 4), "IDT vector 0x80");
    /* TI: LDT index 1 */
    cr_assert_str_eq(describe(13, 0x0C), "LDT index 0x1");
}

Test(error_code, selector_external_bit)
{
    cr_assert_str_eq(describe(13, 0x80 * 8 + 3), "external IDT vector 0x80");
    cr_assert_str_eq(describe(11, 0x0D), "external LDT index 0x1");
    cr_assert_str_eq(describe(10, 0x29), "external GDT index 0x5");
}

Test(error_code, selector_zero_is_no_selector)
{
    cr_assert_str_eq(describe(13, 0), "no selector");
}

Test(error_code, every_selector_vector_decodes_selectors)
{
    for (unsigned v = 10; v <= 13; v++)
        cr_assert_str_eq(describe(v, 0x0C), "LDT index 0x1", "vector %u", v);
}

Test(error_code, control_protection_causes)
{
    /* SDM vol. 1, 18.6 / vol. 3A 6.15 #CP error code, bits 14..0 */
    cr_assert_str_eq(describe(21, 1), "near-ret");
    cr_assert_str_eq(describe(21, 2), "far-ret/iret");
    cr_assert_str_eq(describe(21, 3), "endbranch");
    cr_assert_str_eq(describe(21, 4), "rstorssp");
    cr_assert_str_eq(describe(21, 5), "setssbsy");
    /* bit 15 (ENCL) does not change the cause */
    cr_assert_str_eq(describe(21, 0x8000 | 3), "endbranch");
    cr_assert_str_eq(describe(21, 0), "unknown cause");
    cr_assert_str_eq(describe(21, 6), "unknown cause");
    cr_assert_str_eq(describe(21, 0x7FFF), "unknown cause");
}

Test(error_code, zero_and_none_formats)
{
    cr_assert_str_eq(describe(8, 0), "zero");
    cr_assert_str_eq(describe(8, 5), "unexpected non-zero");
    cr_assert_str_eq(describe(17, 0), "zero");
    cr_assert_str_eq(describe(0, 0), "none");
    cr_assert_str_eq(describe(32, 0), "none");
    cr_assert_str_eq(describe(0x80, 0x1234), "none");
}

Test(error_code, vector_is_taken_mod_256)
{
    cr_assert_str_eq(describe(256 + 14, 0x2), "not-present write supervisor");
}

/*
 * Like snprintf: every buffer size gets the full length back, a NUL-terminated
 * prefix of the full text, and no byte written past len (each buffer is
 * allocated to exactly len bytes so ASan catches an overrun).
 */
Test(error_code, truncation_keeps_nul_and_returns_full_length)
{
    static const char full[] = "protection-violation write user reserved-bit instruction-fetch";
    const size_t full_len = sizeof full - 1;
    for (size_t len = 1; len <= full_len + 4; len++) {
        char *buf = malloc(len);
        cr_assert_not_null(buf);
        memset(buf, 'X', len);
        size_t n = error_code_describe(14, 0x1F, buf, len);
        cr_assert_eq(n, full_len, "len %zu", len);
        size_t kept = len - 1 < full_len ? len - 1 : full_len;
        cr_assert_eq(buf[kept], '\0', "len %zu", len);
        cr_assert_eq(memcmp(buf, full, kept), 0, "len %zu: \"%s\"", len, buf);
        free(buf);
    }
}

Test(error_code, truncation_of_a_hex_number)
{
    /* "GDT index 0x1fff" is 16 characters; 14 bytes keep 13 of them */
    char buf[14];
    size_t n = error_code_describe(13, 0xFFF8, buf, sizeof buf);
    cr_assert_eq(n, 16);
    cr_assert_str_eq(buf, "GDT index 0x1");
}

Test(error_code, zero_length_buffer_is_not_touched)
{
    char canary = 'X';
    cr_assert_eq(error_code_describe(14, 0x1F, &canary, 0), 62);
    cr_assert_eq(canary, 'X');
    cr_assert_eq(error_code_describe(13, 0, NULL, 0), strlen("no selector"));
}

/* #VC's error code is an exit code and #SX's a cause: plain numbers, no bit fields. */
Test(error_code, raw_formats)
{
    cr_assert_str_eq(describe(29, 0x81), "code 0x81");
    cr_assert_str_eq(describe(30, 1), "code 0x1");
    cr_assert_str_eq(describe(29, 0), "code 0x0");
}
