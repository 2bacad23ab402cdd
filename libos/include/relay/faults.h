/*
 * Faults as libos sees them: a decoded fault record, and the one way to
 * answer a fault, for pagers and exception handlers alike.
 *
 * The kernel turns a ring-3 exception into a call labelled LABEL_FAULT to
 * the faulting thread's pager endpoint for #PF (its exception endpoint if
 * it has no pager) and to its exception endpoint for every other vector,
 * carrying a struct fault_record, and the thread waits for the reply
 * (ipc/relay/fault.h, the ABI).  libos decodes the record into a struct
 * fault -- the vector's names and class, the error code's bits, the
 * registers -- hands it to a fault_fn, and turns the struct fault_answer
 * the fn filled into the reply (fault_reply):
 *
 *   ANSWER_RETRY        FAULT_RETRY: run the faulting instruction again (the
 *                       fn mapped the page itself: page_map, map_protect)
 *   ANSWER_RESUME       FAULT_RESUME: go on with f->regs as the fn left them
 *                       (f->regs.eip += f->insn_length skips a faulting
 *                       instruction; a trap's eip is already past it;
 *                       EFLAGS_TF in f->regs.eflags single-steps)
 *   ANSWER_MAP          FAULT_MAP, for a #PF: the kernel maps a->frame, a
 *                       frame this task owns, at the faulting page, writable
 *                       if a->flags is MAP_WRITABLE (read-only if 0), and
 *                       retries -- map and retry in one call
 *   ANSWER_KILL_THREAD  FAULT_KILL_THREAD: end the faulting thread
 *   ANSWER_KILL_TASK    FAULT_KILL_TASK: end its task, TASK_KILLED with a->status
 *   ANSWER_FORWARD      call a->forward (another fault handler's endpoint)
 *                       with the same record, labelled LABEL_FAULT_FORWARDED,
 *                       and make its answer the reply.  The receiving loop
 *                       hands it to its fn with f->forwarded set and f->badge
 *                       that of the handle it came through: a claim, which it
 *                       may refuse.  The kernel checks a FAULT_MAP against the
 *                       task that replies -- the forwarder -- so whoever
 *                       answers a forwarded #PF with a frame must have given
 *                       it to the forwarder first (frame_give), or map it
 *                       itself and answer ANSWER_RETRY.
 *
 * The fn is called with *a = { ANSWER_KILL_TASK, .status = f->vector }:
 * left as it is, the task ends as if it had no handler.  A fn that returns
 * an error (not ERR_NONE) kills the task with FAULT_STATUS_FAILED, and so
 * does an answer that cannot be carried out (an unknown verdict, MAP flags
 * other than MAP_WRITABLE, a FORWARD whose call fails).
 *
 * The kernel may refuse a reply: a FAULT_MAP of a frame this task does not
 * own (ERR_NOT_OWNER), at a kernel address (ERR_RANGE), for a vector other
 * than #PF (ERR_INVALID), with no memory left in the task's factory for a
 * page table or reverse-map entry (ERR_NO_MEMORY); malformed
 * registers in a RESUME (ERR_INVALID).  The faulting thread then dies
 * (NOTICE_BAD_REPLY to the supervisor).  A FAULT_MAP never replaces a
 * mapping: for a page mapped already the kernel says ERR_MAPPED (the frame
 * was not used), and the thread retries if that mapping satisfies its fault,
 * else dies; to make a read-only page writable, map_protect it and answer
 * ANSWER_RETRY or ANSWER_RESUME.  struct fault_stats counts each refusal.
 *
 * One loop serves them all (fault_serve), on a thread of the caller's or on
 * one libos starts: fault_handler_start for the calling thread's exceptions,
 * pager_start (relay/pager.h) for other threads' page faults.  It answers
 * only messages the kernel made (msg_from_kernel: LABEL_FAULT marked
 * MSGINFO_KERNEL, which no thread can forge) and LABEL_FAULT_FORWARDED
 * claims; anything else -- a LABEL_FAULT without the mark, a notification --
 * gets no answer and never reaches the fn.
 *
 * f->insn_length, the length of the instruction at eip (relay/insn.h), is
 * decoded only for a fault of this task's own threads, whose code is this
 * program's, and only where eip lies in the program image; for another
 * task's fault it is 0, since the bytes at that address here are not its
 * code.  libos asks its own task id (task_id) when it starts the first
 * handler or pager thread; a program running only its own fault_serve gets
 * insn_length 0 throughout.
 *
 * The fn runs on the serving thread, not on the faulting thread, which
 * waits meanwhile.  A fn that faults while handling a fault is killed by
 * the kernel, and so is the thread it was handling (NOTICE_HANDLER_FAULTED).
 *
 * fault_decode, fault_describe, fault_vector_info and fault_reply are pure
 * (host-tested in tests/host/test_libos_faults.c).
 */
#ifndef LIBOS_FAULTS_H
#define LIBOS_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <relay/fault.h>          /* ipc/: the ABI (this header is faults.h so as not to shadow it) */
#include <relay/msg.h>

#define FAULT_VECTORS 32u                 /* exceptions: the only vectors a record carries */
#define FAULT_THREADS_MAX 8u              /* pager_start and fault_handler_start threads in one task */
#define FAULT_STATUS_FAILED (128u + 7u)   /* 128 + SIGBUS: the fn failed, or its answer could not be carried out */
#define EFLAGS_TF 0x00000100u             /* trap flag: a #DB after every instruction */

enum fault_class {
    FAULT_CLASS_FAULT,            /* eip names the faulting instruction */
    FAULT_CLASS_TRAP,             /* eip names the next instruction */
    FAULT_CLASS_ABORT,            /* no reliable return */
    FAULT_CLASS_INTERRUPT,        /* NMI: never a fault record */
};

/* What the error code of a vector holds. */
enum fault_error_format {
    FAULT_EC_NONE,                /* the CPU pushes none (the record has 0) */
    FAULT_EC_ZERO,                /* pushed, always 0 */
    FAULT_EC_SELECTOR,            /* #TS #NP #SS #GP: a segment selector, or 0 */
    FAULT_EC_PAGE,                /* #PF: the bits of struct fault_page_error */
    FAULT_EC_CONTROL,             /* #CP: a cause number */
    FAULT_EC_RAW,                 /* a number with no bit fields */
};

struct fault_vector_info {
    const char *mnemonic;         /* "PF" (the "#" is not part of it) */
    const char *name;             /* "Page Fault" */
    enum fault_class class;
    enum fault_error_format error_format;
};

/* What a vector is (Intel SDM vol. 3A table 6-1); vectors >= 32 get "??". Never NULL. */
const struct fault_vector_info *fault_vector_info(uint32_t vector);
/* "fault", "trap", "abort", "interrupt". */
const char *fault_class_name(enum fault_class class);

/* A page fault's error code, bit by bit (SDM vol. 3A 4.7). */
struct fault_page_error {
    bool protection;              /* a protection violation; false: the page was not present */
    bool write;                   /* a write; false: a read */
    bool user;                    /* in ring 3 (always, for a record) */
    bool reserved;                /* a reserved bit was set in a paging entry */
    bool fetch;                   /* an instruction fetch */
};

/* A selector error code (SDM vol. 3A 6.13). */
struct fault_selector_error {
    bool none;                    /* the code is 0: no selector is involved */
    bool external;                /* EXT: an event outside the program caused it */
    bool idt;                     /* IDT: index names an IDT gate */
    bool ldt;                     /* TI (when not idt): index is in the LDT, else the GDT */
    uint32_t index;               /* the selector's index (or the IDT vector) */
};

/* A fault, decoded. */
struct fault {
    uint32_t vector;              /* 0..31 */
    const char *mnemonic;         /* "PF" */
    const char *name;             /* "Page Fault" */
    const char *class_name;       /* "fault", "trap" or "abort" */
    enum fault_class class;
    enum fault_error_format error_format;
    uint32_t error_code;          /* as the CPU pushed it; 0 where it pushes none */
    struct fault_page_error page;         /* #PF only */
    struct fault_selector_error selector; /* selector formats only */
    uint32_t address;             /* #PF: the faulting address (CR2) */
    struct fault_regs regs;       /* at the fault; RESUME goes on with them */
    uint32_t cs, ss;              /* user code and stack selectors (RESUME keeps them) */
    uint32_t task, thread;        /* the kernel's ids of the faulting task and thread */
    uint32_t reason;              /* enum fault_reason: NOTICE_NONE unless decoded from a notice */
    uint32_t badge;               /* the badge of the handler endpoint's handle */
    uint32_t insn_length;         /* bytes of the instruction at regs.eip: this task's faults only; else 0 */
    bool forwarded;               /* LABEL_FAULT_FORWARDED: another handler's claim, not the kernel's */
};

/* What to do about a fault: each verdict is one of the kernel's verbs (FAULT_*), or FORWARD. */
enum fault_verdict {
    ANSWER_RETRY,
    ANSWER_RESUME,                /* with f->regs */
    ANSWER_MAP,                   /* frame, flags */
    ANSWER_KILL_THREAD,
    ANSWER_KILL_TASK,             /* status */
    ANSWER_FORWARD,               /* forward */
};

struct fault_answer {
    enum fault_verdict verdict;
    uint32_t frame;               /* MAP: a frame this task owns */
    uint32_t flags;               /* MAP: MAP_WRITABLE or 0 (read-only) */
    uint32_t status;              /* KILL_TASK: the task's TASK_KILLED status */
    relay_handle forward;         /* FORWARD: an endpoint (RIGHT_SEND) */
};

/* Decide about fault f by filling *a (and, for RESUME, f->regs); ERR_NONE,
   or an error to kill the task with FAULT_STATUS_FAILED. */
typedef int (*fault_fn)(struct fault *f, struct fault_answer *a, void *arg);

/* What a serving loop has done. */
struct fault_stats {
    uint32_t faults;              /* fault records taken: the kernel's and forwarded ones */
    uint32_t maps;                /* MAP replies the kernel carried out */
    uint32_t forwards;            /* answered ANSWER_FORWARD */
    uint32_t kills;               /* kill replies the kernel carried out, chosen or for a failure */
    uint32_t refused;             /* replies the kernel refused */
    int last_refusal;             /* its error for the last one */
};

/*
 * Whether m is a message the kernel made with this label (LABEL_FAULT or
 * LABEL_NOTICE): marked MSGINFO_KERNEL, which no thread can forge, and long
 * enough to hold a record.  Anything else with those labels is a user's.
 */
bool msg_from_kernel(const struct msg *m, uint32_t label);

/*
 * Decode record r into *f (badge and insn_length 0, not forwarded).
 * ERR_INVALID (f untouched) unless r->version is FAULT_RECORD_VERSION and
 * r->vector < FAULT_VECTORS.
 */
int fault_decode(const struct fault_record *r, struct fault *f);

/*
 * One line, no newline, e.g.
 *   #DE Divide Error (fault) at eip=0x00401234, error none
 *   #PF Page Fault (fault) at eip=0x00401234, address 0x00000010: not-present write user
 *   #GP General Protection (fault) at eip=0x00401234, error 0x0010: GDT index 2
 * and, for a notice, "; task T thread N: <why nobody handled it>".
 * Always NUL-terminated when len > 0; returns the length the whole line has.
 */
size_t fault_describe(const struct fault *f, char *buf, size_t len);

/*
 * The reply that carries out answer a to fault f, in *reply: the verdict's
 * verb as label, f->regs for RESUME, frame and flags for MAP, a->status
 * for KILL_TASK; FAULT_KILL_TASK with FAULT_STATUS_FAILED for an answer
 * that cannot be carried out.  Returns false, reply untouched, for
 * ANSWER_FORWARD: that reply is whatever a->forward answers.
 */
bool fault_reply(const struct fault *f, const struct fault_answer *a, struct msg *reply);

/*
 * Serve faults arriving on ep (RIGHT_RECV), of threads of any task: decode,
 * fn, reply, counting in *stats if it is not NULL.  maps, kills and refused
 * count replies to the kernel only: the answer to a forwarded fault goes to
 * the handler that forwarded it, whose own loop counts what the kernel did
 * with it.  Returns only when ep becomes unusable (ERR_DELETED, a bad
 * handle), with that error.
 */
int fault_serve(relay_handle ep, fault_fn fn, void *arg, struct fault_stats *stats);

/*
 * Start a handler for the calling thread's faults: an endpoint (from the
 * startup factory), a thread of this task at its highest priority
 * (thread_priority_max(): above its other threads, so a fault is taken at
 * once) running fault_serve on it with fn, and the endpoint set as the
 * calling thread's exception handler (which takes #PF too, unless the
 * thread has a pager).  Threads the caller creates afterwards inherit it
 * (the kernel does that); those it created before do not.  The first call
 * raises one int3 on the calling thread, which the new thread answers
 * itself (fn never sees it), to learn this task's kernel id for
 * insn_length.  *ep_out (if not NULL) gets the endpoint, to give to other
 * threads with fault_set_handler.  ERR_INVALID without fn; ERR_NO_MEMORY
 * when FAULT_THREADS_MAX run; else the error of endpoint_create
 * (ERR_BAD_HANDLE: this task has no factory), thread_spawn or
 * thread_set_handler (nothing is left behind then).
 */
int fault_handler_start(fault_fn fn, void *arg, relay_handle *ep_out);

/* The counters of the thread fault_handler_start or pager_start started on ep; NULL if none. */
const struct fault_stats *fault_stats(relay_handle ep);

/* Make ep (RIGHT_SEND) the exception handler of thread (RIGHT_CONTROL);
   HANDLE_NULL removes it.  The kernel's error, ERR_NONE on success. */
int fault_set_handler(relay_handle thread, relay_handle ep);

#endif
