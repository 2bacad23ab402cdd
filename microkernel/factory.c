/* Factories: see factory.h. */
#include "factory.h"
#include "handle.h"
#include "frames.h"
#include "reaper.h"
#include "task.h"
#include "arch/x86/memlayout.h"

#define PAGE_UNITS 4u              /* a page going back costs ~400 instructions */

struct factory root_factory = { .obj = { .type = KOBJ_FACTORY, .refs = 1 } };
static uint32_t last_id;

enum relay_error factory_create(struct factory *parent, struct factory **out)
{
    struct factory *f = kobject_new(parent, KOBJ_FACTORY, sizeof *f, 0);
    if (!f)
        return ERR_NO_MEMORY;
    kmem_factory_init(f);
    f->id = ++last_id;
    *out = f;
    return ERR_NONE;
}

/*
 * End one object made from the factory and delete every handle to it, as
 * the budget allows: 1 when it is done.  Revoking an original's
 * descendants first means none of them moves twice.
 */
static int reclaim(struct kobject *obj, uint32_t *budget)
{
    if (obj->type == KOBJ_TASK && ((struct task *)obj)->state == TASK_ALIVE)
        task_end((struct task *)obj, TASK_KILLED, TASK_STATUS_RECLAIMED);
    while (obj->handles && *budget) {
        struct handle *h = obj->handles;
        if (handle_revoke_step(h, budget) && *budget)
            handle_delete_step(h, budget);
    }
    return obj->handles == 0;
}

int factory_reap_step(struct factory *f, uint32_t *budget)
{
    while (*budget) {
        switch (f->teardown) {
        case FACTORY_END_MADE:
            /* Each object done goes to the back: when the front one is
             * done, all are.  (Nothing new can be made: f is dead.) */
            while (!list_empty(&f->made) && *budget) {
                struct kobject *obj = list_entry(f->made.next, struct kobject, made_node);
                if (obj->reclaimed)
                    break;
                (*budget)--;
                if (!reclaim(obj, budget))
                    return 0;
                obj->reclaimed = 1;
                list_remove(&obj->made_node);
                list_push_back(&f->made, &obj->made_node);
            }
            if (!*budget)
                return 0;
            f->teardown = FACTORY_WAIT_MADE;
            break;
        case FACTORY_WAIT_MADE:
            (*budget)--;
            if (!list_empty(&f->made))
                return 1;                  /* off the list: the last of them to go queues it again */
            f->teardown = FACTORY_FRAMES;
            break;
        case FACTORY_FRAMES:
            /* Every page is free now (nothing made from it is left): each
             * goes back along its frame's holders, PAGE_UNITS each. */
            for (void *page; *budget && (page = kmem_take_page(f));) {
                memory_return_page((ft_holder)f, virt_to_phys(page));
                *budget = *budget > PAGE_UNITS ? *budget - PAGE_UNITS : 0;
            }
            if (f->free_pages)
                return 0;
            if (f->obj.refs == 0 && !f->obj.reaping)
                kobject_free(&f->obj);
            return 1;
        }
    }
    return 0;
}
