/* Descriptor encoders: see desc.h.  Layouts from Intel SDM vol. 3A, 3.4.5 and 6.11. */
#include "desc.h"

uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    uint64_t d = 0;
    d |= (uint64_t)(limit & 0xFFFFu);
    d |= (uint64_t)(base & 0xFFFFFFu) << 16;
    d |= (uint64_t)access << 40;
    d |= (uint64_t)((limit >> 16) & 0xFu) << 48;
    d |= (uint64_t)(flags & 0xFu) << 52;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

uint64_t flat_code_desc(unsigned dpl)
{
    return seg_desc(0, 0xFFFFF, SEG_PRESENT | SEG_DPL(dpl) | SEG_CODE_DATA | SEG_CODE | SEG_READABLE,
                    SEG_GRAN_4K | SEG_32BIT);
}

uint64_t flat_data_desc(unsigned dpl)
{
    return seg_desc(0, 0xFFFFF, SEG_PRESENT | SEG_DPL(dpl) | SEG_CODE_DATA | SEG_WRITABLE,
                    SEG_GRAN_4K | SEG_32BIT);
}

uint64_t tss_desc(uint32_t base, uint32_t size)
{
    return seg_desc(base, size - 1, SEG_PRESENT | SEG_TSS_32, 0);
}

uint64_t gate_desc(uint32_t offset, uint16_t selector, uint8_t type, unsigned dpl)
{
    uint64_t g = 0;
    g |= (uint64_t)(offset & 0xFFFFu);
    g |= (uint64_t)selector << 16;
    g |= (uint64_t)(SEG_PRESENT | SEG_DPL(dpl) | (type & 0xFu)) << 40;
    g |= (uint64_t)(offset >> 16) << 48;
    return g;
}

uint64_t task_gate_desc(uint16_t tss_selector, unsigned dpl)
{
    return gate_desc(0, tss_selector, GATE_TASK, dpl);
}

uint32_t desc_base(uint64_t d)
{
    return (uint32_t)((d >> 16) & 0xFFFFFFu) | (uint32_t)((d >> 56) & 0xFFu) << 24;
}

uint32_t desc_limit(uint64_t d)
{
    uint32_t limit = (uint32_t)(d & 0xFFFFu) | (uint32_t)((d >> 48) & 0xFu) << 16;
    if ((d >> 52) & SEG_GRAN_4K)
        limit = (limit << 12) | 0xFFFu;
    return limit;
}

uint32_t gate_offset(uint64_t g)
{
    return (uint32_t)(g & 0xFFFFu) | (uint32_t)((g >> 48) & 0xFFFFu) << 16;
}

uint16_t gate_selector(uint64_t g)
{
    return (uint16_t)(g >> 16);
}
