/*
 * The name service, in proc (ipc/relay/names.h): names_serve answers one
 * request that came through a "names" handle (whose badge names the
 * program); names_forget drops what a process registered when it ends.
 */
#ifndef PROC_NAMES_H
#define PROC_NAMES_H

#include <relay/libos.h>

#include "process.h"           /* NAMES_BADGE: a "names" handle's badge, | the pid */

/* *m is a request from the process `who` (its pid); it becomes the reply
 * (with a handle for a lookup, which names_replied then lets go of). */
void names_serve(struct msg *m, uint32_t who);
void names_replied(struct msg *m);
void names_forget(uint32_t who);
/* Register ep (taken over) under name for process who, as NAMES_REGISTER
 * would (the pager's, from its PAGER_HELLO); an error deletes it. */
int names_add(const char *name, relay_handle ep, uint32_t who);

#endif
