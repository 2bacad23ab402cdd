/* The I/O permission bitmap, per address space: see iomap.h. */
#include "iomap.h"
#include "gdt.h"
#include "memlayout.h"
#include "../../kmem.h"
#include "../../kstring.h"

#define WINDOW_PDE (IO_WINDOW >> 22)
#define IOMAP_BASE PAGE_SIZE                        /* from the TSS: the window's page 1 */
#define TSS_SIZE   (IOMAP_BASE + IO_PORTS / 8 + 1)  /* through the byte past the bitmap */

static pte_t shared_pt[1024] __attribute__((aligned(PAGE_SIZE)));
static uint8_t closed[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Not global: the CR3 load that changes address spaces must drop them. */
static pte_t window_pte(const void *page, int writable)
{
    return virt_to_phys(page) | PTE_PRESENT | (writable ? PTE_WRITABLE : 0);
}

static void fill(pte_t *pt, uint8_t *bits0, uint8_t *bits1)
{
    pt[0] = window_pte(&kernel_tss, 1);
    pt[1] = window_pte(bits0, 0);
    pt[2] = window_pte(bits1, 0);
    pt[3] = window_pte(closed, 0);
}

void iomap_init(void)
{
    _Static_assert(sizeof(struct tss) <= IOMAP_BASE, "the TSS fits the window's first page");
    memset(closed, 0xFF, sizeof closed);
    fill(shared_pt, closed, closed);
    kernel_pd[WINDOW_PDE] = virt_to_phys(shared_pt) | PTE_PRESENT | PTE_WRITABLE;
    kernel_tss.iomap_base = IOMAP_BASE;
    gdt_move_tss(IO_WINDOW, TSS_SIZE);
}

/* The window's translations in this address space, if it is the CPU's, are stale. */
static void flush(const struct vspace *vs)
{
    if (read_cr3() == vs->pd_phys)
        for (uint32_t i = 0; i < 4; i++)
            invlpg(IO_WINDOW + i * PAGE_SIZE);
}

enum relay_error iomap_create(struct vspace *vs)
{
    pte_t *pt = kmem_page_alloc(vs->factory);
    uint8_t *b0 = pt ? kmem_page_alloc(vs->factory) : 0;
    uint8_t *b1 = b0 ? kmem_page_alloc(vs->factory) : 0;
    if (!b1) {
        if (b0)
            kmem_page_free(vs->factory, b0);
        if (pt)
            kmem_page_free(vs->factory, pt);
        return ERR_NO_MEMORY;
    }
    memset(b0, 0xFF, PAGE_SIZE);
    memset(b1, 0xFF, PAGE_SIZE);
    fill(pt, b0, b1);                      /* the rest of the table: zero, as it came */
    vs->io_pt = pt;
    vs->io_bits[0] = b0;
    vs->io_bits[1] = b1;
    vs->pd[WINDOW_PDE] = virt_to_phys(pt) | PTE_PRESENT | PTE_WRITABLE;
    flush(vs);
    return ERR_NONE;
}

void iomap_set(struct vspace *vs, uint32_t first, uint32_t count, int open)
{
    for (uint32_t port = first, end = first + count; port < end;) {
        uint8_t *byte = &vs->io_bits[port / (PAGE_SIZE * 8)][port % (PAGE_SIZE * 8) / 8];
        if (port % 8 == 0 && end - port >= 8) {     /* a whole byte at a time */
            *byte = open ? 0 : 0xFF;
            port += 8;
            continue;
        }
        uint8_t bit = (uint8_t)(1u << port % 8);
        *byte = open ? *byte & ~bit : *byte | bit;
        port++;
    }
}

void iomap_destroy(struct vspace *vs)
{
    vs->pd[WINDOW_PDE] = kernel_pd[WINDOW_PDE];
    flush(vs);
    kmem_page_free(vs->factory, vs->io_bits[1]);
    kmem_page_free(vs->factory, vs->io_bits[0]);
    kmem_page_free(vs->factory, vs->io_pt);
    vs->io_pt = 0;
    vs->io_bits[0] = vs->io_bits[1] = 0;
}
