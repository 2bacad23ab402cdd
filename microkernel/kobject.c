/* Dropping references: see kobject.h.  What happens next is the reaper's (reaper.c). */
#include "kobject.h"
#include "endpoint.h"
#include "factory.h"
#include "kmem.h"
#include "kstring.h"
#include "fault.h"
#include "ioport.h"
#include "irq.h"
#include "notification.h"
#include "reaper.h"
#include "task.h"
#include "thread.h"

void kobject_unreceivable(struct kobject *obj)
{
    if (obj->type != KOBJ_ENDPOINT)
        return;
    endpoint_unreceivable((struct endpoint *)obj);
    fault_endpoint_unreceivable(obj);
}

enum relay_error kobject_handle_entering(struct kobject *obj, struct kobject *task)
{
    if (obj->type == KOBJ_IOPORT)
        return ioport_handle_entering((struct ioport *)obj, (struct task *)task);
    return ERR_NONE;
}

void kobject_handle_leaving(struct kobject *obj, struct handle *h, struct kobject *task)
{
    if (obj->type == KOBJ_IOPORT)
        ioport_handle_leaving((struct ioport *)obj, (struct task *)task);
    else if (obj->type == KOBJ_IRQ)
        irq_handle_leaving((struct irq_line *)obj, h);
}

void kobject_put(struct kobject *obj)
{
    if (--obj->refs) {
        /* Only its own reference and its task's own handles left: a task,
           or a thread's task, may now be out of reach. */
        if (obj->refs == 1 + obj->own_refs && obj->type == KOBJ_TASK)
            task_end_if_unreachable((struct task *)obj);
        else if (obj->refs == 1 + obj->own_refs && obj->type == KOBJ_THREAD)
            task_end_if_unreachable(((struct thread *)obj)->task);
        return;
    }
    obj->dead = 1;
    /* Whoever waits on an endpoint or notification learns at once (each
     * wakes or is doomed: nothing here recurses); the rest is the reaper's. */
    if (obj->type == KOBJ_ENDPOINT)
        endpoint_dead((struct endpoint *)obj);
    else if (obj->type == KOBJ_NOTIFICATION)
        notification_dead((struct notification *)obj);
    reaper_add(obj);
}

struct list kobjects_all = { &kobjects_all, &kobjects_all };
uint32_t kobjects_in_use[KOBJ_TYPES];

void *kobject_new(struct factory *f, enum kobj_type type, uint32_t size, uint32_t refs)
{
    struct kobject *obj = kmem_alloc(f, size);
    if (!obj)
        return 0;
    memset(obj, 0, size);
    obj->type = (uint8_t)type;
    obj->refs = refs;
    obj->factory = f;
    list_push_back(&f->made, &obj->made_node);
    f->objects++;
    list_push_back(&kobjects_all, &obj->all_node);
    kobjects_in_use[type]++;
    return obj;
}

void kobject_free(struct kobject *obj)
{
    struct factory *f = obj->factory;
    list_remove(&obj->made_node);
    f->objects--;
    if (f->obj.dead && f->teardown == FACTORY_WAIT_MADE && list_empty(&f->made))
        reaper_add(&f->obj);               /* the last of what it waited for */
    list_remove(&obj->all_node);
    kobjects_in_use[obj->type]--;
    obj->type = KOBJ_NONE;
    kmem_free(obj);
}
