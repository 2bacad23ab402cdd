/*
 * The boot file system's client (ipc/relay/bootfs.h): the boot modules by
 * name, read-only.  proc gives every program a send handle to it as the
 * startup handle "fs" (startup_handle("fs")).  Each returns a relay error:
 * the server's (bootfs.h) or the IPC's.
 */
#ifndef LIBOS_BOOTFS_CLIENT_H
#define LIBOS_BOOTFS_CLIENT_H

#include <stdint.h>
#include <relay/bootfs.h>

/* File `index`: its name, size, and how many files there are (ERR_RANGE past the last). */
int bootfs_list(relay_handle fs, uint32_t index, char name[BOOTFS_NAME_MAX], uint32_t *size,
                uint32_t *files);
/* The file called name: its index and size (ERR_NOT_FOUND). */
int bootfs_stat(relay_handle fs, const char *name, uint32_t *index, uint32_t *size);
/* Up to count bytes of file `index` from offset into buf (any count: as many
 * requests as it takes); *got says how many (fewer at the end). */
int bootfs_read(relay_handle fs, uint32_t index, uint32_t offset, void *buf, uint32_t count,
                uint32_t *got);
/* Map the whole of file `index`, read-only, at va (page-aligned) and on:
 * ERR_NONE once every page is; *pages says how many, and the file's first
 * byte is at va + *offset (a module need not begin on a page).  Whatever
 * this task had mapped there is unmapped first (a map item's window). */
int bootfs_map(relay_handle fs, uint32_t index, uint32_t va, uint32_t *pages, uint32_t *offset);

#endif
