/*
 * The default pager's insides: its clients, its operations and its fault
 * path.  main.c is the receive loop, table.c the table of operations,
 * requests.c and clients.c the operations, fault.c the page faults,
 * regions.c the pure bookkeeping they share.
 */
#ifndef DEFPAGER_H
#define DEFPAGER_H

#include <relay/libos.h>
#include <relay/pager_proto.h>
#include "regions.h"

#define SCRATCH_SLOT_SRC 1u              /* the frame copied from, or zeroed */
#define SCRATCH_SLOT_DST 2u              /* the frame copied to */

struct client {
    int used;
    relay_handle task;            /* RIGHT_CONTROL: map and unmap in it */
    relay_handle ep;              /* our endpoint minted with its badge (revoked when it goes) */
    struct space space;
};

extern struct client clients[PAGER_CLIENTS_MAX];
extern struct frame_holders holders;
extern relay_handle pager_ep;     /* all rights: receive, and mint badges from */
extern struct defpager_stats stats;

/* An operation: c is the badged caller (NULL for an unbadged one). */
typedef int (*pager_op_fn)(struct client *c, const struct msg *in, struct msg *reply);
pager_op_fn defpager_op(uint32_t label);

/* The badge a client's endpoint carries, and back. */
static inline uint32_t client_badge(const struct client *c)
{
    return PAGER_CLIENT_BADGE | ((uint32_t)(c - clients) + 1);
}
static inline uint32_t client_id(const struct client *c) { return (uint32_t)(c - clients); }
struct client *client_of(uint32_t badge);

/* A new client for task (taken over: deleted if this fails); *ep_out its badged endpoint. */
int client_add(relay_handle task, struct client **out);
/* Unmap and free what c holds in [lo, hi) (c's task alive). */
void client_unmap_range(struct client *c, uint32_t lo, uint32_t hi);
/* Forget c: its frames freed (exclusive ones revoked first: unmapped everywhere), handles gone. */
void client_drop(struct client *c);
/* Drop every client whose task has ended; how many went. */
uint32_t clients_reap(void);
/* A frame, reaping dead clients if none is free; 0 if there is none. */
uint32_t frame_take(void);

/* Image n of the pager's startup images, or NULL. */
const struct startup_image *pager_image(uint32_t n);
/* Whether pa is a frame of one of the pager's images (shared, never ours to free). */
int pager_image_frame(uint32_t pa);

/* The reply to a LABEL_FAULT call. */
void defpager_fault(const struct msg *in, struct msg *reply);

/* The server: say hello to the parent with the endpoint, then serve forever. */
int defpager_main(void);

int op_register(struct client *c, const struct msg *in, struct msg *reply);
int op_map_anon(struct client *c, const struct msg *in, struct msg *reply);
int op_unmap(struct client *c, const struct msg *in, struct msg *reply);
int op_sbrk(struct client *c, const struct msg *in, struct msg *reply);
int op_stack(struct client *c, const struct msg *in, struct msg *reply);
int op_duplicate(struct client *c, const struct msg *in, struct msg *reply);
int op_detach(struct client *c, const struct msg *in, struct msg *reply);
int op_image(struct client *c, const struct msg *in, struct msg *reply);
int op_stats(struct client *c, const struct msg *in, struct msg *reply);
int op_death(struct client *c, const struct msg *in, struct msg *reply);

/* A fault answered FAULT_KILL_TASK: remembered for DEATH. */
void death_record(const struct fault_record *r);

#endif
