/*
 * Tasks: an address space and a handle table, and the threads running in
 * them.  A task ends when it calls exit, when one of its threads takes an
 * exception nobody handles, when its last thread is killed, or when the last
 * handle to it goes before it ever had a thread; its status stays readable
 * while handles to it remain.
 */
#ifndef RELAY_TASK_H
#define RELAY_TASK_H

#include <stdint.h>
#include "kobject.h"
#include "handle.h"
#include "list.h"
#include "arch/x86/vspace.h"

#define TASKS_MAX 64

struct notification;

struct task {
    struct kobject obj;
    uint16_t id;                    /* 1.. : the frame table's owner numbers */
    uint8_t state;                  /* enum task_state (ipc/relay/ipc.h) */
    uint32_t status;                /* exit status, or the vector that killed it */
    struct vspace vs;
    struct list threads;
    struct notification *exit_notify;   /* signalled when it ends (a reference) */
    uint32_t exit_bits;
    struct handle_table handles;
};

extern struct task *root_task;
extern unsigned tasks_in_use;

enum relay_error task_create(struct task **out);
/* The task with this id (1..TASKS_MAX), whose slot is in use. */
struct task *task_of_id(unsigned id);
/* End the task: every thread, mapping and handle; record how it ended. */
void task_end(struct task *task, enum task_state how, uint32_t status);
void task_destroy(struct task *task);     /* the last reference went */

#endif
