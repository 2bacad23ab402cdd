/* I/O-port capabilities: see ioport.h. */
#include "ioport.h"
#include "kmem.h"
#include "task.h"
#include "arch/x86/iomap.h"

struct kobject io_control = { .type = KOBJ_IO_CONTROL, .refs = 1 };

static uint32_t taken[IO_PORTS / 32];     /* ports some range holds */

static int any_taken(uint32_t first, uint32_t count)
{
    for (uint32_t p = first; p < first + count; p++)
        if (taken[p / 32] & 1u << p % 32)
            return 1;
    return 0;
}

static void set_taken(uint32_t first, uint32_t count, int on)
{
    for (uint32_t p = first; p < first + count; p++)
        taken[p / 32] = on ? taken[p / 32] | 1u << p % 32 : taken[p / 32] & ~(1u << p % 32);
}

enum relay_error ioport_create(struct factory *f, uint32_t first, uint32_t count, struct ioport **out)
{
    if (count == 0 || first >= IO_PORTS || count > IO_PORTS - first)
        return ERR_RANGE;
    if (any_taken(first, count))
        return ERR_STATE;
    struct ioport *p = kobject_new(f, KOBJ_IOPORT, sizeof *p, 0);
    if (!p)
        return ERR_NO_MEMORY;
    p->first = first;
    p->count = count;
    set_taken(first, count, 1);
    *out = p;
    return ERR_NONE;
}

int ioport_reap_step(struct ioport *p, uint32_t *budget)
{
    (*budget)--;
    if (p->obj.refs == 0 && !p->obj.reaping) {
        set_taken(p->first, p->count, 0);
        kobject_free(&p->obj);
    }
    return 1;
}

static struct io_grant **find(struct task *t, const struct ioport *p)
{
    struct io_grant **g = &t->io_grants;
    while (*g && (*g)->port != p)
        g = &(*g)->next;
    return g;
}

enum relay_error ioport_handle_entering(struct ioport *p, struct task *t)
{
    struct io_grant **at = find(t, p);
    if (*at) {
        (*at)->handles++;
        return ERR_NONE;
    }
    struct io_grant *g = kmem_alloc(t->obj.factory, sizeof *g);
    if (!g)
        return ERR_NO_MEMORY;
    if (!t->vs.io_pt && iomap_create(&t->vs) != ERR_NONE) {
        kmem_free(g);
        return ERR_NO_MEMORY;
    }
    *g = (struct io_grant){ p, 1, t->io_grants };
    t->io_grants = g;
    iomap_set(&t->vs, p->first, p->count, 1);
    return ERR_NONE;
}

void ioport_handle_leaving(struct ioport *p, struct task *t)
{
    struct io_grant **at = find(t, p), *g = *at;
    if (--g->handles)
        return;
    *at = g->next;
    kmem_free(g);
    iomap_set(&t->vs, p->first, p->count, 0);   /* ranges never overlap: these were its alone */
    if (!t->io_grants)
        iomap_destroy(&t->vs);
}
