/*
 * Faults as libos sees them: a decoded fault record, and handler threads
 * that answer faults with an action.
 *
 * The kernel turns a ring-3 exception into a call labelled LABEL_FAULT to
 * the faulting thread's exception endpoint (its pager for #PF, if it has
 * one) carrying a struct fault_record, and the thread waits for the reply
 * (ipc/relay/fault.h, the ABI).  libos decodes the record into a struct
 * fault -- the vector's names and class, the error code's bits, the
 * registers -- hands it to a fault_handler_fn, and turns what that returns
 * into the reply:
 *
 *   FAULT_ACTION_RETRY        run the faulting instruction again
 *   FAULT_ACTION_RESUME       go on with f->regs, as the handler left them
 *                             (e.g. f->regs.eip += f->insn_length skips a
 *                             faulting instruction; a trap's eip is already
 *                             past it)
 *   FAULT_ACTION_KILL_THREAD  end the faulting thread
 *   FAULT_ACTION_KILL_TASK    end its task: task_status says TASK_KILLED
 *                             with f->kill_status
 *
 * The handler runs on a handler thread, not on the faulting thread, which
 * waits meanwhile.  A handler that faults itself is killed by the kernel,
 * and so is the thread it was handling (NOTICE_HANDLER_FAULTED).
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
#define FAULT_HANDLERS_MAX 4              /* fault_handler_start threads in one task */
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
    uint32_t insn_length;         /* bytes of the instruction at regs.eip; 0 if unknown */
    uint32_t kill_status;         /* set by a handler returning FAULT_ACTION_KILL_TASK */
    bool forwarded;               /* LABEL_FAULT_FORWARDED: another pager's claim, not the kernel's */
};

enum fault_action {
    FAULT_ACTION_RETRY,
    FAULT_ACTION_RESUME,
    FAULT_ACTION_KILL_THREAD,
    FAULT_ACTION_KILL_TASK,
};

typedef enum fault_action (*fault_handler_fn)(struct fault *f, void *arg);

/*
 * Whether m is a message the kernel made with this label (LABEL_FAULT or
 * LABEL_NOTICE): marked MSGINFO_KERNEL, which no thread can forge, and long
 * enough to hold a record.  Anything else with those labels is a user's.
 */
bool msg_from_kernel(const struct msg *m, uint32_t label);

/*
 * Decode record r into *f (badge and insn_length 0, kill_status = the
 * vector, as the kernel would have it).  ERR_INVALID (f untouched) unless
 * r->version is FAULT_RECORD_VERSION and r->vector < FAULT_VECTORS.
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

/* The reply that carries out action for f: the verb as label, f->regs for
   RESUME, f->kill_status as word 0 for KILL_TASK. */
void fault_reply(const struct fault *f, enum fault_action action, struct msg *reply);

/*
 * Start a handler for the calling thread's faults: an endpoint (from the
 * startup factory), a thread of this task at its highest priority
 * (thread_priority_max(): above its other threads, so a fault is taken at once) that
 * runs fn on each fault, and the endpoint set as the calling thread's
 * exception handler (which takes #PF too, unless the thread has a pager).
 * Threads the caller creates afterwards inherit it (the kernel does that);
 * those it created before do not.  The handler reads the code at eip for
 * insn_length when it lies in the program image.  *endpoint_out (if not
 * NULL) gets the endpoint, to give to other threads with fault_set_handler.
 * ERR_NO_MEMORY when FAULT_HANDLERS_MAX are running, else the error of
 * endpoint_create, thread_spawn or thread_set_handler (nothing is left
 * behind then).
 */
int fault_handler_start(fault_handler_fn fn, void *arg, relay_handle *endpoint_out);

/*
 * Serve faults arriving on ep (RIGHT_RECV), of threads of any task: decode,
 * fn, reply.  The code at eip is not read (it is in another address
 * space): insn_length is 0.  Messages that are not the kernel's LABEL_FAULT get no
 * answer.  Returns only when ep becomes unusable (ERR_DELETED, a bad
 * handle), with that error.
 */
int fault_serve(relay_handle ep, fault_handler_fn fn, void *arg);

/* Make ep (RIGHT_SEND) the exception handler of thread (RIGHT_CONTROL);
   HANDLE_NULL removes it.  The kernel's error, ERR_NONE on success. */
int fault_set_handler(relay_handle thread, relay_handle ep);

#endif
