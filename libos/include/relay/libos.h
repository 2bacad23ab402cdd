/*
 * Everything libos offers, for a program that wants it all in one line.
 * docs/LIBOS.md is the tour; each header below states its own contracts.
 * Left out: relay/frame_pool.h, the bookkeeping behind relay/memory.h.
 */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <relay/error.h>          /* ipc/: error codes */
#include <relay/ipc.h>            /* ipc/: messages, handles, rights, timeouts, the UTCB */
#include <relay/startup.h>        /* ipc/: the startup page, the address-space layout */
#include <relay/kinfo.h>          /* ipc/: kernel_info, what the kernel has in use */
#include <relay/layout.h>         /* libos' own regions: thread stacks, scratch window */
#include <relay/sys.h>            /* raw system calls, generated */
#include <relay/msg.h>            /* ipc_send/recv/call/reply, notifications */
#include <relay/object.h>         /* objects, handles, tasks, threads, memory, exit */
#include <relay/thread.h>         /* thread_spawn, utcb_self */
#include <relay/memory.h>         /* frame_alloc, the scratch window */
#include <relay/start.h>          /* startup_info(), main */
#include <relay/loader.h>         /* ELF checking and loading */
#include <relay/spawn.h>          /* spawn a program */
#include <relay/spawn_paged.h>    /* spawn a program the default pager pages in */
#include <relay/rpc.h>            /* rpc_call, rpc_serve */
#include <relay/stdio.h>          /* printf, snprintf, puts */
#include <relay/console.h>        /* the console: chardev_write/read/flush */
#include <relay/string.h>         /* mem*, str*, strerror */
#include <relay/assert.h>
#include <relay/faults.h>         /* decoded faults; answering them: fault_serve, fault_handler_start */
#include <relay/insn.h>           /* insn_length: how long an x86 instruction is */
#include <relay/pager.h>          /* user-level pagers: pager_start, pager_attach, frame helpers */
#include <relay/signal.h>         /* signal(), signal names, status_describe */
#include <relay/heap.h>           /* the default pager's client: sbrk, anon_map, image_map */
#include <relay/block_client.h>   /* the disk's client: block_attach, block_read, block_write */
#include <relay/process.h>        /* processes: fork, execv, spawnv, waitpid, kill, getpid */

#endif
