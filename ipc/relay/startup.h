/*
 * How a task starts: the startup page and the user address-space layout.
 *
 * Whoever creates a task (the kernel, for the root task; libos spawn, for
 * every other) maps one read-only page at STARTUP_VADDR that tells the new
 * program its arguments, the handles it was given, the physical memory it
 * owns and the images (Multiboot modules) it can read.  The main thread
 * starts at the ELF entry with ESP = STACK_TOP and every other register 0.
 *
 *   0xFFFFFFFF +---------------------------+
 *              | kernel (supervisor only)  |
 *   0xC0000000 +---------------------------+
 *              | startup page (read-only)  |  STARTUP_VADDR = 0xBFFFF000
 *              | guard page                |
 *              | main stack, 64 KiB        |  STACK_TOP = 0xBFFFE000
 *              | ...                       |
 *   0xBF000000 | UTCBs, a page a thread    |  UTCB_BASE
 *              | the program's own: libos  |
 *              | puts its threads' stacks  |
 *   0xB0000000 | here (relay/layout.h)     |
 *              | ...                       |
 *   0xA0000000 | scratch window (libos)    |  SCRATCH_BASE
 *              | ...                       |
 *   0x80000000 | images, read-only         |  IMAGE_BASE
 *              | ...                       |
 *   0x00400000 | the program (ELF)         |  PROGRAM_BASE
 *   0x00000000 | never mapped              |
 *              +---------------------------+
 */
#ifndef RELAY_STARTUP_H
#define RELAY_STARTUP_H

#include <stdint.h>
#include "ipc.h"

#define PROGRAM_BASE   0x00400000u
#define IMAGE_BASE     0x80000000u
#define SCRATCH_BASE   0xA0000000u
#define UTCB_BASE      0xBF000000u
#define STACK_SIZE     0x00010000u
#define STACK_TOP      0xBFFFE000u
#define STARTUP_VADDR  0xBFFFF000u
#define USER_TOP       0xC0000000u   /* first address user space cannot use */

#define STARTUP_MAGIC   0x52454C59u   /* "RELY" */
#define STARTUP_VERSION 4u

#define STARTUP_ARGS_MAX    16
#define STARTUP_STRINGS     1024
#define STARTUP_RANGES_MAX  32
#define STARTUP_IMAGES_MAX  24
#define STARTUP_NAME_MAX    64

struct phys_span {
    uint32_t start, end;          /* physical, page-aligned, end exclusive */
};

struct startup_image {
    uint32_t vaddr, size;         /* mapped read-only in this task */
    uint32_t paddr;               /* where it is in physical memory (contiguous) */
    char cmdline[STARTUP_NAME_MAX];   /* the module's command line: name and arguments */
};

/* A handle given by name (NUL-terminated unless all STARTUP_HANDLE_NAME bytes are used). */
#define STARTUP_HANDLES_MAX 8
#define STARTUP_HANDLE_NAME 12
struct startup_handle {
    char name[STARTUP_HANDLE_NAME];
    relay_handle handle;
};

struct startup_info {
    uint32_t magic, version;
    relay_handle self_task;       /* RIGHT_CONTROL over this task */
    relay_handle self_thread;     /* RIGHT_CONTROL over the main thread */
    relay_handle factory;         /* may create objects; HANDLE_NULL if not given */
    relay_handle parent;          /* an endpoint to the creator, or HANDLE_NULL */
    relay_handle supervisor;      /* the supervisor capability (supervisor_set); root task only,
                                     unless it gives it on */
    uint32_t max_priority;        /* the main thread's maximum controlled priority: no thread it
                                     creates or sets may have a higher priority (ipc.h) */
    uint32_t main_utcb;           /* the main thread's UTCB */
    uint32_t argc;
    uint32_t argv[STARTUP_ARGS_MAX];        /* offsets into strings */
    char strings[STARTUP_STRINGS];
    uint32_t memory_count;                  /* frames this task owns and nothing uses yet */
    struct phys_span memory[STARTUP_RANGES_MAX];
    uint32_t image_count;
    struct startup_image images[STARTUP_IMAGES_MAX];
    uint32_t device_count;                  /* root task only: non-RAM ranges */
    struct phys_span devices[STARTUP_RANGES_MAX];
    relay_handle irq_control;     /* root task only: claims IRQ lines (irq_claim) */
    relay_handle io_control;      /* root task only: makes I/O-port ranges (ioport_create) */
    uint32_t handle_count;        /* handles its creator gave it by name: a driver's devices, */
    struct startup_handle handles[STARTUP_HANDLES_MAX];   /* the servers it may call ("console") */
};
_Static_assert(sizeof(struct startup_info) <= 4096, "the startup info is one page");

#endif
