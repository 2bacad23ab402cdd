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

/* proc's endpoint, its exit notification, and each program's kernel memory (kmem=). */
void procs_init(relay_handle ep, relay_handle exits, uint32_t kernel_pages);

/* How to start a process. */
struct start {
    uint32_t ppid;                /* its parent (0: proc) */
    uint32_t pid;                 /* PROC_INIT_PID for init, else 0: the next pid */
    uint32_t image;               /* the boot image it runs */
    const char *cmdline;          /* argv, space-separated */
    uint32_t memory_pages, kernel_pages;
    uint32_t allowance;           /* a child of proc: its allowance (others get theirs from
                                     their parent: process_charge) */
    relay_handle supervisor;      /* given it, or HANDLE_NULL */
    int controls;                 /* given "drivers" (control=) */
};

/* Start a process (paged by the default pager if it said hello); *out its
 * entry.  ERR_NO_MEMORY (the parent's allowance), ERR_NO_SLOT, spawn's. */
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

#endif
