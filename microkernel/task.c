/* Tasks and the task pool: see task.h. */
#include "task.h"
#include "ipc.h"
#include "kprintf.h"
#include "memory.h"
#include "notification.h"
#include "panic.h"
#include "reaper.h"
#include "sched.h"
#include "thread.h"
#include "relay/exit.h"

static struct task pool[TASKS_MAX];
unsigned tasks_in_use;
struct task *root_task;

enum relay_error task_create(struct task **out)
{
    for (unsigned i = 0; i < TASKS_MAX; i++) {
        struct task *t = &pool[i];
        if (t->obj.type != KOBJ_NONE)
            continue;
        if (vspace_init(&t->vs) != ERR_NONE)
            return ERR_NO_MEMORY;
        t->obj = KOBJECT_INIT(KOBJ_TASK, 1);   /* its own reference while alive */
        t->obj.home = &t->obj;
        tasks_in_use++;
        t->id = (uint16_t)(i + 1);
        t->state = TASK_ALIVE;
        t->status = 0;
        list_init(&t->threads);
        t->exit_notify = 0;
        t->exit_bits = 0;
        t->creator = 0;
        t->teardown = TEARDOWN_CREATED;
        t->teardown_at = 0;
        handle_table_init(&t->handles, &t->obj);
        *out = t;
        return ERR_NONE;
    }
    return ERR_NO_MEMORY;
}

struct task *task_of_id(unsigned id)
{
    return &pool[id - 1];
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

#define TASKS_PER_UNIT 8u          /* pool slots looked at for a unit of budget */

/* End the tasks it created, from pool slot teardown_at on: each only
 * marked and queued, so a chain of creators is taken apart without recursion. */
static int end_created(struct task *task, uint32_t *budget)
{
    for (; task->teardown_at < TASKS_MAX && *budget; task->teardown_at++) {
        struct task *t = &pool[task->teardown_at];
        if (task->teardown_at % TASKS_PER_UNIT == 0)
            (*budget)--;
        if (t->obj.type == KOBJ_TASK && t->creator == task && t->state == TASK_ALIVE)
            task_end(t, TASK_KILLED, TASK_STATUS_ORPHANED);
    }
    return task->teardown_at == TASKS_MAX;
}

/* Delete its handles from slot teardown_at on, as the budget allows. */
static int clear_handles(struct task *task, uint32_t *budget)
{
    for (; task->teardown_at < HANDLE_SLOTS && *budget; task->teardown_at++) {
        struct handle *h = &task->handles.slot[task->teardown_at];
        (*budget)--;
        if (h->obj && !handle_delete_step(h, budget))
            return 0;                      /* its derived handles are still moving up */
    }
    return task->teardown_at == HANDLE_SLOTS;
}

/* The last stage: the address space goes, and whoever waits for the end hears of it. */
static void finish(struct task *task)
{
    vspace_destroy(&task->vs);
    if (task->exit_notify) {
        notification_signal(task->exit_notify, task->exit_bits);
        kobject_put(&task->exit_notify->obj);
        task->exit_notify = 0;
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
            task->teardown_at = 1;
            break;
        case TEARDOWN_HANDLES:
            if (!clear_handles(task, budget))
                return 0;
            task->teardown = TEARDOWN_MAPPINGS;
            task->teardown_at = 0;
            break;
        case TEARDOWN_MAPPINGS:
            if (!memory_forget_mappings(task, &task->teardown_at, budget))
                return 0;
            task->teardown = TEARDOWN_FRAMES;
            task->teardown_at = 0;
            break;
        case TEARDOWN_FRAMES:
            if (!memory_return_frames(task, &task->teardown_at, budget))
                return 0;
            task->teardown = TEARDOWN_NOTIFY;
            break;
        case TEARDOWN_NOTIFY:
            (*budget)--;
            finish(task);
            break;
        }
    }
    if (task->teardown != TEARDOWN_DONE)
        return 0;
    if (task->obj.refs == 0 && !task->obj.reaping) {
        task->obj.type = KOBJ_NONE;
        tasks_in_use--;
    }
    return 1;
}
