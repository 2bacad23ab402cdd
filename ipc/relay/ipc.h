/*
 * Messages, handles and timeouts: the IPC ABI.
 *
 * A message is a label, up to MSG_WORDS_MAX words and optionally one handle.
 * Words 0..3 travel in EDX, ESI, EDI, EBP (syscall.h); words 4 and up in the
 * sending thread's UTCB, and arrive in the receiver's UTCB.  The message info
 * word (ECX) says how many words there are and what the label is:
 *
 *   31                      12 11   9    8       7       6       5        0
 *  +--------------------------+------+--------+--------+--------+----------+
 *  |          label           |  0   | KERNEL | NOTIFY | HANDLE |  length  |
 *  +--------------------------+------+--------+--------+--------+----------+
 *
 * NOTIFY and KERNEL are set only by the kernel: NOTIFY when a recv or wait
 * returns notification bits (in word 0) instead of a message, KERNEL on the
 * messages the kernel makes itself -- fault records and notices (fault.h).
 * Bits 7..11 of a sender's info word are cleared on the way, so no user
 * message can carry either mark: a receiver that sees LABEL_FAULT without
 * KERNEL is reading a user's claim.  HANDLE on send: the message carries
 * the sender's handle utcb->send_handle (the endpoint handle used must have
 * RIGHT_GRANT); on receipt: a copy arrived, its number in utcb->recv_handle.
 */
#ifndef RELAY_IPC_H
#define RELAY_IPC_H

#include <stdint.h>

#define MSG_WORDS_MAX     32u   /* words in one message */
#define MSG_REG_WORDS     4u    /* of which travel in registers */
#define MSG_MAP_PAGES_MAX 16u   /* pages one message may map (MSGINFO_MAP) */

#define MSGINFO_LENGTH_MASK 0x3Fu
#define MSGINFO_HANDLE      0x40u
#define MSGINFO_NOTIFY      0x80u
#define MSGINFO_KERNEL      0x100u
#define MSGINFO_MAP         0x200u  /* the message maps pages: see struct utcb */
#define MSGINFO_RESERVED    0xD80u  /* the kernel's: cleared in every message a thread sends */
#define MSGINFO_LABEL_SHIFT 12
#define MSGINFO_LABEL_MAX   0xFFFFFu

static inline uint32_t msginfo(uint32_t label, uint32_t length, uint32_t flags)
{
    return label << MSGINFO_LABEL_SHIFT | (flags & (MSGINFO_HANDLE | MSGINFO_MAP)) | (length & MSGINFO_LENGTH_MASK);
}
static inline uint32_t msginfo_label(uint32_t info)  { return info >> MSGINFO_LABEL_SHIFT; }
static inline uint32_t msginfo_length(uint32_t info) { return info & MSGINFO_LENGTH_MASK; }

/* Timeouts, in clock ticks (PIT_HZ a second), for calls that can block. */
#define TIMEOUT_POLL     0u           /* never block */
#define TIMEOUT_FOREVER  0xFFFFFFu    /* block until it happens */
#define TIMEOUT_MAX      0xFFFFFEu    /* the longest finite timeout */

/*
 * Handles.  A handle is a number naming a slot in the task's handle table,
 * with a generation count so that a stale number is caught:
 * bits 0..16 the slot (0 is never valid), bits 17..31 the generation
 * (1..HANDLE_GEN_MAX; a slot whose generation is used up is retired).
 * A table grows as it fills, a page of 127 handles at a time, to 1,024
 * pages (130,048 handles: slots that are multiples of 128 are never
 * issued), as far as the task's factory has memory for it.
 */
typedef uint32_t relay_handle;
#define HANDLE_NULL       0u
#define HANDLE_SLOT_BITS  17u
#define HANDLE_SLOTS      (1u << HANDLE_SLOT_BITS)     /* 131,072 */
#define HANDLE_SLOT(h)    ((h) & (HANDLE_SLOTS - 1))
#define HANDLE_GEN(h)     ((h) >> HANDLE_SLOT_BITS)
#define HANDLE_GEN_MAX    0x7FFFu

/* Rights a handle carries; a copy never has more than its source. */
#define RIGHT_SEND     0x1u   /* endpoints: send, call; notifications: signal */
#define RIGHT_RECV     0x2u   /* endpoints: recv, reply_recv; notifications: wait, bind */
#define RIGHT_GRANT    0x4u   /* endpoints: messages sent through it may carry a handle */
#define RIGHT_CONTROL  0x8u   /* tasks, threads, factories, the supervisor: create, start, kill, map... */
#define RIGHTS_ALL     0xFu

/* The thread control block's user half: one page the kernel maps for each thread. */
struct utcb {
    uint32_t mr[MSG_WORDS_MAX];   /* message words; mr[0..3] carry nothing (registers), the kernel may scribble there */
    relay_handle send_handle;     /* the handle a message with MSGINFO_HANDLE carries */
    relay_handle recv_handle;     /* set by the kernel: the handle a message brought */
    uint32_t user[16];            /* free for the thread's own use (libos keeps its TLS here) */
    /* MSGINFO_MAP on send: the sender's pages [send_map_va, + send_map_pages
     * pages) are mapped into the receiver's window, writable if send_map_flags
     * has MAP_WRITABLE and the sender could map them writable itself (as
     * map() allows); the endpoint handle needs RIGHT_GRANT.  On receipt:
     * MSGINFO_MAP is set if any page was mapped, recv_mapped says how many
     * (the window's first ones, in order; whatever the window had there is
     * unmapped first), at most MSG_MAP_PAGES_MAX and recv_map_pages. */
    uint32_t send_map_va, send_map_pages, send_map_flags;
    uint32_t recv_map_va, recv_map_pages;   /* the receiver's window: page-aligned, user space */
    uint32_t recv_mapped;                   /* set by the kernel */
};
_Static_assert(sizeof(struct utcb) <= 4096, "the UTCB is one page");

/* Registers of a suspended thread, for thread_read_regs / thread_write_regs. */
struct relay_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
    uint32_t eip, eflags;
};

/* task_status: what became of a task. */
enum task_state { TASK_ALIVE, TASK_EXITED, TASK_KILLED };
/* The status of a TASK_KILLED task: the exception vector (0..31) that killed
 * it, TASK_STATUS_KILLED when its last thread was killed with thread_kill, or
 * whatever a fault handler's FAULT_KILL_TASK reply chose (libos' signals use
 * 128 + the signal number). */
#define TASK_STATUS_KILLED 256u
#define TASK_STATUS_ORPHANED 257u   /* the task that created it ended */
#define TASK_STATUS_RECLAIMED 258u  /* the factory it was made from was destroyed */

/*
 * Thread priorities: 0 (lowest) .. THREAD_PRIORITIES - 1.  Each thread also
 * has a maximum controlled priority (seL4's MCP): the highest priority, and
 * the highest maximum, that it may give a thread it creates
 * (thread_create) or sets (thread_set_priority).  A new thread's maximum
 * is its creator's.  The root task's main thread has THREAD_PRIORITIES - 1.
 */
#define THREAD_PRIORITIES 32u

/* map flags */
#define MAP_WRITABLE 0x1u
#define MAP_UNCACHED 0x2u    /* device memory: caching off (PCD | PWT) */

/* The most frames one frame_give or factory_give may move (it is one
 * uninterrupted step). */
#define FRAME_GIVE_MAX 256u

#endif
