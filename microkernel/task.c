/* Tasks and the task pool: see task.h. */
#include "task.h"
#include "ipc.h"
#include "kprintf.h"
#include "memory.h"
#include "notification.h"
#include "panic.h"
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
        t->obj = (struct kobject){ KOBJ_TASK, 0, 1, 0 };   /* its own reference while alive */
        tasks_in_use++;
        t->id = (uint16_t)(i + 1);
        t->state = TASK_ALIVE;
        t->status = 0;
        list_init(&t->threads);
        t->exit_notify = 0;
        t->exit_bits = 0;
        handle_table_init(&t->handles);
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
    int ending_self = current->task == task;
    while (!list_empty(&task->threads))
        thread_kill(list_entry(task->threads.next, struct thread, task_node));
    handle_table_clear(&task->handles);
    memory_task_ended(task);
    vspace_destroy(&task->vs);
    if (task == root_task) {
        kprintf("relay: the root task %s with status %u: stopping\n",
                how == TASK_EXITED ? "exited" : "was killed", status);
        machine_exit(how == TASK_EXITED && status == 0 ? RELAY_EXIT_PASS : RELAY_EXIT_FAIL);
    }
    if (task->exit_notify) {
        notification_signal(task->exit_notify, task->exit_bits);
        kobject_put(&task->exit_notify->obj);
        task->exit_notify = 0;
    }
    task->obj.dead = 1;
    kobject_put(&task->obj);               /* its own reference */
    if (ending_self)
        schedule();                        /* never comes back */
}

void task_destroy(struct task *task)
{
    task->obj.type = KOBJ_NONE;
    tasks_in_use--;
}
