/* Address spaces and thread kernel stacks: see vspace.h. */
#include "vspace.h"
#include "cpu.h"
#include "boot.h"
#include "kmem.h"
#include "kstring.h"

enum relay_error vspace_init(struct vspace *vs, struct factory *f)
{
    pte_t *pd = kmem_page_alloc_unzeroed(f);
    void ***tags = pd ? kmem_page_alloc_unzeroed(f) : 0;
    if (!tags) {
        if (pd)
            kmem_page_free(f, pd);
        return ERR_NO_MEMORY;
    }
    vs->pd = pd;
    vs->tags = tags;
    vs->pd_phys = virt_to_phys(pd);
    vs->tables = 0;
    vs->pages = 0;
    vs->factory = f;
    memset(pd, 0, pd_index(KERNBASE) * sizeof *pd);   /* no user table yet */
    memcpy(&pd[pd_index(KERNBASE)], &kernel_pd[pd_index(KERNBASE)],
           (PT_ENTRIES - pd_index(KERNBASE)) * sizeof *pd);
    return ERR_NONE;
}

static pte_t *user_pte(const struct vspace *vs, uint32_t va)
{
    pte_t pde = vs->pd[pd_index(va)];
    if (!(pde & PTE_PRESENT))
        return 0;
    return (pte_t *)phys_to_virt(pte_addr(pde)) + pt_index(va);
}

enum relay_error vspace_map(struct vspace *vs, uint32_t va, uint32_t pa, pte_t flags, void *tag)
{
    pte_t *pde = &vs->pd[pd_index(va)];
    if (!(*pde & PTE_PRESENT)) {
        pte_t *table = kmem_page_alloc(vs->factory);
        void **tags = table ? kmem_page_alloc_unzeroed(vs->factory) : 0;
        if (!tags) {
            if (table)
                kmem_page_free(vs->factory, table);
            return ERR_NO_MEMORY;
        }
        vs->tables++;
        vs->tags[pd_index(va)] = tags;
        *pde = pte_make(virt_to_phys(table), PTE_PRESENT | PTE_WRITABLE | PTE_USER);
    }
    pte_t *pte = user_pte(vs, va);
    if (*pte & PTE_PRESENT)
        return ERR_MAPPED;
    *pte = pte_make(pa, flags | PTE_PRESENT | PTE_USER);
    vs->tags[pd_index(va)][pt_index(va)] = tag;
    vs->pages++;
    return ERR_NONE;
}

void *vspace_tag(const struct vspace *vs, uint32_t va)
{
    const pte_t *pte = user_pte(vs, va);
    return pte && (*pte & PTE_PRESENT) ? vs->tags[pd_index(va)][pt_index(va)] : 0;
}

enum relay_error vspace_unmap(struct vspace *vs, uint32_t va, uint32_t *pa, void **tag)
{
    pte_t *pte = user_pte(vs, va);
    if (!pte || !(*pte & PTE_PRESENT))
        return ERR_NOT_MAPPED;
    *pa = pte_addr(*pte);
    *pte = 0;
    vs->pages--;
    if (tag)
        *tag = vs->tags[pd_index(va)][pt_index(va)];
    vs->tags[pd_index(va)][pt_index(va)] = 0;
    if (read_cr3() == vs->pd_phys)
        invlpg(va);
    return ERR_NONE;
}

void vspace_set_writable(struct vspace *vs, uint32_t va, int writable)
{
    pte_t *pte = user_pte(vs, va);
    *pte = writable ? *pte | PTE_WRITABLE : *pte & ~PTE_WRITABLE;
    if (read_cr3() == vs->pd_phys)
        invlpg(va);
}

pte_t vspace_lookup(const struct vspace *vs, uint32_t va)
{
    pte_t *pte = user_pte(vs, va);
    return pte ? *pte : 0;
}

int vspace_user_accessible(const struct vspace *vs, uint32_t va, uint32_t len, int write)
{
    pte_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITABLE : 0);
    for (uint32_t page = page_base(va); len && page <= va + len - 1; page += PAGE_SIZE) {
        if ((vspace_lookup(vs, page) & need) != need)
            return 0;
        if (page + PAGE_SIZE == 0)
            break;                         /* the last page of the address space */
    }
    return 1;
}

uint32_t vspace_destroy(struct vspace *vs)
{
    uint32_t i = 0;
    if (!vs->pd)
        return 0;
    if (read_cr3() == vs->pd_phys)
        write_cr3(virt_to_phys(kernel_pd));
    /* A user entry with no table is 0: passed over a `repe scasd` step each. */
    for (uint32_t left = vs->tables; left && i < pd_index(KERNBASE); i++) {
        i += first_nonzero_word(&vs->pd[i], pd_index(KERNBASE) - i);
        if (i < pd_index(KERNBASE) && vs->pd[i] & PTE_PRESENT) {
            kmem_page_free(vs->factory, phys_to_virt(pte_addr(vs->pd[i])));
            kmem_page_free(vs->factory, vs->tags[i]);
            left--;
        }
    }
    kmem_page_free(vs->factory, vs->pd);
    kmem_page_free(vs->factory, vs->tags);
    vs->pd = 0;
    vs->tables = 0;
    return i;
}

static pte_t *kstack_pte(unsigned slot)
{
    return paging_kernel_pte(KSTACKS + slot * KSTACK_SLOT + PAGE_SIZE);
}

uint32_t kstack_map(unsigned slot, uint32_t pa)
{
    *kstack_pte(slot) = pte_make(pa, PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL);
    return KSTACKS + (slot + 1) * KSTACK_SLOT;
}

uint32_t kstack_unmap(unsigned slot)
{
    pte_t *pte = kstack_pte(slot);
    uint32_t pa = pte_addr(*pte);
    *pte = 0;
    invlpg(KSTACKS + slot * KSTACK_SLOT + PAGE_SIZE);
    return pa;
}
