/*
 * The boot file system's protocol: the boot modules, read-only, by name
 * (servers/bootfs; docs/DRIVERS.md, "The boot file system").
 *
 * A file is a boot module; its name is the last path part of the first
 * word of the module's command line ("build/user/hello.elf a b" is
 * "hello.elf"), and its index its place among the files.  Each request is
 * an RPC in libos' convention: the reply's label is a relay error code.
 *
 *   BOOTFS_LIST  (index)                 -> (size, files, name...)
 *                ERR_RANGE past the last file
 *   BOOTFS_STAT  (name...)               -> (index, size)
 *                ERR_NOT_FOUND; ERR_INVALID for a name not NUL-terminated
 *                within BOOTFS_NAME_MAX bytes
 *   BOOTFS_READ  (index, offset, count)  -> (bytes read, bytes...)
 *                up to BOOTFS_READ_MAX bytes; 0 at or past the end;
 *                ERR_RANGE for an index past the last, ERR_INVALID for a
 *                count over BOOTFS_READ_MAX
 *   BOOTFS_MAP   (index, first page)     -> (pages mapped, size, offset of the
 *                file's first byte in its first page), and the
 *                file's pages from `first page` on, read-only, mapped into
 *                the window the caller named in its UTCB (a map item,
 *                ipc/relay/ipc.h; the endpoint handle needs RIGHT_GRANT):
 *                at most MSG_MAP_PAGES_MAX a request.  ERR_RANGE for an
 *                index past the last or a first page past the file's.
 *
 * A name travels as words: its bytes, NUL-terminated, four to a word,
 * little-endian (bootfs_pack_name).  The bytes a READ returns travel the
 * same way.
 */
#ifndef RELAY_BOOTFS_H
#define RELAY_BOOTFS_H

#include <stdint.h>
#include "ipc.h"

enum bootfs_label {
    BOOTFS_LIST = 1,
    BOOTFS_STAT,
    BOOTFS_READ,
    BOOTFS_MAP,
};

#define BOOTFS_NAME_MAX   48u                           /* bytes of a name, its NUL included */
#define BOOTFS_NAME_WORDS (BOOTFS_NAME_MAX / 4u)
#define BOOTFS_READ_MAX   ((MSG_WORDS_MAX - 1u) * 4u)    /* 124 bytes a READ */

/* A name into words (bytes past its NUL are 0); 0 if it is too long. */
static inline int bootfs_pack_name(uint32_t *w, const char *name)
{
    uint8_t *b = (uint8_t *)w;
    uint32_t n = 0;
    while (name[n] && n < BOOTFS_NAME_MAX)
        n++;
    if (n >= BOOTFS_NAME_MAX)
        return 0;
    for (uint32_t i = 0; i < BOOTFS_NAME_MAX; i++)
        b[i] = (uint8_t)(i < n ? name[i] : 0);
    return 1;
}

#endif
