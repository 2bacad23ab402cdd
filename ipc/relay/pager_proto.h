/*
 * The default pager's request protocol (servers/pager, docs/DEFAULT_PAGER.md).
 *
 * Requests are RPCs (libos relay/rpc.h): the label names the operation, the
 * reply's label is a relay error code and its words the results.  Page
 * faults arrive on the same endpoint as LABEL_FAULT calls (fault.h) and are
 * answered with a fault verb.
 *
 * Who is calling is the badge: REGISTER (and DUPLICATE) hand back a copy of
 * the pager's endpoint minted with the client's badge; a client makes every
 * later request, and takes its page faults (HANDLER_PAGER), through it.
 * Only HELLO's answer and REGISTER work through an unbadged handle.
 *
 *   op            words in                    handle in             reply words       handle out
 *   REGISTER      -                           own task (CONTROL)    -                 badged endpoint
 *   MAP_ANON      pages, address or 0         -                     address           -
 *   UNMAP         address, pages              -                     -                 -
 *   SBRK          increment (signed bytes)    -                     old break         -
 *   STACK         top, pages                  -                     -                 -
 *   DUPLICATE     -                           child task (CONTROL)  -                 child's badged endpoint
 *   DETACH        -                           -                     -                 -
 *   STATS         -                           -                     free frames, clients, faults
 *   IMAGE         image, delta                -                     entry + delta, segments
 *
 * Errors: ERR_INVALID (a malformed request, a missing handle, an unbadged
 * caller, an address or size not page-sized), ERR_RANGE (a region would
 * overlap another or leave PAGER_USER_LOW..PAGER_USER_HIGH; a stack may
 * reach up to PAGER_STACK_HIGH), ERR_NO_MEMORY
 * (the client or region table is full, or no frame for a page table copy),
 * ERR_NOT_MAPPED (UNMAP of something that is not a whole region).
 *
 * Faults: a page of a region the client has not touched is mapped zeroed; a
 * write to a copy-on-write page copies it (or, for its last holder, makes it
 * writable); a stack region grows down to its limit.  Anything else -- a
 * page outside every region, the guard page below a stack -- kills the task
 * with PAGER_STATUS_SEGV; a fault the pager has no frame for kills it with
 * PAGER_STATUS_OOM.
 *
 * IMAGE: image is an index into the pager's own startup images (given it by
 * its parent); each PT_LOAD segment becomes a region at its vaddr + delta
 * (page-aligned delta; regions may lie from 0x00400000 up).  Read-only pages
 * wholly of file bytes are the image's own frames, mapped read-only and the
 * same in every client; other pages are private copies of their file bytes
 * (zero past p_filesz), writable iff the segment is.  A write to a read-only
 * segment kills with PAGER_STATUS_SEGV.  Errors: ERR_INVALID (no such image,
 * not an ELF executable elf_check accepts, delta unaligned), ERR_RANGE
 * (overlap), ERR_NO_MEMORY (region table full); on an error no region is kept.
 */
#ifndef RELAY_PAGER_PROTO_H
#define RELAY_PAGER_PROTO_H

#include <stdint.h>

/* X(name, label, what): the one list of the pager's operations. */
#define PAGER_OPS(X) \
    X(PAGER_REGISTER,  0x7A01, "become a client: the pager may map into the task it brings") \
    X(PAGER_MAP_ANON,  0x7A02, "a demand-zero region of N pages, where asked or where the pager likes") \
    X(PAGER_UNMAP,     0x7A03, "remove a whole region and free its frames") \
    X(PAGER_SBRK,      0x7A04, "move the heap's break by a signed number of bytes") \
    X(PAGER_STACK,     0x7A05, "a stack that grows down on faults to a limit, a guard page below") \
    X(PAGER_DUPLICATE, 0x7A06, "copy-on-write copy of the caller's regions into another task") \
    X(PAGER_DETACH,    0x7A07, "stop being a client: every page unmapped, every frame back") \
    X(PAGER_STATS,     0x7A08, "free frames, clients and faults served, for tests") \
    X(PAGER_IMAGE,     0x7A09, "page an ELF image's PT_LOAD segments into the caller, moved by a delta")

enum pager_op {
#define PAGER_OP_ENUM(name, label, what) name = label,
    PAGER_OPS(PAGER_OP_ENUM)
#undef PAGER_OP_ENUM
};

/* The pager's first call to its parent: the endpoint (RIGHT_SEND | RIGHT_GRANT) rides along. */
#define PAGER_HELLO 0x7A00u

/* Exit statuses of tasks the pager kills (FAULT_KILL_TASK), as libos' signals spell them. */
#define PAGER_STATUS_SEGV (128u + 11u)   /* SIGSEGV: outside every region, or a stack's guard page */
#define PAGER_STATUS_OOM  (128u + 9u)    /* SIGKILL: no frame left for the page */

/*
 * Where regions may lie, and the pager's own choices:
 *
 *   0xBFFFF000  PAGER_STACK_HIGH: a STACK region may lie up to here (the
 *               main stack below STARTUP_VADDR, relay/startup.h)
 *               ...
 *   0x80000000  PAGER_USER_HIGH (images start here)
 *               ...
 *   0x40000000  PAGER_ANON_BASE: MAP_ANON regions without an address, upwards
 *               ...
 *   0x20000000  PAGER_HEAP_BASE: the heap (SBRK), at most PAGER_HEAP_MAX bytes
 *               ...
 *   0x01000000  PAGER_USER_LOW (the program lies below)
 */
#define PAGER_USER_LOW   0x01000000u
#define PAGER_USER_HIGH  0x80000000u
#define PAGER_STACK_HIGH 0xBFFFF000u
#define PAGER_HEAP_BASE  0x20000000u
#define PAGER_HEAP_MAX   0x10000000u
#define PAGER_ANON_BASE  0x40000000u

/* STATS reply words. */
struct defpager_stats {
    uint32_t frames_free;         /* frames the pager has not handed out */
    uint32_t clients;             /* registered clients */
    uint32_t faults;              /* faults answered since it started */
    uint32_t copies;              /* copy-on-write copies made */
};
#define PAGER_STATS_WORDS (sizeof(struct defpager_stats) / sizeof(uint32_t))
_Static_assert(PAGER_STATS_WORDS <= 32, "the stats fit one message");

#endif
