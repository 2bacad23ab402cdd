/*
 * Starting a program whose segments the default pager pages in on demand
 * (servers/pager, PAGER_IMAGE; docs/DEFAULT_PAGER.md).
 *
 * spawn_paged() is spawn() (relay/spawn.h) with spawn_args.pager set, in
 * libos/spawn.c: the program is not loaded; spawn checks the image
 * (elf_check, for the entry point), creates the task, maps the images passed
 * on and the startup page from its own frames, then registers the child
 * with the pager whose unbadged endpoint pager_ep is (PAGER_REGISTER with
 * the child's task), asks it, through the child's badged endpoint, to page
 * image number pager_image of the pager's own images in at the segments'
 * own addresses (PAGER_IMAGE, delta 0) and to make the main stack a
 * PAGER_STACK region (STACK_SIZE below STACK_TOP, a guard page under it),
 * makes that endpoint the main thread's HANDLER_PAGER, gives the child a
 * copy of it as its startup handle "pager" (RIGHT_SEND | RIGHT_GRANT: its
 * requests, sbrk and anon_map, go through it; libos' heap uses it), keeps
 * one in struct child's pager, and starts the thread.  a->image must be
 * the same program as the pager's image pager_image (it is read here only
 * for its headers).  Text and read-only data are then the image's frames,
 * shared by every task running the program; data, bss and the stack are
 * the pager's frames, copied or zeroed on first touch.
 *
 * spawn_args.duplicate (a client's badged endpoint at the pager, instead of
 * pager) makes the child a copy of that client: no image is read; the
 * pager copies every region of the client into the new task, copy-on-write
 * (PAGER_DUPLICATE), and the child's one thread starts at spawn_args.eip
 * with esp and its UTCB at utcb (every other register 0), with the badged
 * endpoint DUPLICATE returns as HANDLER_PAGER and as "pager".  This is
 * fork, done by the process server (servers/proc, docs/PROCESS.md).
 *
 * The child's memory_pages, handles and images are as with spawn (one
 * handle fewer: "pager" takes a slot); struct child's run of frames covers
 * only its startup page, and spawn_release frees it the same way and
 * deletes the pager endpoint.  The pager frees the child's pages when it
 * finds the task ended.  Errors: spawn's, and the pager's for REGISTER,
 * IMAGE, STACK and DUPLICATE.
 */
#ifndef LIBOS_SPAWN_PAGED_H
#define LIBOS_SPAWN_PAGED_H

#include <relay/spawn.h>

int spawn_paged(const struct spawn_args *a, relay_handle pager_ep, uint32_t pager_image,
                struct child *out);

#endif
