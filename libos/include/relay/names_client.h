/*
 * The name service's client (ipc/relay/names.h): proc gives every program
 * the startup handle "names".  A server registers a send handle to its
 * endpoint under a name; a client looks the name up and gets its own copy,
 * badged with the client's badge.  Each returns a relay error: the
 * service's (names.h) or the IPC's; ERR_BAD_HANDLE without "names", and
 * ERR_INVALID for a name that is not one.
 */
#ifndef LIBOS_NAMES_CLIENT_H
#define LIBOS_NAMES_CLIENT_H

#include <relay/ipc.h>
#include <relay/names.h>

/* ep: an unbadged handle to this server's endpoint (a send copy is kept). */
int name_register(const char *name, relay_handle ep);
int name_lookup(const char *name, relay_handle *out);
int name_remove(const char *name);

#endif
