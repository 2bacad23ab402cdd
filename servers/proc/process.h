/*
 * proc's process table, its pure part (host-tested in
 * tests/host/test_proc_table.c): pids, the parent/child tree, zombies,
 * orphans, the exit bits, budgets and the PROC_LIST walk.  What it does
 * with tasks and handles is in serve.c; docs/PROCESS.md is the model.
 *
 * proc itself is pid 0 and has no entry.  pids count up from 2 and are
 * never reused in a boot; pid 1 is kept for an image named "init"
 * (process_new with PROC_INIT_PID), started before any other program.
 *
 * A process's end: process_end makes it a zombie (its status and fault
 * kept) and gives its children to init, or, without a running init, to
 * proc (ppid 0).  process_reap frees the entry and gives back what it was
 * charged to its parent's allowance.
 *
 * Budgets, in frames: every process has an allowance, what it may still
 * hand to children.  A child costs `cost` frames (its kernel memory and the
 * frames it is given) and is granted, besides, half of what its parent has
 * left after paying: process_charge takes cost + that half from the
 * parent's allowance (ERR_NO_MEMORY if the allowance is less than cost),
 * the half becomes the child's allowance, and the whole comes back to the
 * parent when the child is reaped.  Children of proc (ppid 0) are charged
 * to no one: proc hands out its own frames.  An orphan's charge is
 * forgiven (its parent, reaped, was repaid in full).
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stdint.h>
#include <relay/proc.h>
#include <relay/spawn.h>

/* The badges of the handles to proc's endpoint a process is given: the kind | its pid. */
#define BADGE_PID     0x00FFFFFFu
#define PROC_BADGE    0x01000000u     /* "proc": the process server (ipc/relay/proc.h) */
#define NAMES_BADGE   0x02000000u     /* "names": the name service (ipc/relay/names.h) */
#define CONTROL_BADGE 0x04000000u     /* "drivers": the control protocol (ipc/relay/drivers.h) */

#define PROCESS_BITS 31u          /* exit bits 0..30; bit 31 is the driver manager's clock */
#define PROCESS_CMDLINE (PROC_ARGV_BYTES + 1u)

struct process {
    uint32_t pid;                 /* 0: a free slot */
    uint32_t ppid;
    uint8_t state, kind;          /* enum proc_state, enum proc_kind */
    char name[PROC_NAME_BYTES];   /* argv[0]'s last part */
    char cmdline[PROCESS_CMDLINE];   /* argv, space-separated (a fork's child gets it) */
    uint32_t image;               /* the boot image it runs (proc's and the pager's index) */
    uint32_t allowance;           /* frames it may still hand to children */
    uint32_t charged;             /* frames its parent's allowance paid for it */
    /* how it ended (a zombie): task_status's state and status, and the fault */
    uint32_t end_state, end_status;
    struct proc_fault fault;
    /* its task, and the handles proc keeps for it (serve.c) */
    struct child child;
    uint32_t task_id;             /* the id notices name it by */
    relay_handle child_note;      /* its "child" notification (proc signals it) */
    /* boot programs: proc's options for them */
    uint8_t boot, supervises, controls;
    uint32_t respawns;
};

struct process_table {
    struct process p[PROC_MAX];
    uint32_t next_pid;            /* the next pid process_new gives */
    uint32_t init_given;          /* pid 1 was given (once a boot) */
};

void process_table_init(struct process_table *t);

/* A new running process, child of ppid, with the next pid (or pid 1 if
 * pid is PROC_INIT_PID and no process has had it); NULL if PROC_MAX exist.
 * Every field but pid, ppid, state, kind and name is 0. */
struct process *process_new(struct process_table *t, uint32_t ppid, uint32_t kind,
                            const char *name, uint32_t pid);
struct process *process_find(struct process_table *t, uint32_t pid);

/* argv[0]'s last path part, NUL-padded to PROC_NAME_BYTES (cut if longer). */
void process_name(const char *argv0, char name[PROC_NAME_BYTES]);

/* The exit bit a pid's task signals, and whether pid's bit is in bits. */
static inline uint32_t process_bit(uint32_t pid) { return 1u << (pid % PROCESS_BITS); }

/* Whether `ancestor` is an ancestor of pid (a parent, its parent, ...); proc (0) is everyone's. */
int process_is_ancestor(struct process_table *t, uint32_t ancestor, uint32_t pid);

/* Charge a child of cost frames to parent (NULL: proc, no charge): ERR_NO_MEMORY
 * if the parent's allowance is less than cost; else *charged and *allowance
 * are what the child records. */
int process_charge(struct process *parent, uint32_t cost, uint32_t *charged, uint32_t *allowance);
/* Give back a charge that was made for a child that did not start. */
void process_refund(struct process *parent, uint32_t charged);

/* p ended: a zombie with this state, status and fault (vector PROC_NO_FAULT
 * if none; a fault recorded before, from a notice, is kept).  Its children
 * go to init if init runs, else to proc; returns the new parent's pid if a
 * zombie was among them (it must be told: a "child" signal), else -1. */
int process_end(struct process_table *t, struct process *p, uint32_t state, uint32_t status);

/* Free a zombie's entry and repay its parent. */
void process_reap(struct process_table *t, struct process *p);

/* For PROC_WAIT: a zombie child of parent (pid, or any with PROC_ANY) into
 * *out; ERR_NO_CHILD if parent has no such child, ERR_WOULD_BLOCK if it has
 * but none has ended. */
int process_waitable(struct process_table *t, uint32_t parent, uint32_t pid, struct process **out);

/* For PROC_LIST: the processes with pid >= cursor, by pid, up to max into
 * out[] (pid 0, proc, is listed first from cursor 0 by the caller: this
 * lists the table); returns how many, *next the cursor to go on from
 * (0 when none are left). */
uint32_t process_list(struct process_table *t, uint32_t cursor, struct process **out, uint32_t max,
                      uint32_t *next);

#endif
