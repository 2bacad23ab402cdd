/*
 * Kernel memory: factories' pages and the cells carved from them
 * (microkernel/kmem.c).  Cells are distinct and 16-byte aligned (kobject_new
 * zeroes an object's; a reverse-map entry is written whole); a
 * page whose cells are all free goes back to its factory; a factory with no
 * page left, or a dead one, makes nothing.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmem.h"

/* ------------------------------------------------------------ pages */

#define PAGES_MAX 64
static void *pages[PAGES_MAX];            /* every page given to a factory, freed at the end */
static unsigned pages_made;

/* A fresh 4096-aligned page, full of garbage (so that zeroing shows). */
static void *new_page(void)
{
    cr_assert_lt(pages_made, PAGES_MAX);
    void *p = aligned_alloc(KMEM_PAGE, KMEM_PAGE);
    cr_assert_not_null(p);
    memset(p, 0xAA, KMEM_PAGE);
    pages[pages_made++] = p;
    return p;
}

static void give_pages(struct factory *f, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        kmem_add_page(f, new_page());
}

/* Whether p is one of the pages given out. */
static int is_given_page(const void *p)
{
    for (unsigned i = 0; i < pages_made; i++)
        if (pages[i] == p)
            return 1;
    return 0;
}

static const void *page_of_cell(const void *cell)
{
    return (const void *)((uintptr_t)cell & ~(uintptr_t)(KMEM_PAGE - 1));
}

static int all_bytes(const void *p, uint8_t value, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != value)
            return 0;
    return 1;
}

static struct factory fa, fb;

static void setup(void)
{
    pages_made = 0;
    memset(&fa, 0x55, sizeof fa);         /* init must set what it needs */
    memset(&fb, 0x55, sizeof fb);
    kmem_factory_init(&fa);
    kmem_factory_init(&fb);
    fa.obj = (struct kobject){ .type = KOBJ_FACTORY };
    fb.obj = (struct kobject){ .type = KOBJ_FACTORY };
}

static void teardown(void)
{
    for (unsigned i = 0; i < pages_made; i++)
        free(pages[i]);
}

TestSuite(kmem, .init = setup, .fini = teardown);

/* The size of class c's cells, and the sizes asked for in each class. */
static uint32_t cell_size(uint32_t c)
{
    return 16u << c;
}

#define CELLS_MAX 1024                     /* more than three pages of the smallest cells */

/* Cells until the factory has no more (at most CELLS_MAX): how many. */
static unsigned alloc_all(struct factory *f, uint32_t size, void **cells)
{
    unsigned n = 0;
    while (n < CELLS_MAX && (cells[n] = kmem_alloc(f, size)))
        n++;
    cr_assert_lt(n, CELLS_MAX, "the factory never ran out");
    return n;
}

/* How many cells of `size` one page holds (found on a factory of one page). */
static unsigned cells_per_page(uint32_t size)
{
    static void *cells[CELLS_MAX];
    struct factory f;
    kmem_factory_init(&f);
    f.obj = (struct kobject){ .type = KOBJ_FACTORY };
    give_pages(&f, 1);
    unsigned n = alloc_all(&f, size, cells);
    for (unsigned i = 0; i < n; i++)
        kmem_free(cells[i]);
    cr_assert_eq(f.free, 1);
    return n;
}

Test(kmem, a_new_factory_is_empty)
{
    cr_assert_null(fa.free_pages);
    cr_assert_eq(fa.frames, 0);
    cr_assert_eq(fa.free, 0);
    for (uint32_t c = 0; c < KMEM_CLASSES; c++)
        cr_assert_null(fa.partial[c]);
    cr_assert(list_empty(&fa.made));
    cr_assert_eq(cell_size(KMEM_CLASSES - 1), KMEM_CELL_MAX, "the classes run 16..KMEM_CELL_MAX");
}

/* ------------------------------------------------------------ cells */

/* Every size asked for: each class's own size, and one just above the class below. */
static const uint32_t sizes[] = { 1, 16, 17, 32, 33, 64, 100, 128, 129, 256, 300, 512, 513, 1000, 1024 };
#define SIZES (sizeof sizes / sizeof sizes[0])

Test(kmem, cells_of_each_class_are_distinct_and_aligned)
{
    static void *cells[CELLS_MAX];
    for (size_t s = 0; s < SIZES; s++) {
        uint32_t size = sizes[s];
        struct factory f;
        kmem_factory_init(&f);
        f.obj = (struct kobject){ .type = KOBJ_FACTORY };
        give_pages(&f, 3);
        unsigned n = alloc_all(&f, size, cells);
        uint32_t cell = 16;
        while (cell < size)
            cell *= 2;
        cr_assert_geq((size_t)n * cell, 3 * KMEM_PAGE / 2, "size %u: only %u cells in three pages",
                      size, n);
        cr_assert_eq(f.free, 0, "size %u: every page was used", size);
        for (unsigned i = 0; i < n; i++) {
            uintptr_t at = (uintptr_t)cells[i];
            const void *page = page_of_cell(cells[i]);
            cr_assert_eq(at % 16, 0, "size %u cell %u at %#lx: not 16-byte aligned", size, i,
                         (unsigned long)at);
            cr_assert(is_given_page(page), "size %u cell %u is in no page given", size, i);
            cr_assert_geq(at - (uintptr_t)page, 16, "size %u cell %u overlaps the page's header", size, i);
            cr_assert_leq(at - (uintptr_t)page + size, KMEM_PAGE, "size %u cell %u runs off its page",
                          size, i);
            cr_assert_eq(kmem_factory_of(cells[i]), &f);
        }
        /* Write every byte of every cell: none may overwrite another, nor a page's header. */
        for (unsigned i = 0; i < n; i++)
            memset(cells[i], (uint8_t)(i + 1), size);
        for (unsigned i = 0; i < n; i++) {
            cr_assert(all_bytes(cells[i], (uint8_t)(i + 1), size), "size %u cell %u was overwritten",
                      size, i);
            cr_assert_eq(kmem_factory_of(cells[i]), &f, "size %u: a page's header was overwritten", size);
        }
        for (unsigned i = 0; i < n; i++)
            kmem_free(cells[i]);
        cr_assert_eq(f.free, 3, "size %u: every page came back", size);
        cr_assert_eq(f.frames, 3);
    }
}

Test(kmem, a_page_holds_a_pages_worth_of_cells)
{
    for (uint32_t c = 0; c < KMEM_CLASSES; c++) {
        unsigned n = cells_per_page(cell_size(c));
        cr_assert_geq(n, 1, "class %u", c);
        cr_assert_leq((size_t)n * cell_size(c), KMEM_PAGE - 16, "class %u: room for the header", c);
        cr_assert_geq((size_t)n * cell_size(c), KMEM_PAGE / 2, "class %u: %u cells waste the page", c, n);
        cr_assert_eq(cells_per_page(cell_size(c) / 2 + 1), n, "a size just above half a cell");
    }
}

Test(kmem, a_freed_cell_is_the_next_handed_out)
{
    give_pages(&fa, 1);
    for (uint32_t c = 0; c < KMEM_CLASSES; c++) {
        uint32_t size = cell_size(c);
        void *keep = kmem_alloc(&fa, size);             /* so that the page stays partial */
        void *cell = kmem_alloc(&fa, size);
        cr_assert_not_null(cell, "class %u", c);
        memset(cell, 0xFF, size);
        kmem_free(cell);
        void *again = kmem_alloc(&fa, size);
        cr_assert_eq(again, cell, "class %u: the cell freed last comes first", c);
        kmem_free(again);
        kmem_free(keep);
        cr_assert_eq(fa.free, 1, "class %u: the page came back", c);
    }
}

Test(kmem, cells_of_two_factories_name_their_own)
{
    give_pages(&fa, KMEM_CLASSES);
    give_pages(&fb, KMEM_CLASSES);
    for (uint32_t c = 0; c < KMEM_CLASSES; c++) {
        void *a = kmem_alloc(&fa, cell_size(c));
        void *b = kmem_alloc(&fb, cell_size(c));
        void *a2 = kmem_alloc(&fa, cell_size(c));
        cr_assert_not_null(a);
        cr_assert_not_null(b);
        cr_assert_not_null(a2);
        cr_assert_eq(kmem_factory_of(a), &fa, "class %u", c);
        cr_assert_eq(kmem_factory_of(a2), &fa, "class %u", c);
        cr_assert_eq(kmem_factory_of(b), &fb, "class %u", c);
    }
    cr_assert_eq(fa.free, 0, "a page for each class");
    cr_assert_eq(fb.free, 0);
}

Test(kmem, each_class_has_pages_of_its_own)
{
    give_pages(&fa, 1);
    void *small = kmem_alloc(&fa, 16);
    cr_assert_not_null(small);
    cr_assert_null(kmem_alloc(&fa, 64), "the one page is the 16-byte cells'");
    kmem_free(small);
    void *big = kmem_alloc(&fa, 64);
    cr_assert_not_null(big, "back whole, the page serves another class");
    cr_assert_eq(kmem_factory_of(big), &fa);
    cr_assert_eq((uintptr_t)big % 16, 0);
}

/* ------------------------------------------------------------ pages coming back */

Test(kmem, freeing_every_cell_of_a_page_returns_the_page)
{
    static void *cells[CELLS_MAX];
    give_pages(&fa, 4);
    for (uint32_t c = 0; c < KMEM_CLASSES; c++) {
        uint32_t size = cell_size(c);
        unsigned per = cells_per_page(size);
        cr_assert_eq(fa.free, 4);
        cells[0] = kmem_alloc(&fa, size);
        cr_assert_eq(fa.free, 3, "class %u: the first cell takes a page", c);
        for (unsigned i = 1; i < per; i++)
            cells[i] = kmem_alloc(&fa, size);
        cr_assert_eq(fa.free, 3, "class %u: %u cells fit in it", c, per);
        cells[per] = kmem_alloc(&fa, size);
        cr_assert_eq(fa.free, 2, "class %u: one more takes another", c);
        cr_assert_neq(page_of_cell(cells[per]), page_of_cell(cells[0]));

        /* A cell freed in the full page is used before anything else. */
        void *freed = cells[per / 2];
        kmem_free(freed);
        cells[per / 2] = kmem_alloc(&fa, size);
        cr_assert_eq(page_of_cell(cells[per / 2]), page_of_cell(cells[0]));
        cr_assert_eq(fa.free, 2);

        /* Free them all, from the middle outwards: both pages come back. */
        for (unsigned i = 0; i <= per; i++)
            kmem_free(cells[(i + per / 2) % (per + 1)]);
        cr_assert_eq(fa.free, 4, "class %u: f->free back where it was", c);
        cr_assert_eq(fa.frames, 4);
        for (uint32_t k = 0; k < KMEM_CLASSES; k++)
            cr_assert_null(fa.partial[k], "class %u: no partial page is left", c);
    }
    /* All four pages are whole again. */
    for (unsigned i = 0; i < 4; i++)
        cr_assert_not_null(kmem_page_alloc(&fa));
    cr_assert_null(kmem_page_alloc(&fa));
}

Test(kmem, a_page_comes_back_only_when_every_cell_is_free)
{
    give_pages(&fa, 1);
    void *a = kmem_alloc(&fa, 128), *b = kmem_alloc(&fa, 128), *c = kmem_alloc(&fa, 128);
    cr_assert_eq(fa.free, 0);
    kmem_free(b);
    kmem_free(a);
    cr_assert_eq(fa.free, 0, "one cell is still in use");
    cr_assert_null(kmem_page_alloc(&fa));
    kmem_free(c);
    cr_assert_eq(fa.free, 1);
    cr_assert_not_null(kmem_page_alloc(&fa));
}

/* ------------------------------------------------------------ running out */

Test(kmem, no_page_no_cell)
{
    for (uint32_t c = 0; c < KMEM_CLASSES; c++)
        cr_assert_null(kmem_alloc(&fa, cell_size(c)), "class %u from an empty factory", c);
    cr_assert_null(kmem_alloc(&fa, 1));
    cr_assert_null(kmem_page_alloc(&fa));
    cr_assert_eq(fa.free, 0);
    cr_assert_eq(fa.frames, 0);
}

Test(kmem, a_factory_runs_out_and_recovers)
{
    static void *cells[CELLS_MAX];
    give_pages(&fa, 2);
    unsigned per = cells_per_page(256);
    unsigned n = alloc_all(&fa, 256, cells);
    cr_assert_eq(n, 2 * per, "two pages' worth, then NULL");
    cr_assert_eq(fa.free, 0);
    cr_assert_null(kmem_alloc(&fa, 256));
    cr_assert_null(kmem_alloc(&fa, 16), "another class needs a page too");
    cr_assert_null(kmem_page_alloc(&fa));
    kmem_free(cells[3]);
    void *again = kmem_alloc(&fa, 256);
    cr_assert_eq(again, cells[3], "a freed cell is there to take again");
    cr_assert_null(kmem_alloc(&fa, 256));
    give_pages(&fa, 1);
    cr_assert_not_null(kmem_alloc(&fa, 256), "a page given: cells again");
}

Test(kmem, a_dead_factory_makes_nothing)
{
    give_pages(&fa, 3);
    void *cell = kmem_alloc(&fa, 64);                 /* its page still has free cells */
    cr_assert_not_null(cell);
    fa.obj.dead = 1;
    for (uint32_t c = 0; c < KMEM_CLASSES; c++)
        cr_assert_null(kmem_alloc(&fa, cell_size(c)), "class %u from a dead factory", c);
    cr_assert_null(kmem_page_alloc(&fa));
    cr_assert_eq(fa.free, 2, "nothing was taken");
    /* What it made still goes back, and its pages can be taken out to be returned. */
    kmem_free(cell);
    cr_assert_eq(fa.free, 3);
    for (unsigned i = 0; i < 3; i++)
        cr_assert_not_null(kmem_take_page(&fa));
    cr_assert_eq(fa.frames, 0);
    cr_assert_eq(fa.free, 0);
}

/* ------------------------------------------------------------ whole pages */

Test(kmem, page_alloc_and_free_accounting)
{
    give_pages(&fa, 3);
    cr_assert_eq(fa.frames, 3);
    cr_assert_eq(fa.free, 3);
    void *p[3];
    for (unsigned i = 0; i < 3; i++) {
        p[i] = kmem_page_alloc(&fa);
        cr_assert_not_null(p[i]);
        cr_assert(is_given_page(p[i]), "a page it was given");
        cr_assert_eq((uintptr_t)p[i] % KMEM_PAGE, 0);
        cr_assert(all_bytes(p[i], 0, KMEM_PAGE), "page %u is not zeroed", i);
        for (unsigned j = 0; j < i; j++)
            cr_assert_neq(p[i], p[j]);
        cr_assert_eq(fa.free, 2 - i);
        cr_assert_eq(fa.frames, 3, "a page in use is still the factory's");
        memset(p[i], 0x77, KMEM_PAGE);
    }
    cr_assert_null(kmem_page_alloc(&fa));
    cr_assert_null(kmem_alloc(&fa, 16), "no page for cells either");
    kmem_page_free(&fa, p[1]);
    cr_assert_eq(fa.free, 1);
    cr_assert_eq(fa.frames, 3);
    void *again = kmem_page_alloc(&fa);
    cr_assert_eq(again, p[1]);
    cr_assert(all_bytes(again, 0, KMEM_PAGE), "zeroed again");
    kmem_page_free(&fa, p[0]);
    void *cell = kmem_alloc(&fa, 32);
    cr_assert_eq(page_of_cell(cell), p[0], "a whole page freed serves cells");
    cr_assert_eq(fa.free, 0);
}

Test(kmem, take_page_takes_only_free_pages)
{
    give_pages(&fa, 2);
    void *used = kmem_page_alloc(&fa);
    cr_assert_not_null(used);
    void *taken = kmem_take_page(&fa);
    cr_assert_not_null(taken);
    cr_assert_neq(taken, used);
    cr_assert(is_given_page(taken));
    cr_assert_eq(fa.frames, 1, "a page taken out is no longer the factory's");
    cr_assert_eq(fa.free, 0);
    cr_assert_null(kmem_take_page(&fa), "the page in use cannot be taken");
    cr_assert_eq(fa.frames, 1);
    kmem_page_free(&fa, used);
    cr_assert_eq(kmem_take_page(&fa), used);
    cr_assert_eq(fa.frames, 0);
    cr_assert_null(fa.free_pages);
}
