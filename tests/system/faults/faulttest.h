/*
 * The fault suite: exceptions raised in ring 3 on purpose, delivered as
 * messages (ipc/relay/fault.h) to a handler thread of this task that records
 * each fault record and answers as the test says.  It speaks the kernel's
 * ABI directly, not libos' signal layer, to check the kernel itself.
 */
#ifndef FAULTTEST_H
#define FAULTTEST_H

#include <relay/libos.h>
#include <relay/fault.h>
#include <relay/kinfo.h>
#include "../lib/objects.h"
#include "../lib/roles.h"
#include "../lib/victim.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY    10u
#define VICTIM_PRIORITY  9u     /* runs when main waits */
#define HANDLER_PRIORITY 14u    /* takes a fault as soon as it is raised */

/* How the handler answers the next fault. */
enum answer {
    REPLY_SKIP,           /* RESUME at the victim's recorded `next` address */
    REPLY_RESUME_REGS,    /* RESUME with answer_regs as given */
    REPLY_MAP_RETRY,      /* map a fresh zeroed page at cr2, then RETRY */
    REPLY_MAP_REPLY,      /* FAULT_MAP a fresh zeroed frame: the kernel maps it and retries */
    REPLY_MAP_FOREIGN,    /* FAULT_MAP a frame this task does not own: malformed */
    REPLY_KILL_THREAD,
    REPLY_KILL_TASK,      /* with status 0x5A */
    REPLY_BAD_VERB,       /* label 77: malformed */
    REPLY_RETURN,         /* RESUME as if the faulting call returned: pop EIP off the stack */
    REPLY_SIT,            /* take it and never answer (until killed) */
    REPLY_FAULT,          /* fault while handling */
    REPLY_DIE,            /* the handler thread kills itself while handling */
};

struct fault_log {
    struct fault_record rec;      /* the last fault taken */
    uint32_t badge;
    uint32_t count;               /* faults taken */
};

extern struct fault_log fault_log;
extern enum answer answer;
extern struct fault_regs answer_regs;
extern relay_handle handler_ep;   /* the handler thread's endpoint */
extern volatile uint32_t site_at, site_next;   /* the faulting instruction and the next */

/* Make sure the handler thread runs (a test may have killed it). */
void ensure_handler(void);
extern relay_handle victim_handle;   /* the running victim's thread */

/* Run fn on a victim thread whose exception handler is handler_ep; wait
 * (up to ticks) until it returns.  Returns 1 if it finished, 0 if it died or hung. */
int run_victim(void (*fn)(void), uint32_t ticks);

/* Set this task as the supervisor and take the next notice (ERR_TIMEOUT if none). */
int take_notice(struct fault_record *rec, uint32_t ticks);


/* Raise `insn` at label 1 with the next instruction at label 2, after `setup`. */
#define RAISE(setup, insn, ...)                                                        \
    asm volatile(setup "\n\tmovl $1f, site_at\n\tmovl $2f, site_next\n1:\t" insn "\n2:\n" \
                 ::: __VA_ARGS__)

#endif
