/*
 * The fast-path suite (docs/ARCHITECTURE.md §11): runs on the test kernel,
 * whose kernel_check reports how often each fast path was taken and how
 * often the general path took over (relay/kinfo.h), and which boots with
 * every fast path off when its command line says `nofastpath`.
 *
 * branches.c forces each of the general path's branches and checks the
 * result and, by the counters, the path taken; differential.c runs a seeded
 * random sequence of calls, signals and faults and prints a digest of every
 * result, which tests/system/fastpath/run compares between a run with the
 * fast paths and one without.
 *
 * The pieces both use: echo-transform servers (threads of this task or a
 * role in another), a fault handler whose answer is set per fault, a victim
 * thread that raises #UD on command, and notification waiters.
 */
#ifndef FASTPATHTEST_H
#define FASTPATHTEST_H

#include <relay/libos.h>
#include "../lib/objects.h"
#include "../lib/roles.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY 10u        /* what proc gives a program's main thread */

enum { LABEL_HELLO = 1, LABEL_QUIT = 2, LABEL_WORK = 3 };

/* The counters now (and the checker's verdict: a test asserts none broken). */
struct kernel_check counters(void);
#define TAKEN(a, b, path)    ((b).fastpath_taken[path] - (a).fastpath_taken[path])
#define DECLINED(a, b, path) ((b).fastpath_declined[path] - (a).fastpath_declined[path])
/* Between counters a and b, path was declined, and never taken: the general path ran. */
#define CHECK_GENERAL_PATH(a, b, path) \
    do {                                                                                 \
        CHECK_EQ(TAKEN(a, b, path), 0);                                                  \
        CHECK(DECLINED(a, b, path) >= 1);                                                \
    } while (0)

/* Block until a thread below us has set *armed, then a little longer: it
 * runs the few instructions from there into its recv or wait as soon as
 * we block, so it is waiting when this returns. */
void settle(volatile uint32_t *armed);

/* The servers' answer to a request: a function of everything that arrived
 * (label, words, the badge, whether a handle came), 0..8 words long, so a
 * reply is long (more than MSG_REG_WORDS) about half the time. */
void transform(const struct msg *request, int handle_came, struct msg *reply);

/* A server thread on ep: answers every LABEL_WORK call with transform(),
 * deleting any handle that came; a call labelled LABEL_QUIT ends it. */
struct server {
    relay_handle ep;
    struct thread *t;
    volatile uint32_t served;
    volatile uint32_t armed;     /* set just before its first recv */
};
void server_loop(void *arg);            /* arg: struct server * */
void server_run(struct server *s);      /* the same on the calling thread */

/* A fault handler thread on ep.  Its answer to each fault, by mode:
 * REPLY_RESUME: RESUME past the ud2 with EAX = EAX * 7 + 3, every other
 * register as it was; REPLY_BAD: the same with DS a kernel selector, which
 * the kernel refuses (err gets its error; the victim dies); REPLY_KILL:
 * KILL_THREAD.  When the victim dies it signals ack with ACK_DIED. */
enum { REPLY_RESUME, REPLY_BAD, REPLY_KILL };
#define ACK_DONE 0x1u
#define ACK_DIED 0x2u
struct handler {
    relay_handle ep, ack;
    struct thread *t;
    volatile uint32_t mode, faults, vector, err;
};
void handler_loop(void *arg);           /* arg: struct handler * */

/* A victim thread: waits on cmd, raises #UD with the bits in EAX, keeps the
 * EAX its handler resumed it with in seen, signals ack ACK_DONE. */
struct victim {
    relay_handle cmd, ack;
    struct thread *t;
    volatile uint32_t seen, runs;
};
void victim_loop(void *arg);            /* arg: struct victim * */
/* Start v's thread at priority with ep as its exception handler. */
void victim_begin(struct victim *v, uint32_t priority, relay_handle ep);
/* Give v's command bits and wait for its ack (ACK_DONE or ACK_DIED). */
uint32_t victim_fault(struct victim *v, uint32_t bits);

/* A notification waiter: wakes on n, keeps the bits and counts the wakes,
 * signals ack. */
struct waiter {
    relay_handle n, ack;
    struct thread *t;
    volatile uint32_t bits, wakes;
    volatile uint32_t armed;     /* set just before its first wait */
};
void waiter_loop(void *arg);            /* arg: struct waiter * */

#endif
