/*
 * i386 page-table index math (microkernel/arch/x86/paging.h): a virtual
 * address is PD index (bits 31..22), PT index (21..12), offset (11..0).
 */
#include <criterion/criterion.h>

#include "arch/x86/paging.h"

Test(paging, kernbase_is_directory_slot_768)
{
    /* 0xC0000000 >> 22 = 3 << 8 = 768 */
    cr_assert_eq(pd_index(KERNBASE), 768);
    cr_assert_eq(pt_index(KERNBASE), 0);
    cr_assert_eq(page_offset(KERNBASE), 0);
}

Test(paging, kernel_image_start)
{
    /* 0xC0100000: PD 768, PT 0x100 = 256 (1 MiB / 4 KiB) */
    cr_assert_eq(pd_index(KERNBASE + KERNEL_PHYS), 768);
    cr_assert_eq(pt_index(KERNBASE + KERNEL_PHYS), 256);
}

Test(paging, top_of_the_address_space)
{
    cr_assert_eq(pd_index(0xFFFFFFFFu), 1023);
    cr_assert_eq(pt_index(0xFFFFFFFFu), 1023);
    cr_assert_eq(page_offset(0xFFFFFFFFu), 0xFFF);
    cr_assert_eq(page_base(0xFFFFFFFFu), 0xFFFFF000u);
}

Test(paging, an_arbitrary_address)
{
    /* 0xC0101234 = 1100000000 0100000001 001000110100
     *            = PD 0x300, PT 0x101, offset 0x234 */
    cr_assert_eq(pd_index(0xC0101234u), 0x300);
    cr_assert_eq(pt_index(0xC0101234u), 0x101);
    cr_assert_eq(page_offset(0xC0101234u), 0x234);
    cr_assert_eq(page_base(0xC0101234u), 0xC0101000u);
    cr_assert_eq(va_from_indices(0x300, 0x101, 0x234), 0xC0101234u);
}

Test(paging, direct_map_end)
{
    /* 0xF0000000 >> 22 = 0x3C0 = 960 */
    cr_assert_eq(pd_index(DIRECT_END), 960);
    cr_assert_eq(pt_index(DIRECT_END), 0);
}

Test(paging, page_round_up)
{
    cr_assert_eq(page_round_up(0), 0);
    cr_assert_eq(page_round_up(1), 0x1000);
    cr_assert_eq(page_round_up(0xFFF), 0x1000);
    cr_assert_eq(page_round_up(0x1000), 0x1000);
    cr_assert_eq(page_round_up(0x1001), 0x2000);
    cr_assert_eq(page_round_up(0xC0100FFFu), 0xC0101000u);
    cr_assert_eq(page_round_up(0xFFFFF000u), 0xFFFFF000u);
}

Test(paging, pte_make_and_pte_addr)
{
    cr_assert_eq(pte_make(0x12345000u, PTE_PRESENT | PTE_WRITABLE), 0x12345003u);
    cr_assert_eq(pte_make(0x12345678u, PTE_PRESENT), 0x12345001u,
                 "offset bits of the address must not leak into the flags");
    cr_assert_eq(pte_make(0x00400000u, PTE_PRESENT | PTE_WRITABLE | PTE_LARGE), 0x00400083u);
    cr_assert_eq(pte_make(0xFFFFF000u, PTE_PRESENT | PTE_USER | PTE_GLOBAL), 0xFFFFF105u);
    cr_assert_eq(pte_addr(0x12345FFFu), 0x12345000u);
    cr_assert_eq(pte_addr(0x00000FFFu), 0);
}

/* Every 4 KiB frame address and every flag combination survives pte_make/pte_addr. */
Test(paging, pte_round_trips_every_frame)
{
    for (uint64_t pa = 0; pa < 0x100000000ull; pa += 0x1000 * 97 + 0x1000)
        for (uint32_t flags = 0; flags < 0x1000; flags += 0x111) {
            pte_t e = pte_make((uint32_t)pa, flags);
            cr_assert_eq(pte_addr(e), (uint32_t)pa);
            cr_assert_eq(e & 0xFFF, flags);
        }
}

Test(paging, sweep_round_trips_and_matches_division)
{
    uint64_t checked = 0;
    /* a prime step, so that offsets and indices vary from one address to the next */
    for (uint64_t a = 0; a <= 0xFFFFFFFFull; a += 131071) {
        uint32_t va = (uint32_t)a;
        uint32_t pd = pd_index(va), pt = pt_index(va), off = page_offset(va);
        cr_assert_lt(pd, 1024);
        cr_assert_lt(pt, 1024);
        cr_assert_lt(off, 4096);
        /* the same split by plain arithmetic: 4 MiB per PDE, 4 KiB per PTE */
        cr_assert_eq(pd, va / 0x400000u, "va %#x", va);
        cr_assert_eq(pt, va % 0x400000u / 0x1000u, "va %#x", va);
        cr_assert_eq(off, va % 0x1000u, "va %#x", va);
        cr_assert_eq(va_from_indices(pd, pt, off), va, "va %#x", va);
        cr_assert_eq(page_base(va) + off, va, "va %#x", va);
        checked++;
    }
    cr_assert_gt(checked, 32000);
}

Test(paging, indices_round_trip_from_the_other_side)
{
    for (uint32_t pd = 0; pd < 1024; pd += 31)
        for (uint32_t pt = 0; pt < 1024; pt += 37)
            for (uint32_t off = 0; off < 4096; off += 1023) {
                uint32_t va = va_from_indices(pd, pt, off);
                cr_assert_eq(pd_index(va), pd);
                cr_assert_eq(pt_index(va), pt);
                cr_assert_eq(page_offset(va), off);
            }
    cr_assert_eq(va_from_indices(1023, 1023, 0xFFF), 0xFFFFFFFFu);
}
