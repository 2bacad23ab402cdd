/*
 * Starting a program whose segments the default pager pages in on demand
 * (servers/pager, PAGER_IMAGE; docs/DEFAULT_PAGER.md).
 *
 * spawn_paged() is spawn() (relay/spawn.h) with spawn_args.pager set, in
 * libos/spawn.c: the program is not loaded; spawn
 * checks the image (elf_check, for the entry point), creates the task, maps
 * its zeroed stack, the images passed on and the startup page from its own
 * frames, then registers the child with the pager whose unbadged endpoint
 * pager_ep is (PAGER_REGISTER with the child's task), asks it, through the
 * child's badged endpoint, to page image number pager_image of the pager's
 * own images in at the segments' own addresses (PAGER_IMAGE, delta 0), makes
 * that endpoint the main thread's HANDLER_PAGER, and starts the thread.
 * a->image must be the same program as the pager's image pager_image (it is
 * read here only for its headers).  Text and read-only data are then the
 * image's frames, shared by every task running the program; data and bss
 * are the pager's frames, copied or zeroed on first touch.
 *
 * The child's memory_pages, handles and images are as with spawn; struct
 * child's run of frames covers only its stack and startup page, and
 * spawn_release frees it the same way.  The pager frees the child's pages
 * when it finds the task ended.  The child is not given its badged endpoint
 * (only its thread's HANDLER_PAGER holds it), so it cannot make requests
 * (sbrk, anon_map) as that client; heap_attach would make it a second one.
 * Errors: spawn's, and the pager's for
 * REGISTER and IMAGE.
 */
#ifndef LIBOS_SPAWN_PAGED_H
#define LIBOS_SPAWN_PAGED_H

#include <relay/spawn.h>

int spawn_paged(const struct spawn_args *a, relay_handle pager_ep, uint32_t pager_image,
                struct child *out);

#endif
