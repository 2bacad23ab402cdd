/* Dropping references: see kobject.h.  What happens next is the reaper's (reaper.c). */
#include "kobject.h"
#include "endpoint.h"
#include "fault.h"
#include "notification.h"
#include "reaper.h"
#include "task.h"

void kobject_unreceivable(struct kobject *obj)
{
    if (obj->type != KOBJ_ENDPOINT)
        return;
    endpoint_unreceivable((struct endpoint *)obj);
    fault_endpoint_unreceivable(obj);
}

void kobject_put(struct kobject *obj)
{
    if (--obj->refs) {
        struct task *task = (struct task *)obj;
        /* A task that never got a thread ends when its last handle goes. */
        if (obj->type == KOBJ_TASK && obj->refs == 1 && !obj->dead && list_empty(&task->threads))
            task_end(task, TASK_KILLED, TASK_STATUS_KILLED);
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
