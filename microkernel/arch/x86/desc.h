/*
 * Encoders for x86 descriptors: GDT segment and TSS descriptors, IDT
 * interrupt, trap and task gates, and the 32-bit TSS itself.  Pure functions
 * (tests/host/test_desc.c checks them against known-good encodings).
 */
#ifndef RELAY_DESC_H
#define RELAY_DESC_H

#include <stdint.h>

/* Access byte of a segment descriptor (bits 40..47). */
#define SEG_PRESENT     0x80u
#define SEG_DPL(d)      (((d) & 3u) << 5)
#define SEG_CODE_DATA   0x10u   /* S=1: code or data (S=0: system) */
#define SEG_CODE        0x08u
#define SEG_READABLE    0x02u   /* code: readable */
#define SEG_WRITABLE    0x02u   /* data: writable */
#define SEG_TSS_32      0x09u   /* system type: available 32-bit TSS */

/* Flags nibble (bits 52..55). */
#define SEG_GRAN_4K     0x8u
#define SEG_32BIT       0x4u

/* IDT gate types (bits 40..43 of a gate). */
#define GATE_TASK       0x5u
#define GATE_INTR_32    0xEu    /* clears IF on entry */
#define GATE_TRAP_32    0xFu    /* leaves IF alone */

uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);
uint64_t flat_code_desc(unsigned dpl);   /* base 0, limit 4 GiB, execute/read */
uint64_t flat_data_desc(unsigned dpl);   /* base 0, limit 4 GiB, read/write */
uint64_t tss_desc(uint32_t base, uint32_t size);
uint64_t gate_desc(uint32_t offset, uint16_t selector, uint8_t type, unsigned dpl);
uint64_t task_gate_desc(uint16_t tss_selector, unsigned dpl);

/* Decoding, for the panic dump and the tests. */
uint32_t desc_base(uint64_t d);
uint32_t desc_limit(uint64_t d);       /* in bytes - 1, granularity applied */
uint32_t gate_offset(uint64_t g);
uint16_t gate_selector(uint64_t g);

/* The 32-bit TSS (Intel SDM vol. 3A, figure 8-2). */
struct tss {
    uint16_t link, link_hi;
    uint32_t esp0; uint16_t ss0, ss0_hi;
    uint32_t esp1; uint16_t ss1, ss1_hi;
    uint32_t esp2; uint16_t ss2, ss2_hi;
    uint32_t cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, es_hi, cs, cs_hi, ss, ss_hi, ds, ds_hi, fs, fs_hi, gs, gs_hi;
    uint16_t ldt, ldt_hi;
    uint16_t trap, iomap_base;
};
_Static_assert(sizeof(struct tss) == 104, "the 32-bit TSS is 104 bytes");

/* A TSS descriptor's limit must cover at least the 104 bytes. */
#define TSS_MIN_SIZE 104u

#endif
