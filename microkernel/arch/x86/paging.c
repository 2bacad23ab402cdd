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

extern const char __text_start[], __ro_end[], __kernel_end[];
extern const char kstack_guard[], df_stack_guard[];

static void *page_table_frame(void)
{
    uint32_t pa;
    if (frame_alloc(&kernel_frames, &pa) != ERR_NONE)
        panic("out of memory for the kernel page tables");
    return phys_to_virt(pa);
}

/* Give every page of [start, end) the flags; 0 unmaps. */
static void set_flags(pte_t *pd, uint32_t start, uint32_t end, pte_t flags)
{
    for (uint32_t va = page_base(start); va < end; va += PAGE_SIZE) {
        pte_t *pt = phys_to_virt(pte_addr(pd[pd_index(va)]));
        pt[pt_index(va)] = flags ? pte_make(va - KERNBASE, flags) : 0;
    }
}

void paging_init(void)
{
    /* The direct map, read-write: 4 MiB pages, but for 4 KiB pages where
     * the kernel image lies (read-only text, stack guards) and at the
     * top, which may end inside a 4 MiB region. */
    pte_t *pd = page_table_frame();
    memset(pd, 0, PAGE_SIZE);
    uint32_t top = boot_info.direct_top;
    uint32_t image_end = (uint32_t)__kernel_end - KERNBASE;
    for (uint32_t base = 0; base < top; base += LARGE_PAGE) {
        if (base >= image_end && base + LARGE_PAGE <= top) {
            pd[pd_index(base + KERNBASE)] = base | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE | PTE_GLOBAL;
            continue;
        }
        pte_t *pt = page_table_frame();
        for (uint32_t i = 0, pa = base; i < PT_ENTRIES; i++, pa += PAGE_SIZE)
            pt[i] = pa < top ? pa | PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL : 0;
        pd[pd_index(base + KERNBASE)] = virt_to_phys(pt) | PTE_PRESENT | PTE_WRITABLE;
    }
    /* The thread kernel stacks' page tables, empty: every address space shares them. */
    for (uint32_t va = KSTACKS; va < KSTACKS_END; va += LARGE_PAGE) {
        pte_t *stacks = page_table_frame();
        memset(stacks, 0, PAGE_SIZE);
        pd[pd_index(va)] = virt_to_phys(stacks) | PTE_PRESENT | PTE_WRITABLE;
    }
    /* Then the exceptions: read-only kernel text, unmapped stack guards. */
    set_flags(pd, (uint32_t)__text_start, (uint32_t)__ro_end, PTE_PRESENT | PTE_GLOBAL);
    set_flags(pd, (uint32_t)kstack_guard, (uint32_t)kstack_guard + PAGE_SIZE, 0);
    set_flags(pd, (uint32_t)df_stack_guard, (uint32_t)df_stack_guard + PAGE_SIZE, 0);
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
    if (pde & PTE_LARGE)
        return &kernel_pd[pd_index(va)];   /* a 4 MiB page of the direct map */
    pte_t *pt = phys_to_virt(pte_addr(pde));
    return &pt[pt_index(va)];
}

int paging_kernel_readable(uint32_t va, uint32_t len)
{
    if (va < KERNBASE || va + len < va || va + len > KSTACKS_END)
        return 0;
    if (!kernel_pd)                   /* still on the boot map: the direct map is there */
        return va + len <= DIRECT_END;
    for (uint32_t p = page_base(va); p < va + len; p += PAGE_SIZE) {
        pte_t *pte = paging_kernel_pte(p);
        if (!pte || !(*pte & PTE_PRESENT))
            return 0;
    }
    return 1;
}
