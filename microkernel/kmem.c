/* Factories' pages and cells: see kmem.h. */
#include "kmem.h"
#include "kstring.h"

/* At the start of every page of cells; the cells follow it. */
struct kmem_page {
    struct factory *factory;
    struct kmem_page *next, *prev;    /* on factory->partial[class] */
    void *free;                       /* cells freed, linked through their first word */
    uint16_t used;                    /* cells handed out */
    uint16_t class;
    uint16_t fresh;                   /* where the cells never handed out begin */
};
#define CELLS_START (sizeof(struct kmem_page) <= 32 ? 32u : 64u)   /* 64 on a 64-bit host */
_Static_assert(sizeof(struct kmem_page) <= CELLS_START, "the header fits before the first cell");

static uint32_t class_size(uint32_t class) { return 16u << class; }


static struct kmem_page *page_of(const void *cell)
{
    return (struct kmem_page *)((uintptr_t)cell & ~(uintptr_t)(KMEM_PAGE - 1));
}

void kmem_factory_init(struct factory *f)
{
    f->free_pages = 0;
    f->frames = f->free = 0;
    for (uint32_t c = 0; c < KMEM_CLASSES; c++)
        f->partial[c] = 0;
    list_init(&f->made);
}

void kmem_add_page(struct factory *f, void *page)
{
    *(void **)page = f->free_pages;
    f->free_pages = page;
    f->frames++;
    f->free++;
}

void *kmem_take_page(struct factory *f)
{
    void *page = f->free_pages;
    if (!page)
        return 0;
    f->free_pages = *(void **)page;
    f->frames--;
    f->free--;
    return page;
}

/* A page off f's free list, as it is. */
static void *take(struct factory *f)
{
    void *page = f->free_pages;
    if (!page || f->obj.dead)
        return 0;
    f->free_pages = *(void **)page;
    f->free--;
    return page;
}

void *kmem_page_alloc(struct factory *f)
{
    void *page = take(f);
    if (page)
        memset(page, 0, KMEM_PAGE);
    return page;
}

void *kmem_page_alloc_unzeroed(struct factory *f)
{
    return take(f);
}

void kmem_page_free(struct factory *f, void *page)
{
    *(void **)page = f->free_pages;
    f->free_pages = page;
    f->free++;
}

static void partial_remove(struct factory *f, struct kmem_page *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        f->partial[p->class] = p->next;
    if (p->next)
        p->next->prev = p->prev;
    p->next = p->prev = 0;
}

static void partial_add(struct factory *f, struct kmem_page *p)
{
    p->prev = 0;
    p->next = f->partial[p->class];
    if (p->next)
        p->next->prev = p;
    f->partial[p->class] = p;
}

void *kmem_alloc_class(struct factory *f, uint32_t class)
{
    if (f->obj.dead)
        return 0;
    uint32_t cell = class_size(class);
    struct kmem_page *p = f->partial[class];
    if (!p) {                          /* a new page: its cells are handed out in order */
        if (!(p = take(f)))
            return 0;
        *p = (struct kmem_page){ .factory = f, .class = (uint16_t)class,
                                 .fresh = (uint16_t)(CELLS_START > cell ? CELLS_START : cell) };
        partial_add(f, p);
    }
    void **c = p->free;
    if (c) {
        p->free = *c;
    } else {
        c = (void **)((char *)p + p->fresh);
        p->fresh = (uint16_t)(p->fresh + cell);
    }
    p->used++;
    if (!p->free && p->fresh + cell > KMEM_PAGE)
        partial_remove(f, p);
    return c;
}

void kmem_free(void *cell)
{
    struct kmem_page *p = page_of(cell);
    struct factory *f = p->factory;
    if (!p->free && p->fresh + class_size(p->class) > KMEM_PAGE)
        partial_add(f, p);                 /* it was full */
    *(void **)cell = p->free;
    p->free = cell;
    if (--p->used == 0) {
        partial_remove(f, p);
        kmem_page_free(f, p);
    }
}

struct factory *kmem_factory_of(const void *cell)
{
    return page_of(cell)->factory;
}
