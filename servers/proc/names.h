/*
 * The name service, in proc (ipc/relay/names.h): names_serve answers one
 * request that came through a "names" handle (whose badge names the
 * program); names_forget drops what a program registered when it ends.
 */
#ifndef PROC_NAMES_H
#define PROC_NAMES_H

#include <relay/libos.h>

#define NAMES_BADGE 0x10000u      /* a "names" handle's badge: this bit | the program's badge */

/* *m is a request from the program with badge `who`; it becomes the reply
 * (with a handle for a lookup, which names_replied then lets go of). */
void names_serve(struct msg *m, uint32_t who);
void names_replied(struct msg *m);
void names_forget(uint32_t who);

#endif
