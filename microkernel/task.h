/*
 * Tasks: an address space and a handle table, and the threads running in
 * them.  A task ends when it calls exit, when one of its threads takes an
 * exception nobody handles, when its last thread is killed, when nothing
 * can make it run any more (task_end_if_unreachable), or when the task that
 * created it ends; its status stays readable while handles to it remain.
 *
 * Ending is in two parts.  task_end marks the task dead and kills its
 * threads at once, so nothing of it runs or is found by another call again;
 * the reaper then takes it apart a budget at a time (task_reap_step): the
 * tasks it created end, then its handles, mappings, frames, address space,
 * and last the exit notification -- so whoever waits for that sees a task
 * that is gone entirely.  That the tasks a task made end with it is what
 * reclaims tasks that hold each other with nothing else to run them.
 */
#ifndef RELAY_TASK_H
#define RELAY_TASK_H

#include <stdint.h>
#include "kobject.h"
#include "handle.h"
#include "list.h"
#include "arch/x86/vspace.h"

struct notification;
struct factory;

/* How far the reaper has taken an ended task apart. */
enum task_teardown {
    TEARDOWN_CREATED,     /* ending the tasks it created, one by one */
    TEARDOWN_HANDLES,     /* deleting its handles, slot by slot */
    TEARDOWN_MAPPINGS,    /* dropping the reverse-map entries of its own mappings */
    TEARDOWN_FRAMES,      /* its frames back to their givers, unmapped everywhere */
    TEARDOWN_NOTIFY,      /* the address space, then the exit notification */
    TEARDOWN_DONE,
};

struct io_grant;

struct task {
    struct kobject obj;
    uint32_t id;                    /* 1.., never reused: what task_status and fault records say */
    struct task *creator;           /* the task whose task_create made it (NULL: the root) */
    struct list created;            /* the live tasks it made (created_node) */
    struct list created_node;
    uint8_t state;                  /* enum task_state (ipc/relay/ipc.h) */
    uint32_t status;                /* exit status, or the vector that killed it */
    struct vspace vs;
    struct list threads;
    struct handle exit_notify;      /* signalled when it ends (a handle the kernel keeps) */
    uint32_t exit_bits;
    struct handle_table handles;
    uint8_t teardown;               /* enum task_teardown, once it has ended */
    uint32_t teardown_at;           /* where that stage goes on: handle slot, page, frame */
    uint32_t teardown_seen;         /* page tables passed so far (TEARDOWN_MAPPINGS) */
    struct io_grant *io_grants;     /* the port ranges its table has handles to (ioport.h) */
};

extern struct task *root_task;

/* An empty task made in f, ending when creator does (unless NULL).  ERR_NO_MEMORY. */
enum relay_error task_create(struct factory *f, struct task *creator, struct task **out);
/* End the task: dead at once, its threads killed; the reaper does the rest. */
void task_end(struct task *task, enum task_state how, uint32_t status);
/* End the task (TASK_KILLED, TASK_STATUS_KILLED) if nothing can ever make it
 * run: no handle outside its own table names it, and each of its threads
 * has never started or is suspended, and no handle outside the task's own
 * table names it.  (Tasks holding handles to each other are not found.) */
void task_end_if_unreachable(struct task *task);
/* The reaper's step: take an ended task apart; free it once unreferenced. */
int task_reap_step(struct task *task, uint32_t *budget);

#endif
