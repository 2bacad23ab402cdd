/*
 * The process server (ipc/relay/proc.h, docs/PROCESS.md): the process
 * table (process.h) put to work -- starting processes by image (spawn, or
 * spawn_paged once the default pager has said hello), their ends, and the
 * PROC_* requests that arrive through "proc" handles.
 */
#ifndef PROC_SERVE_H
#define PROC_SERVE_H

#include <relay/libos.h>
#include "process.h"

extern struct process_table procs;

/* proc's endpoint and its exit notification. */
void procs_init(relay_handle ep, relay_handle exits);

/* How to start a process. */
struct start {
    uint32_t ppid;                /* its parent (0: proc) */
    uint32_t pid;                 /* PROC_INIT_PID for init, else 0: the next pid */
    uint32_t image;               /* the boot image it runs */
    const char *cmdline;          /* argv, space-separated */
    uint32_t memory_pages, kernel_pages;
    uint32_t limit;               /* a child of proc: its budget's limit (process.h; others
                                     get the room their parent has left) */
    relay_handle supervisor;      /* given it, or HANDLE_NULL */
    int controls;                 /* given "drivers" (control=) */
};

/* Start a process (paged by the default pager if it said hello); *out its
 * entry.  ERR_NO_MEMORY (an ancestor's budget), ERR_NO_SLOT, spawn's. */
int procs_start(const struct start *s, struct process **out);

/* The default pager's unbadged endpoint from its PAGER_HELLO (taken over);
 * HANDLE_NULL when it has gone. */
void procs_set_pager(relay_handle ep);
relay_handle procs_pager(void);

/* Exit bits: each program process whose bit is there and whose task ended
 * ends (procs_ended: the boot ones' lines, respawns). */
void procs_exited(uint32_t bits);
/* A supervisor notice: the process whose task it names keeps the fault. */
void procs_fault(const struct fault_record *r);
/* The name of the process whose task has this id, or NULL. */
const char *procs_name_of(uint32_t task_id);

/* A request through process pid's "proc" handle: *m becomes the reply;
 * returns 0 if there is none to send (a PROC_EXEC that worked). */
int procs_request(struct msg *m, uint32_t pid);

/* main.c: a child of proc ended (a boot program, or an orphan): called
 * before its entry is freed. */
void boot_program_ended(struct process *p);
/* main.c: whether proc's command line says KEY=NAME (supervisor=, control=)
 * for boot image `image`, wherever the program is started from; and the
 * supervisor's notices back to proc (a program given them has ended). */
int proc_names_image(const char *key, uint32_t image);
void proc_supervise_again(void);

#endif
