/* Tasks: see task.h. */
#include "task.h"
#include "ipc.h"
#include "kmem.h"
#include "kprintf.h"
#include "frames.h"
#include "notification.h"
#include "panic.h"
#include "reaper.h"
#include "sched.h"
#include "thread.h"
#include "relay/exit.h"

struct task *root_task;
static uint32_t last_id;

enum relay_error task_create(struct factory *f, struct task *creator, struct task **out)
{
    struct task *t = kobject_new(f, KOBJ_TASK, sizeof *t, 1);   /* its own reference while alive */
    if (!t)
        return ERR_NO_MEMORY;
    if (vspace_init(&t->vs, f) != ERR_NONE) {
        kobject_free(&t->obj);
        return ERR_NO_MEMORY;
    }
    t->obj.home = &t->obj;
    t->id = ++last_id;
    t->state = TASK_ALIVE;
    list_init(&t->threads);
    list_init(&t->created);
    list_init(&t->created_node);
    t->creator = creator;
    if (creator)
        list_push_back(&creator->created, &t->created_node);
    t->teardown = TEARDOWN_CREATED;
    handle_table_init(&t->handles, &t->obj);
    *out = t;
    return ERR_NONE;
}

/* A task's handle-table pages are made in its factory. */
void *handle_page_alloc(struct handle_table *t)
{
    return kmem_page_alloc(t->owner->factory);
}

void handle_page_free(struct handle_table *t, void *page)
{
    kmem_page_free(t->owner->factory, page);
}

void task_end(struct task *task, enum task_state how, uint32_t status)
{
    if (task->state != TASK_ALIVE)
        return;
    task->state = (uint8_t)how;
    task->status = status;
    task->obj.dead = 1;
    if (task == root_task) {
        kprintf("relay: the root task %s with status %u: stopping\n",
                how == TASK_EXITED ? "exited" : "was killed", status);
        machine_exit(how == TASK_EXITED && status == 0 ? RELAY_EXIT_PASS : RELAY_EXIT_FAIL);
    }
    /* Each thread stops at once, so nothing of the task runs again; the
     * reaper frees their memory before it takes the task apart (FIFO). */
    while (!list_empty(&task->threads))
        thread_stop(list_entry(task->threads.next, struct thread, task_node));
    reaper_add(&task->obj);
}

void task_end_if_unreachable(struct task *task)
{
    if (task->state != TASK_ALIVE || task->obj.refs != 1 + task->obj.own_refs)
        return;                            /* someone else holds it */
    for (struct list *n = task->threads.next; n != &task->threads; n = n->next) {
        const struct thread *t = list_entry(n, struct thread, task_node);
        if (t->obj.refs != 1 + t->obj.own_refs
            || (t->state != THREAD_INACTIVE && t->state != THREAD_SUSPENDED))
            return;                        /* it runs, waits, or someone else holds it */
    }
    task_end(task, TASK_KILLED, TASK_STATUS_KILLED);
}

/* End the tasks it created, one a unit: each only marked and queued, so a
 * chain of creators is taken apart without recursion. */
static int end_created(struct task *task, uint32_t *budget)
{
    while (!list_empty(&task->created) && *budget) {
        struct task *t = list_entry(list_pop_front(&task->created), struct task, created_node);
        (*budget)--;
        task_end(t, TASK_KILLED, TASK_STATUS_ORPHANED);
    }
    return list_empty(&task->created);
}

/* Delete its handles from slot teardown_at on, as the budget allows. */
static int clear_handles(struct task *task, uint32_t *budget)
{
    for (; task->teardown_at < task->handles.slots && *budget; task->teardown_at++) {
        struct handle *h = handle_slot(&task->handles, task->teardown_at);
        (*budget)--;
        if (h->obj && !handle_delete_step(h, budget))
            return 0;                      /* its derived handles are still moving up */
    }
    return task->teardown_at >= task->handles.slots
        && handle_table_release(&task->handles, budget);
}

/* The last stage: the address space goes (its directory entries looked at,
 * 8 a unit, and a unit for the rest), and whoever waits for the end hears of it. */
static void finish(struct task *task, uint32_t *budget)
{
    uint32_t units = 1 + vspace_destroy(&task->vs) / 8;
    *budget = units < *budget ? *budget - units : 0;
    if (task->exit_notify.obj) {
        notification_signal((struct notification *)task->exit_notify.obj, task->exit_bits);
        handle_delete(&task->exit_notify);
    }
    task->teardown = TEARDOWN_DONE;
    kobject_put(&task->obj);               /* its own reference */
}

int task_reap_step(struct task *task, uint32_t *budget)
{
    while (task->obj.dead && task->teardown != TEARDOWN_DONE && *budget) {
        switch (task->teardown) {
        case TEARDOWN_CREATED:
            if (!end_created(task, budget))
                return 0;
            task->teardown = TEARDOWN_HANDLES;
            task->teardown_at = 0;
            break;
        case TEARDOWN_HANDLES:
            if (!clear_handles(task, budget))
                return 0;
            task->teardown = TEARDOWN_MAPPINGS;
            task->teardown_at = 0;
            break;
        case TEARDOWN_MAPPINGS:
            if (!memory_forget_mappings(task, &task->teardown_at, &task->teardown_seen, budget))
                return 0;
            task->teardown = TEARDOWN_FRAMES;
            task->teardown_at = 0;
            break;
        case TEARDOWN_FRAMES:
            if (!memory_return_frames((ft_holder)task, &task->teardown_at, budget))
                return 0;
            task->teardown = TEARDOWN_NOTIFY;
            break;
        case TEARDOWN_NOTIFY:
            finish(task, budget);
            break;
        }
    }
    if (task->teardown != TEARDOWN_DONE)
        return 0;
    if (task->obj.refs == 0 && !task->obj.reaping) {
        list_remove(&task->created_node);  /* its creator may live on */
        kobject_free(&task->obj);
    }
    return 1;
}
