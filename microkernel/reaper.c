/* The reaper's list and loop: see reaper.h.  The steps live with their objects. */
#include "reaper.h"
#include "ioport.h"
#include "irq.h"
#include "endpoint.h"
#include "factory.h"
#include "notification.h"
#include "sched.h"
#include "task.h"
#include "thread.h"

static struct kobject *head, *tail;
unsigned reaper_queued;

struct kobject *reaper_first(void) { return head; }

void reaper_add(struct kobject *obj)
{
    if (obj->reaping)
        return;
    obj->reaping = 1;
    obj->reap_next = 0;
    if (tail)
        tail->reap_next = obj;
    else
        head = obj;
    tail = obj;
    reaper_queued++;
    sched_exit_work = 1;                   /* the exit path runs the reaper */
}

static struct kobject *take(void)
{
    struct kobject *obj = head;
    head = obj->reap_next;
    if (!head)
        tail = 0;
    obj->reaping = 0;
    reaper_queued--;
    return obj;
}

/* Back to the front, to be continued: unless the step queued it again itself. */
static void put_back(struct kobject *obj)
{
    if (obj->reaping)
        return;
    obj->reaping = 1;
    obj->reap_next = head;
    head = obj;
    if (!tail)
        tail = obj;
    reaper_queued++;
}

static int step(struct kobject *obj, uint32_t *budget)
{
    switch (obj->type) {
    case KOBJ_TASK:
        return task_reap_step((struct task *)obj, budget);
    case KOBJ_THREAD:
        return thread_reap_step((struct thread *)obj, budget);
    case KOBJ_ENDPOINT:
        return endpoint_reap_step((struct endpoint *)obj, budget);
    case KOBJ_NOTIFICATION:
        return notification_reap_step((struct notification *)obj, budget);
    case KOBJ_FACTORY:
        return factory_reap_step((struct factory *)obj, budget);
    case KOBJ_IRQ:
        return irq_reap_step((struct irq_line *)obj, budget);
    case KOBJ_IOPORT:
        return ioport_reap_step((struct ioport *)obj, budget);
    default:                               /* the supervisor never dies */
        return 1;
    }
}

void reaper_run(uint32_t budget)
{
    while (head && budget) {
        struct kobject *obj = take();
        if (!step(obj, &budget))
            put_back(obj);
    }
}
