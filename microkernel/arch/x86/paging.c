/*
 * The kernel's final page tables.  boot.asm turned paging on with 4 MiB pages
 * (an identity map of the first 4 MiB and the direct map); paging_init
 * replaces them with 4 KiB pages: kernel text and rodata read-only, the guard
 * page under each kernel stack unmapped, everything else in the direct map
 * read-write and global.  The identity map is gone afterwards, so a null
 * pointer faults.
 */
#include "paging.h"
#include "cpu.h"
#include "boot.h"
#include "panic.h"
#include "kstring.h"

pte_t *kernel_pd;

extern const char __text_start[], __ro_end[];
extern const char kstack_guard[], df_stack_guard[];

static pte_t page_flags(uint32_t va)
{
    if (va >= (uint32_t)__text_start && va < (uint32_t)__ro_end)
        return PTE_PRESENT | PTE_GLOBAL;
    if (va == (uint32_t)kstack_guard || va == (uint32_t)df_stack_guard)
        return 0;
    return PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL;
}

static void *zeroed_frame(void)
{
    uint32_t pa;
    if (frame_alloc(&kernel_frames, &pa) != ERR_NONE)
        panic("out of memory for the kernel page tables");
    void *va = phys_to_virt(pa);
    memset(va, 0, PAGE_SIZE);
    return va;
}

void paging_init(void)
{
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (d & CPUID_EDX_PGE)
        write_cr4(read_cr4() | CR4_PGE);

    pte_t *pd = zeroed_frame();
    for (uint32_t pa = 0; pa < boot_info.direct_top; pa += PAGE_SIZE) {
        uint32_t va = pa + KERNBASE;
        pte_t *pde = &pd[pd_index(va)];
        if (!(*pde & PTE_PRESENT))
            *pde = pte_make(virt_to_phys(zeroed_frame()), PTE_PRESENT | PTE_WRITABLE);
        pte_t *pt = phys_to_virt(pte_addr(*pde));
        pte_t flags = page_flags(va);
        pt[pt_index(va)] = flags ? pte_make(pa, flags) : 0;
    }
    write_cr3(virt_to_phys(pd));
    kernel_pd = pd;
}

pte_t *paging_kernel_pte(uint32_t va)
{
    if (!kernel_pd)
        return 0;
    pte_t pde = kernel_pd[pd_index(va)];
    if (!(pde & PTE_PRESENT))
        return 0;
    pte_t *pt = phys_to_virt(pte_addr(pde));
    return &pt[pt_index(va)];
}

int paging_kernel_readable(uint32_t va, uint32_t len)
{
    if (va < KERNBASE || va + len < va || va + len > KERNBASE + boot_info.direct_top)
        return 0;
    if (!kernel_pd)                   /* still on the boot map: all of it is there */
        return 1;
    for (uint32_t p = page_base(va); p < va + len; p += PAGE_SIZE) {
        pte_t *pte = paging_kernel_pte(p);
        if (!pte || !(*pte & PTE_PRESENT))
            return 0;
    }
    return 1;
}
