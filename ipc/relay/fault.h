/*
 * Faults become messages (docs/ABI.md section 8).
 *
 * When a thread raises a CPU exception in ring 3, the kernel makes a call on
 * its behalf: a message labelled LABEL_FAULT, marked MSGINFO_KERNEL (which
 * no thread's message can carry: ipc.h), whose words are a struct
 * fault_record, to the thread's pager endpoint for #PF (its exception
 * endpoint if it has no pager) and to its exception endpoint for everything
 * else; the badge is that of the handle the endpoint was set with.  The
 * thread waits for the reply, whose label is the verb:
 *
 *   FAULT_RETRY        run the faulting instruction again (a pager mapped the page)
 *   FAULT_RESUME       go on with the registers in the reply: a struct
 *                      fault_regs in words 0..FAULT_REGS_WORDS-1, sanitised (see
 *                      below); a selector that is not a user one makes the
 *                      reply malformed
 *   FAULT_KILL_THREAD  end the thread
 *   FAULT_KILL_TASK    end its task, as TASK_KILLED with word 0 as the status
 *   FAULT_MAP          for #PF: map the frame in word 0 (which the handler's
 *                      task must own) at the faulting page, writable if word
 *                      1 has MAP_WRITABLE, then retry -- a pager's answer in
 *                      one call instead of map and RETRY.  A map error
 *                      (ERR_NOT_OWNER, ERR_RANGE, ERR_NO_MEMORY, ...) is the
 *                      replier's result and the thread dies (NOTICE_BAD_REPLY).
 *                      It never replaces a mapping: if the page is mapped
 *                      already the replier gets ERR_MAPPED, and the thread
 *                      retries if that mapping satisfies its fault (present,
 *                      writable for a write) or else dies (NOTICE_BAD_REPLY)
 *
 * A reply the kernel refuses is an error for the replier, whether it used
 * reply or reply_recv (which then receives nothing).
 *
 * Sanitising EFLAGS: the arithmetic flags, DF, TF and AC are the handler's
 * to set; IF is always set; IOPL, NT, VM, RF, VIF, VIP and ID are cleared.
 * CS and SS are always the user code and stack selectors.
 *
 * If the fault cannot be handled -- no handler, a handler endpoint nobody
 * receives on within FAULT_DELIVERY_TICKS, a handler that dies or faults
 * while handling, a malformed reply -- the thread is killed and the
 * supervisor (set with supervisor_set, normally the root task) receives a
 * LABEL_NOTICE message carrying the record, with `reason` saying why.  A
 * notice comes from the kernel (badge 0, MSGINFO_KERNEL) and needs no reply.
 *
 * A handler must check MSGINFO_KERNEL: the labels alone are anyone's to send.
 * LABEL_FAULT_FORWARDED is the one user message about faults: a pager
 * passing on to another pager a fault it was sent (libos' ANSWER_FORWARD),
 * the record as its words; the receiver answers with a verb as for a fault,
 * and the forwarding pager makes that its own reply.  It is the forwarder's
 * claim, to be trusted as far as whoever holds the endpoint it came through.
 */
#ifndef RELAY_FAULT_H
#define RELAY_FAULT_H

#include <stdint.h>
#include "ipc.h"

#define FAULT_RECORD_VERSION 1u
#define LABEL_FAULT   0xFFFF0u
#define LABEL_NOTICE  0xFFFF1u
#define LABEL_FAULT_FORWARDED 0xFFFF2u

#define FAULT_DELIVERY_TICKS 200u   /* 2 s for a handler to take a fault */

enum fault_verb {
    FAULT_RETRY = 1,
    FAULT_RESUME,
    FAULT_KILL_THREAD,
    FAULT_KILL_TASK,
    FAULT_MAP,
};

/* Why a notice was sent. */
enum fault_reason {
    NOTICE_NONE,                 /* in a fault message: not a notice */
    NOTICE_NO_HANDLER,           /* the thread has no handler for the vector */
    NOTICE_NOT_TAKEN,            /* nobody received the fault in time (dead, stuck, or a loop) */
    NOTICE_HANDLER_GONE,         /* the handler died or its endpoint went while it waited */
    NOTICE_HANDLER_FAULTED,      /* the thread faulted while handling another's fault */
    NOTICE_BAD_REPLY,            /* the reply's verb or registers were malformed */
    NOTICE_KILLED,               /* never sent: a kill the handler asks for needs no notice */
    NOTICE_IRQ_NOT_ACKED,        /* a driver left an interrupt unacknowledged past its line's
                                    ack_ticks: vector is 32 + the line, task and thread the
                                    driver's (the thread that bound the line), every register 0 */
};

/* Which handler thread_set_handler sets. */
enum fault_handler_kind { HANDLER_EXCEPTION, HANDLER_PAGER };

/* The fault message: message words 0..FAULT_WORDS-1. */
struct fault_record {
    uint32_t version;            /* FAULT_RECORD_VERSION */
    uint32_t vector;             /* 0..31 */
    uint32_t error_code;         /* 0 where the CPU pushes none */
    uint32_t cr2;                /* #PF: the faulting address (CR2); 0 for every other vector */
    uint32_t eip, cs, eflags, esp, ss;
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint32_t ds, es, fs, gs;
    uint32_t task, thread;       /* the kernel's ids of the faulting task and thread */
    uint32_t reason;             /* enum fault_reason: NOTICE_NONE in a fault message */
    uint32_t lost;               /* notices dropped before this one (the queue was full) */
};

#define FAULT_WORDS (sizeof(struct fault_record) / sizeof(uint32_t))
_Static_assert(FAULT_WORDS <= MSG_WORDS_MAX, "a fault record fits one message");
_Static_assert(FAULT_WORDS == 24, "the fault record's layout is ABI");

/* A FAULT_RESUME reply's words. */
struct fault_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint32_t eip, eflags;
    uint32_t ds, es, fs, gs;     /* user data selector, or a null selector */
};

#define FAULT_REGS_WORDS (sizeof(struct fault_regs) / sizeof(uint32_t))
_Static_assert(FAULT_REGS_WORDS == 14, "the resume registers' layout is ABI");

/* EFLAGS bits a handler may set in a FAULT_RESUME; IF is always set. */
#define EFLAGS_USER_SETTABLE 0x00040DD5u   /* CF PF AF ZF SF TF DF OF AC */
#define EFLAGS_USER_IF       0x00000200u

#endif
