/*
 * Typed IPC: messages on endpoints, and notifications.
 *
 * A struct msg is a whole message as libos sees it.  Words 0..3 travel in
 * registers and words 4..length-1 through the calling thread's UTCB (found
 * with utcb_self(), relay/thread.h); these functions do the packing, so a
 * caller only fills and reads the struct.  Every function returns a relay
 * error code (ERR_NONE on success), as the kernel reported it, or:
 *   ERR_TOO_LONG  length > MSG_WORDS_MAX (nothing is sent)
 *   ERR_INVALID   label > MSGINFO_LABEL_MAX (nothing is sent)
 * Timeouts are clock ticks: TIMEOUT_POLL, a count, or TIMEOUT_FOREVER.
 * When a receive fails, the message it was to fill is zeroed; a message
 * refused before it was sent (ERR_TOO_LONG, ERR_INVALID) is left as it was.
 * docs/ABI.md §3-5 has the semantics (who blocks, who gets ERR_NO_PARTNER).
 */
#ifndef LIBOS_MSG_H
#define LIBOS_MSG_H

#include <stdint.h>
#include <relay/ipc.h>

struct msg {
    uint32_t badge;               /* received: the badge of the sender's handle */
    uint32_t label;               /* 20 bits: what the message means */
    uint32_t length;              /* words used in w[] */
    uint32_t flags;               /* MSGINFO_HANDLE and MSGINFO_MAP (sent or received: the
                                     map item is in the UTCB, relay/ipc.h); MSGINFO_NOTIFY and
                                     MSGINFO_KERNEL (received: the kernel made it) */
    uint32_t w[MSG_WORDS_MAX];    /* the words; w[0] holds the bits of a notification */
    relay_handle handle;          /* with MSGINFO_HANDLE: the handle sent, or the one received */
};

/* A message of n words (n <= MSG_WORDS_MAX, else length stays 0) from an array. */
void msg_set(struct msg *m, uint32_t label, const uint32_t *words, uint32_t n);

/* Send label and words[0..n) on ep; waits for a receiver up to timeout. */
int ipc_send(relay_handle ep, uint32_t label, const uint32_t *words, uint32_t n, uint32_t timeout);
/* Send a whole message, with its handle if m->flags has MSGINFO_HANDLE. */
int ipc_send_msg(relay_handle ep, const struct msg *m, uint32_t timeout);
/* Receive on ep (or the thread's bound notification: MSGINFO_NOTIFY, bits in w[0]). */
int ipc_recv(relay_handle ep, struct msg *out, uint32_t timeout);
/* Send *m and wait for the reply, which replaces *m. */
int ipc_call(relay_handle ep, struct msg *m, uint32_t timeout);
/* Reply to the caller this thread last received a call from; never blocks. */
int ipc_reply(const struct msg *reply);
/* Reply (if someone waits for it), then receive on ep.  reply and out may be the same. */
int ipc_reply_recv(relay_handle ep, const struct msg *reply, struct msg *out, uint32_t timeout);

/* OR bits into notification n (RIGHT_SEND); never blocks. */
int notify_signal(relay_handle n, uint32_t bits);
/* Take n's bits, waiting up to timeout while they are zero (RIGHT_RECV). */
int notify_wait(relay_handle n, uint32_t *bits, uint32_t timeout);
/* Take n's bits without waiting: ERR_TIMEOUT if none were set. */
int notify_poll(relay_handle n, uint32_t *bits);
/* Bind n to thread (recv on any endpoint also returns its bits); HANDLE_NULL unbinds. */
int notify_bind(relay_handle thread, relay_handle n);

#endif
