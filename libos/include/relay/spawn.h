/*
 * Starting a program in a new task.
 *
 * spawn() does, in order (any failure undoes what it can and returns the
 * relay error):
 *   1. checks the ELF image (elf_check: ERR_INVALID/ERR_RANGE), the
 *      command line (startup_set_args: ERR_RANGE) and the arguments
 *      (ERR_INVALID: no image, too many images, an image whose vaddr and
 *      paddr differ in page offset, a priority over 31),
 *   2. takes one contiguous run of its own frames for the child's program
 *      pages, its 64 KiB stack and its startup page, and memory_pages more
 *      in at most SPAWN_SPANS_MAX runs for the child to own (ERR_NO_MEMORY
 *      if this task has not that many frames free: a child never starts
 *      with less memory than asked; memory_pages 0 gives it none, and then
 *      it can start no thread with libos' thread_spawn, nor signal()),
 *   3. with kernel_pages, a new factory made from `factory` and given
 *      kernel_pages of this task's frames (one contiguous run): the child
 *      is made in it, and it is the child's factory, so the child and all
 *      it creates are paid for from that budget alone; then
 *      task_create(factory, exit_notification, exit_bits),
 *   4. loads the program (elf_load), maps the zeroed stack writable below
 *      STACK_TOP, maps each image passed on read-only at the same address
 *      it has here (a frame may be mapped by its owner, or read-only by a
 *      task that has it mapped: images it owns, or was given itself),
 *   5. thread_create(task, entry, STACK_TOP, UTCB_BASE, priority), then
 *      thread_set_priority(thread, priority, max_priority): the child can
 *      create no thread above max_priority (ERR_NO_RIGHTS if either is
 *      above the caller's own maximum),
 *   6. gives the child handles (handle_give): its task and main thread
 *      (RIGHT_CONTROL), the factory give_factory and the supervisor
 *      capability give_supervisor (RIGHT_CONTROL) and the endpoint parent
 *      (RIGHT_SEND | RIGHT_GRANT) if they are not HANDLE_NULL, and each of
 *      `handles` by its name (ERR_INVALID for too many, or a name too long),
 *      and this program's "console" (RIGHT_SEND) unless `handles` names
 *      one or has all STARTUP_HANDLES_MAX (relay/console.h),
 *   7. gives it the memory_pages frames of step 2 (frame_give, a run at a
 *      time), listed in its startup info's memory[],
 *   8. writes the startup page, maps it read-only at STARTUP_VADDR, and
 *      thread_start()s the main thread.
 * Frames given in step 7 are the child's even if step 8 fails; they come
 * back to this task, outside its pool, once the child is taken apart.
 * With spawn_args.pager or .duplicate the program's memory is the default
 * pager's instead: relay/spawn_paged.h.
 * A failure after step 5 kills the half-built child's thread, which ends
 * its task: exit_notification may then be signalled for a child that never
 * ran.
 *
 * The caller keeps owning the frames of the child's program, stack and
 * startup page (the run in struct child); once the child has ended and the
 * kernel has taken it apart -- its exit notification has fired: task_status
 * says TASK_EXITED or TASK_KILLED as soon as it ends, but its frames come
 * back and its mappings go only by the time the notification fires --
 * spawn_release gives them back to the caller's pool.
 */
#ifndef LIBOS_SPAWN_H
#define LIBOS_SPAWN_H

#include <stdint.h>
#include <relay/ipc.h>
#include <relay/startup.h>

struct spawn_args {
    const void *image;            /* the ELF image, readable here */
    uint32_t image_size;
    const char *cmdline;          /* argv, space-separated; argv[0] first */
    relay_handle factory;         /* creates the task (RIGHT_CONTROL) */
    relay_handle exit_notification;   /* signalled with exit_bits when the child ends, or HANDLE_NULL */
    uint32_t exit_bits;
    relay_handle give_factory;    /* copied to the child as its factory, or HANDLE_NULL */
    relay_handle parent;          /* an endpoint copied to the child as parent, or HANDLE_NULL */
    uint32_t memory_pages;        /* frames to give the child */
    uint32_t kernel_pages;        /* 0, or the budget of a factory of the child's own (step 3) */
    const struct startup_image *images;   /* images to pass on (this task's), image_count of them */
    uint32_t image_count;
    uint32_t priority;            /* of the main thread, 0..THREAD_PRIORITY_MAX */
    uint32_t max_priority;        /* its maximum controlled priority; 0: priority itself */
    relay_handle give_supervisor; /* copied to the child as its supervisor capability, or HANDLE_NULL */
    relay_handle pager;           /* HANDLE_NULL: load the program; else the default pager's
                                     endpoint, which pages it in (relay/spawn_paged.h) */
    uint32_t pager_image;         /* with pager: which of the pager's images it is */
    relay_handle duplicate;       /* HANDLE_NULL, or a client's badged endpoint at the default
                                     pager: the child is a copy of that client's memory
                                     (relay/spawn_paged.h); image is not read */
    uint32_t eip, esp, utcb;      /* with duplicate: where its thread starts, and its UTCB */
    const struct spawn_handle *handles;   /* given to the child by name (startup_handle), */
    uint32_t handle_count;                /* at most STARTUP_HANDLES_MAX */
};

/* A handle a child is given by name, a copy with these rights. */
struct spawn_handle {
    const char *name;             /* fewer than STARTUP_HANDLE_NAME characters */
    relay_handle handle;
    uint32_t rights;
};

#define SPAWN_SPANS_MAX 4   /* runs of frames a child may be given */

struct child {
    relay_handle task;            /* RIGHT_CONTROL over the child's task */
    relay_handle thread;          /* and over its main thread */
    uint32_t frames, pages;       /* the run of frames its program, stack and startup page use */
    uint32_t memory_pages;        /* frames given to it in step 7 ... */
    uint32_t span_count;          /* ... in these runs, which come back when it ends */
    relay_handle factory;         /* with kernel_pages: its own factory ... */
    uint32_t kframes, kpages;     /* ... and the run of frames given to it */
    relay_handle pager;           /* paged: its badged endpoint at the default pager (a copy is
                                     its startup handle "pager"); else HANDLE_NULL */
    struct phys_span spans[SPAWN_SPANS_MAX];
};

int spawn(const struct spawn_args *args, struct child *out);

/* After the child's exit notification: free its run of frames, take back the memory it
 * was given (the kernel returns a task's frames to their giver when it ends),
 * and delete its handles (its pager endpoint too).  With kernel_pages, its factory is revoked and
 * deleted -- the child's own handle to it too -- which ends the child if it
 * still runs (TASK_STATUS_RECLAIMED: the way to end a child whatever threads
 * it has left) and whatever it made from it, and once the kernel has taken
 * all of that apart (kernel_info_settled) its frames come back to the pool. */
int spawn_release(struct child *c);

#endif
