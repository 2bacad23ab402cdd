/* Dropping references, and destroying objects when the last one goes. */
#include "kobject.h"
#include "endpoint.h"
#include "fault.h"
#include "notification.h"
#include "task.h"
#include "thread.h"

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
    switch (obj->type) {
    case KOBJ_TASK:
        task_destroy((struct task *)obj);
        break;
    case KOBJ_THREAD:
        thread_destroy((struct thread *)obj);
        break;
    case KOBJ_ENDPOINT:
        endpoint_destroy((struct endpoint *)obj);
        break;
    case KOBJ_NOTIFICATION:
        notification_destroy((struct notification *)obj);
        break;
    default:                    /* the factory and the supervisor live for ever */
        break;
    }
}
