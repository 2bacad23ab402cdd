/*
 * Physical frame ownership, the exokernel's secure binding
 * (docs/ARCHITECTURE.md section 12, docs/ABI.md section 7): the kernel
 * records which task owns each frame of RAM -- or which factory holds it as
 * kernel memory -- and where each is mapped (a reverse map, its entries paid
 * for by the mapping task's factory).  A task may map a frame it owns, or
 * pass on one it has mapped itself with no more rights; the owner can
 * revoke every mapping of its frame.  The kernel's own frames (its page
 * tables, the frame table) belong to nobody.
 */
#ifndef RELAY_FRAMES_H
#define RELAY_FRAMES_H

#include <stdint.h>
#include "relay/error.h"
#include "relay/ipc.h"

#include "frametable.h"

struct task;
struct factory;

struct frame_table;
/* The frame table itself, read-only: for the invariant checker. */
const struct frame_table *memory_frame_table(void);

/* Size the frame table to the RAM found at boot. */
void memory_init(void);
/* Record that task owns the frames in [start, end) (page-aligned). */
void memory_set_owner(uint32_t start, uint32_t end, struct task *task);
int memory_owns(const struct task *task, uint32_t pa);

enum relay_error memory_map(struct task *caller, struct task *target, uint32_t va, uint32_t pa,
                            uint32_t flags);
enum relay_error memory_unmap(struct task *target, uint32_t va);
/* A mapping the kernel makes for the root task at boot (no owner check). */
enum relay_error memory_map_initial(struct task *target, uint32_t va, uint32_t pa, int writable);
/* Unmap frame pa wherever it is mapped (the caller must own it), as many
 * mappings as the budget allows: *count of them went; *done when none is left. */
enum relay_error memory_revoke(struct task *caller, uint32_t pa, uint32_t *budget, uint32_t *count,
                               int *done);
/* Make target's mapping at va writable or read-only (flags: MAP_WRITABLE or 0):
 * raising needs what map would need for the frame.  ERR_RANGE, ERR_NOT_MAPPED,
 * ERR_NOT_OWNER. */
enum relay_error memory_protect(struct task *caller, struct task *target, uint32_t va, uint32_t flags);
/* What is mapped at va in target: frame and MAP_WRITABLE, or ERR_NOT_MAPPED. */
/* A message's map item (ipc/relay/ipc.h, MSGINFO_MAP): the sender's pages
 * mapped in the receiver's window, as many as both allow and the sender
 * may pass on, in order; how many. */
uint32_t memory_map_item(struct task *sender, const struct utcb *from, struct task *receiver,
                         const struct utcb *to);
/* Whether pa is in usable RAM (not device memory). */
int memory_is_ram(uint32_t pa);
enum relay_error memory_query(struct task *target, uint32_t va, uint32_t *pa, uint32_t *flags);
enum relay_error memory_give(struct task *caller, struct task *target, uint32_t pa, uint32_t count);
/* The frames become f's, for the kernel objects made from it: the caller
 * must own them and have none mapped anywhere.  ERR_RANGE, ERR_NOT_OWNER,
 * ERR_MAPPED, ERR_DELETED (f is being destroyed), ERR_NO_MEMORY (lent on
 * too often: frametable.h); nothing moves on an error. */
enum relay_error memory_give_factory(struct task *caller, struct factory *f, uint32_t pa, uint32_t count);
/* At boot: a free frame of the kernel's becomes f's. */
void memory_fund_factory(struct factory *f, uint32_t pa);
/*
 * A task ended; the reaper takes back its memory in two stages, each a
 * budget at a time (*at says where it goes on; 1 when the stage is done):
 * the reverse-map entries of its mappings of frames others own, then the
 * frames it owned -- unmapped from every task, its own mappings of them
 * included, and back to whoever gave them (else the root task).  A
 * factory's frames go back the same way when it ends (the holder is the
 * task's or factory's address).
 */
int memory_forget_mappings(struct task *task, uint32_t *at, uint32_t *seen, uint32_t *budget);
int memory_return_frames(ft_holder task, uint32_t *at, uint32_t *budget);
/* A dead factory's page pa goes back along its frame's holders (it is mapped nowhere). */
void memory_return_page(ft_holder holder, uint32_t pa);

#endif
