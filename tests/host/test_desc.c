/*
 * Descriptor encoders (microkernel/arch/x86/desc.c) against encodings worked
 * out by hand from the Intel SDM vol. 3A layouts:
 *
 *   segment / TSS descriptor (3.4.5)          gate (6.11)
 *   63..56  base 31..24                       63..48  offset 31..16
 *   55..52  flags: G D/B L AVL                47..40  P DPL 0 type
 *   51..48  limit 19..16                      39..32  zero
 *   47..40  access: P DPL S type              31..16  selector
 *   39..16  base 23..0                        15..0   offset 15..0
 *   15..0   limit 15..0
 */
#include <criterion/criterion.h>
#include <stddef.h>

#include "arch/x86/desc.h"

/* ------------------------------------------------------------ flat segments */

/*
 * base 0, limit 0xFFFFF, G=1 D=1 (flags 0xC), access P=1 DPL S=1 type:
 *   ring-0 code: 1 00 1 1010 = 0x9A     ring-3 code: 1 11 1 1010 = 0xFA
 *   ring-0 data: 1 00 1 0010 = 0x92     ring-3 data: 1 11 1 0010 = 0xF2
 */
Test(desc, flat_ring0_code_is_the_known_good_value)
{
    cr_assert_eq(flat_code_desc(0), 0x00CF9A000000FFFFull);
}

Test(desc, flat_ring0_data_is_the_known_good_value)
{
    cr_assert_eq(flat_data_desc(0), 0x00CF92000000FFFFull);
}

Test(desc, flat_ring3_code_is_the_known_good_value)
{
    cr_assert_eq(flat_code_desc(3), 0x00CFFA000000FFFFull);
}

Test(desc, flat_ring3_data_is_the_known_good_value)
{
    cr_assert_eq(flat_data_desc(3), 0x00CFF2000000FFFFull);
}

Test(desc, flat_segments_cover_all_of_4gib_from_zero)
{
    for (unsigned dpl = 0; dpl < 4; dpl++) {
        cr_assert_eq(desc_base(flat_code_desc(dpl)), 0u);
        cr_assert_eq(desc_limit(flat_code_desc(dpl)), 0xFFFFFFFFu);
        cr_assert_eq(desc_base(flat_data_desc(dpl)), 0u);
        cr_assert_eq(desc_limit(flat_data_desc(dpl)), 0xFFFFFFFFu);
    }
}

/* --------------------------------------------------------------- seg_desc */

/*
 * base 0x12345678, limit 0xABCDE, access 0x92, flags 0x4 (D only):
 *   base 31..24 0x12 | flags 0x4, limit 19..16 0xA -> 0x4A | access 0x92 |
 *   base 23..0 0x345678 | limit 15..0 0xBCDE      = 0x124A92345678BCDE
 */
Test(desc, seg_desc_places_every_field)
{
    cr_assert_eq(seg_desc(0x12345678, 0xABCDE, 0x92, 0x4), 0x124A92345678BCDEull);
}

/* Limit bits past 19 and flag bits past 3 do not exist and must not leak. */
Test(desc, seg_desc_masks_oversized_limit_and_flags)
{
    /* limit 0xFFFFFFFF keeps only 0xFFFFF: flags nibble stays 0 */
    cr_assert_eq(seg_desc(0, 0xFFFFFFFFu, 0x92, 0), 0x000F92000000FFFFull);
    /* flags 0xFF keeps only 0xF: the limit nibble stays 0 */
    cr_assert_eq(seg_desc(0, 0, 0, 0xFF), 0x00F0000000000000ull);
}

Test(desc, byte_granular_limit_decodes_unscaled)
{
    cr_assert_eq(desc_base(0x124A92345678BCDEull), 0x12345678u);
    cr_assert_eq(desc_limit(0x124A92345678BCDEull), 0xABCDEu);
}

Test(desc, page_granular_limit_decodes_to_last_byte)
{
    /* limit 0x00001 with G=1: pages 0 and 1, last byte 0x1FFF */
    cr_assert_eq(desc_limit(0x00C0920000000001ull), 0x1FFFu);
}

Test(desc, seg_desc_round_trips_base_and_limit)
{
    static const uint32_t bases[] = { 0, 1, 0xFFFF, 0x10000, 0x00FFFFFF, 0x01000000,
                                      0xC0000000, 0xC0109000, 0xDEADBEEF, 0xFFFFFFFF };
    static const uint32_t limits[] = { 0, 1, 0xFFFF, 0x10000, 0x67, 0xFFFFF, 0x80000 };
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
            uint64_t d = seg_desc(bases[b], limits[l], 0x92, 0x4);
            cr_assert_eq(desc_base(d), bases[b], "base %#x limit %#x", bases[b], limits[l]);
            cr_assert_eq(desc_limit(d), limits[l], "base %#x limit %#x", bases[b], limits[l]);
            cr_assert_eq((d >> 40) & 0xFF, 0x92u);
            cr_assert_eq((d >> 52) & 0xF, 0x4u);
        }
}

/* ---------------------------------------------------------------- the TSS */

/*
 * base 0xC0109000, size 104: limit 0x67, base 23..0 0x109000, access
 * P=1 DPL0 S=0 type 9 = 0x89, flags 0, limit 19..16 0, base 31..24 0xC0:
 *   0xC0 | 0x00 | 0x89 | 0x109000 | 0x0067 = 0xC000891090000067
 */
Test(desc, tss_descriptor_is_hand_encoded_value)
{
    cr_assert_eq(tss_desc(0xC0109000u, 104), 0xC000891090000067ull);
}

Test(desc, tss_descriptor_covers_exactly_the_tss)
{
    uint64_t d = tss_desc(0xC0109000u, sizeof(struct tss));
    cr_assert_eq(desc_base(d), 0xC0109000u);
    cr_assert_eq(desc_limit(d), TSS_MIN_SIZE - 1);
}

/* Field offsets of the 32-bit TSS, Intel SDM vol. 3A figure 8-2. */
Test(desc, tss_layout_matches_the_sdm)
{
    cr_assert_eq(offsetof(struct tss, link), 0);
    cr_assert_eq(offsetof(struct tss, esp0), 4);
    cr_assert_eq(offsetof(struct tss, ss0), 8);
    cr_assert_eq(offsetof(struct tss, esp1), 12);
    cr_assert_eq(offsetof(struct tss, ss1), 16);
    cr_assert_eq(offsetof(struct tss, esp2), 20);
    cr_assert_eq(offsetof(struct tss, ss2), 24);
    cr_assert_eq(offsetof(struct tss, cr3), 28);
    cr_assert_eq(offsetof(struct tss, eip), 32);
    cr_assert_eq(offsetof(struct tss, eflags), 36);
    cr_assert_eq(offsetof(struct tss, eax), 40);
    cr_assert_eq(offsetof(struct tss, ecx), 44);
    cr_assert_eq(offsetof(struct tss, edx), 48);
    cr_assert_eq(offsetof(struct tss, ebx), 52);
    cr_assert_eq(offsetof(struct tss, esp), 56);
    cr_assert_eq(offsetof(struct tss, ebp), 60);
    cr_assert_eq(offsetof(struct tss, esi), 64);
    cr_assert_eq(offsetof(struct tss, edi), 68);
    cr_assert_eq(offsetof(struct tss, es), 72);
    cr_assert_eq(offsetof(struct tss, cs), 76);
    cr_assert_eq(offsetof(struct tss, ss), 80);
    cr_assert_eq(offsetof(struct tss, ds), 84);
    cr_assert_eq(offsetof(struct tss, fs), 88);
    cr_assert_eq(offsetof(struct tss, gs), 92);
    cr_assert_eq(offsetof(struct tss, ldt), 96);
    cr_assert_eq(offsetof(struct tss, trap), 100);
    cr_assert_eq(offsetof(struct tss, iomap_base), 102);
    cr_assert_eq(sizeof(struct tss), 104);
}

/* ------------------------------------------------------------------ gates */

/*
 * 32-bit interrupt gate, DPL 0, offset 0xC0101234, selector 0x08:
 *   offset 31..16 0xC010 | P=1 DPL0 0 type 0xE = 0x8E | 0x00 |
 *   selector 0x0008 | offset 15..0 0x1234        = 0xC0108E0000081234
 */
Test(desc, interrupt_gate_is_hand_encoded_value)
{
    cr_assert_eq(gate_desc(0xC0101234u, 0x08, GATE_INTR_32, 0), 0xC0108E0000081234ull);
}

/*
 * 32-bit trap gate, DPL 3 (reachable by `int` from ring 3), offset
 * 0xC0105678, selector 0x08: access P=1 DPL3 0 type 0xF = 1 11 0 1111 = 0xEF
 *   0xC010 | 0xEF | 0x00 | 0x0008 | 0x5678    = 0xC010EF0000085678
 */
Test(desc, dpl3_trap_gate_is_hand_encoded_value)
{
    cr_assert_eq(gate_desc(0xC0105678u, 0x08, GATE_TRAP_32, 3), 0xC010EF0000085678ull);
}

/*
 * Task gate for TSS selector 0x30, DPL 0: offset unused (0), access
 * P=1 DPL0 0 type 5 = 0x85:   0x0000 | 0x85 | 0x00 | 0x0030 | 0x0000
 */
Test(desc, task_gate_is_hand_encoded_value)
{
    cr_assert_eq(task_gate_desc(0x30, 0), 0x0000850000300000ull);
}

Test(desc, gate_decoders_read_back_offset_and_selector)
{
    /* from the hand-encoded interrupt gate above */
    cr_assert_eq(gate_offset(0xC0108E0000081234ull), 0xC0101234u);
    cr_assert_eq(gate_selector(0xC0108E0000081234ull), 0x08);
    cr_assert_eq(gate_selector(0x0000850000300000ull), 0x30);
}

Test(desc, gate_round_trips_offset_and_selector)
{
    static const uint32_t offsets[] = { 0, 1, 0xFFFF, 0x10000, 0xC0101234, 0xFFFFFFFF };
    static const uint16_t selectors[] = { 0, 0x08, 0x1B, 0x30, 0xFFFF };
    for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++)
        for (size_t s = 0; s < sizeof selectors / sizeof selectors[0]; s++) {
            uint64_t g = gate_desc(offsets[o], selectors[s], GATE_INTR_32, 0);
            cr_assert_eq(gate_offset(g), offsets[o]);
            cr_assert_eq(gate_selector(g), selectors[s]);
            cr_assert_eq((g >> 32) & 0xFF, 0u, "bits 32..39 of a gate are zero");
        }
}

Test(desc, gate_dpl_lands_in_bits_45_and_46)
{
    for (unsigned dpl = 0; dpl < 4; dpl++) {
        uint64_t g = gate_desc(0, 0x08, GATE_INTR_32, dpl);
        cr_assert_eq((g >> 45) & 3, dpl);
        cr_assert_eq((g >> 47) & 1, 1u, "present");
        cr_assert_eq((g >> 40) & 0xF, 0xEu, "type");
    }
}
