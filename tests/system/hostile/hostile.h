/*
 * The hostile suite: what a ring-3 program holding a factory might try in
 * order to reach ring 0, read another task's state, forge the kernel's
 * messages, take authority it was not given or bring the kernel down.  Each
 * case must end with the documented error, or with only the offender
 * killed; the kernel goes on and leaks nothing (kernel_info before and
 * after).
 *
 * Exceptions are raised on victim threads of this task whose exception
 * handler is a recording thread here: it keeps the last fault record and
 * answers by skipping the faulting instruction (or as `answer` says).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <relay/libos.h>
#include <relay/fault.h>
#include <relay/kinfo.h>
#include "../lib/objects.h"
#include "../lib/roles.h"
#include "../lib/victim.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY    10u
#define VICTIM_PRIORITY  9u     /* runs when main waits */
#define HANDLER_PRIORITY 12u    /* takes a fault as soon as it is raised */

enum answer {
    REPLY_SKIP,           /* RESUME at site_next */
    REPLY_KILL_THREAD,
    REPLY_MAP_WRITABLE,   /* FAULT_MAP a fresh frame writable at cr2 */
    REPLY_PROTECT,        /* map_protect the page at cr2 writable, then RETRY */
};

struct fault_log {
    struct fault_record rec;      /* the last fault taken */
    uint32_t count;               /* faults taken */
    int reply_error;              /* what the last reply_recv said of the reply */
    uint32_t info;                /* the last fault message's flags (MSGINFO_KERNEL) */
};

extern struct fault_log fault_log;
extern enum answer answer;
extern volatile uint32_t site_at, site_next;

/* Run fn on a victim thread; 1 if it returned within ticks, 0 if it died or hung. */
int run_victim(void (*fn)(void), uint32_t ticks);

/* The next fault notice for the supervisor, if this task holds that role. */
int take_notice(struct fault_record *rec, uint32_t ticks);
/* Make this task the supervisor again (a test gave the role away). */
void hostile_restore_supervisor(void);

/* The test kernel's invariant checker (kernel_check): how many broken, or
 * 0 on a kernel without it (ERR_NO_SYSCALL). */
uint32_t kernel_violations(void);

/*
 * The longest non-preemptible path (kernel_check): path_reset starts the
 * meter afresh; path_report prints `BENCH longest_path_NAME N` -- guest
 * instructions when the suite runs under -icount, which `make bench` and
 * `make test` do -- and returns N (0 without the checker).  The suite keeps
 * the longest of all for invariants_hold.  With `icount` among the suite's
 * arguments each report is held to LONGEST_PATH_BOUND: no kernel entry may
 * do more than a fixed amount of work, whatever a program built.
 */
#define LONGEST_PATH_BOUND 100000u
void path_reset(void);
uint32_t path_report(const char *name);
extern uint32_t longest_path_seen;       /* the longest of every report, and since ... */
extern uint32_t longest_path_vector, longest_path_eax;   /* ... and the entry it began with */
extern int path_bounded;                 /* `icount` among the arguments: check the bound */

/* The kernel's counts match `before`: nothing was leaked, and every
 * invariant the checker knows holds. */
#define CHECK_NO_LEAK(before)                                                  \
    do {                                                                       \
        struct kernel_info after_ = kinfo();                                   \
        CHECK_EQ(kernel_violations(), 0);                                      \
        CHECK_EQ(after_.tasks, (before).tasks);                                \
        CHECK_EQ(after_.threads, (before).threads);                            \
        CHECK_EQ(after_.endpoints, (before).endpoints);                        \
        CHECK_EQ(after_.notifications, (before).notifications);                \
        CHECK_EQ(after_.frames_free, (before).frames_free);                    \
    } while (0)

/* Raise `insn` at label 1 with the next instruction at label 2, after `setup`. */
#define RAISE(setup, insn, ...)                                                        \
    asm volatile(setup "\n\tmovl $1f, site_at\n\tmovl $2f, site_next\n1:\t" insn "\n2:\n" \
                 ::: __VA_ARGS__)

#endif
