/*
 * Threads: the kernel's unit of execution.  Each has a kernel stack (one
 * page in a slot of the stacks' window, with an unmapped guard page under
 * it) whose top holds its user registers as a trap frame whenever it is in
 * the kernel, and a UTCB page the kernel maps into its task.  All three
 * (the thread, its stack and its UTCB) are made in its task's factory.
 */
#ifndef RELAY_THREAD_H
#define RELAY_THREAD_H

#include <stdint.h>
#include "handle.h"
#include "kobject.h"
#include "list.h"
#include "arch/x86/trapframe.h"
#include "relay/error.h"
#include "relay/ipc.h"

enum thread_state {
    THREAD_INACTIVE,    /* created, never started */
    THREAD_READY,       /* on the run queue */
    THREAD_RUNNING,     /* the current thread */
    THREAD_BLOCKED,     /* waiting: see wait */
    THREAD_SUSPENDED,
    THREAD_DEAD,
};

enum ipc_wait {
    WAIT_NONE,
    WAIT_SEND,          /* in an endpoint's sender queue: send */
    WAIT_CALL,          /* in an endpoint's sender queue: the send half of call */
    WAIT_RECV,          /* in an endpoint's receiver queue */
    WAIT_REPLY,         /* a call delivered: waiting for the server's reply */
    WAIT_NOTIFY,        /* in a notification's wait queue */
    WAIT_DOOMED,        /* on no queue: the reaper will kill it (thread_doom) */
};

/* What the reaper does to a thread: kill a doomed one (DOOM_THREAD, DOOM_TASK),
 * or finish one its task's end stopped (DOOM_FINISH: free its memory). */
enum thread_doom { DOOM_NONE, DOOM_THREAD, DOOM_TASK, DOOM_FINISH };

struct task;
struct notification;

struct thread {
    struct kobject obj;
    struct task *task;
    struct list task_node;         /* on task->threads */
    uint16_t id;                   /* its kernel-stack slot: for logs and fault records */
    uint8_t state;                 /* enum thread_state */
    uint8_t priority;              /* 0..PRIORITIES-1 */
    uint8_t mcp;                   /* maximum controlled priority: what it may give others */
    uint8_t slice;                 /* ticks left of its time slice */
    uint8_t wait;                  /* enum ipc_wait, while THREAD_BLOCKED */
    struct list queue_node;        /* run queue, or the queue it waits in */
    void *waiting_on;              /* the endpoint or notification */
    uint32_t timeout;              /* ticks, for the phases of a call */
    struct list timer_node;        /* on the timer list while a timeout runs */
    uint32_t wake_tick;
    uint32_t send_badge;           /* a blocked sender's message: badge ... */
    uint8_t send_grant;            /* ... and whether it may carry a handle */
    struct thread *caller;         /* a server: the caller it owes a reply */
    struct thread *server;         /* a caller in WAIT_REPLY: who owes it one */
    struct notification *bound;    /* notification bound to it, or NULL */
    uint8_t faulting;              /* blocked in a fault call on its own behalf */
    uint8_t fault_vector;          /* the fault being delivered, as the record says */
    uint32_t fault_error, fault_cr2;
    uint8_t doom;                  /* enum thread_doom: waiting for the reaper to kill it */
    uint32_t doom_status;          /* ... with this status for its task */
    struct handle handler[2];      /* HANDLER_EXCEPTION, HANDLER_PAGER; obj NULL if none */
    struct trap_frame *tf;         /* its user registers */
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image, while not on the FPU */
    uint32_t kstack_esp;           /* saved by switch_context while not running */
    uint32_t kstack_top;
    struct utcb *utcb;             /* kernel view of its UTCB (direct map) */
    uint32_t utcb_va;              /* where its task sees the UTCB */
};

extern struct thread *current;

/* A thread of task, not started, at priority with maximum controlled priority mcp. */
enum relay_error thread_create(struct task *task, uint32_t entry, uint32_t stack,
                               uint32_t utcb_va, uint32_t priority, uint32_t mcp,
                               struct thread **out);
/* Give t a new priority and maximum (the caller checked them against its own). */
void thread_set_priority(struct thread *t, uint32_t priority, uint32_t mcp);
enum relay_error thread_start(struct thread *t);
enum relay_error thread_suspend(struct thread *t);
enum relay_error thread_resume(struct thread *t);
/* End t at once: off every queue, its partners told, its memory freed; if
 * it was its task's last thread, the task ends (TASK_STATUS_KILLED, or status). */
void thread_kill(struct thread *t);
void thread_kill_status(struct thread *t, uint32_t status);
/* For a task's end: t stops at once as thread_kill would (dead, off every
 * queue, partners told), and the reaper frees its memory later (DOOM_FINISH). */
void thread_stop(struct thread *t);
/* t (blocked on nothing) is dead from now on, and the reaper kills it:
 * DOOM_THREAD, its task ending with status if it was the last;
 * DOOM_TASK, its whole task ending with status. */
void thread_doom(struct thread *t, enum thread_doom how, uint32_t status);
/* The reaper's step: kill a doomed thread, free one whose last reference went. */
int thread_reap_step(struct thread *t, uint32_t *budget);
/* A thread killed while running: its stack is freed once the CPU is off it. */
extern struct thread *thread_dead_on_cpu;
/* Free what that thread still holds: called once the CPU is off its stack. */
void thread_reap(void);

void thread_get_regs(const struct thread *t, struct relay_regs *r);
void thread_set_regs(struct thread *t, const struct relay_regs *r);

#endif
