/*
 * Kernel memory that its users pay for (docs/ARCHITECTURE.md section 7).
 *
 * A factory is a kernel object holding frames that tasks gave it
 * (factory_give).  Every other kernel object -- task, thread, endpoint,
 * notification, factory -- is made in a factory's frames, and so is what an
 * object grows: page directories and tables, UTCBs, kernel stacks,
 * handle-table pages and reverse-map entries.  When a factory has no frame
 * left, making something from it is ERR_NO_MEMORY for that caller alone:
 * there is no global pool for anyone to run down.  Freeing returns the
 * memory to the factory it came from; when a factory is destroyed,
 * everything made from it ends and its frames go back to the tasks that
 * gave them (task.c, frames.c).
 *
 * Small objects are cells of a size class (16 to 1024 bytes) carved from
 * whole pages: each such page starts with a header naming its factory, so
 * freeing a cell needs nothing but its address; a page whose cells are all
 * free goes back to the factory's free pages.  Pure: no call into the rest
 * of the kernel (tests/host/test_kmem.c).
 */
#ifndef RELAY_KMEM_H
#define RELAY_KMEM_H

#include <stdint.h>
#include "kobject.h"
#include "list.h"

#define KMEM_PAGE      4096u
#define KMEM_CLASSES   7u           /* cells of 16, 32, ... 1024 bytes */
#define KMEM_CELL_MAX  1024u

struct kmem_page;

struct factory {
    struct kobject obj;
    uint32_t id;                      /* for factory_status and logs */
    void *free_pages;                 /* whole unused pages, linked through their first word */
    uint32_t frames;                  /* pages given to it and not yet returned */
    uint32_t free;                    /* of those, whole pages unused */
    struct kmem_page *partial[KMEM_CLASSES];   /* pages of cells with a cell free */
    struct list made;                 /* the objects made from it (kobject.made_node) */
    uint32_t objects;                 /* how many */
    uint8_t teardown;                 /* enum factory_teardown, once dead */
};

/* An empty factory (no pages, nothing made). */
void kmem_factory_init(struct factory *f);
/* A page given to f: free for what it makes. */
void kmem_add_page(struct factory *f, void *page);
/* Take a free page back out of f (returning frames): NULL if none is free. */
void *kmem_take_page(struct factory *f);

/* A cell of class c (16 << c bytes, 16-byte aligned; not zeroed), or NULL:
 * f is dead or out of pages. */
void *kmem_alloc_class(struct factory *f, uint32_t c);

/* The class whose cells hold size bytes (size <= KMEM_CELL_MAX). */
static inline uint32_t kmem_class_of(uint32_t size)
{
    uint32_t c = 0;
    while ((16u << c) < size)
        c++;
    return c;
}

/* A cell of at least size bytes, or NULL (size too big, or as
 * kmem_alloc_class).  Inline: for the usual constant size, the class is
 * worked out when compiling. */
static inline void *kmem_alloc(struct factory *f, uint32_t size)
{
    return size > KMEM_CELL_MAX ? 0 : kmem_alloc_class(f, kmem_class_of(size));
}
/* Give a cell back to the factory it came from. */
void kmem_free(void *cell);
/* A whole zeroed page, or NULL. */
void *kmem_page_alloc(struct factory *f);
/* A whole page as the factory last had it, or NULL: for a page the kernel
 * writes before it reads each part (a kernel stack, a page of tags), and
 * no user can read (its old contents were the same payer's objects). */
void *kmem_page_alloc_unzeroed(struct factory *f);
/* Give a whole page back. */
void kmem_page_free(struct factory *f, void *page);
/* The factory a cell was made in. */
struct factory *kmem_factory_of(const void *cell);

#endif
