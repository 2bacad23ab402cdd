/*
 * The name service's protocol (servers/proc/names.c; docs/DRIVERS.md,
 * "The name service"): servers register an endpoint under a name, and
 * clients look the name up and get a send handle to it, badged with their
 * own badge (the program proc knows them as), so that the server can tell
 * its callers apart.  proc gives every program a handle to it as the
 * startup handle "names".  Each request is an RPC in libos' convention:
 * the reply's label is a relay error code.
 *
 *   NAMES_REGISTER  (name...) + a handle (MSGINFO_HANDLE): an unbadged
 *                   send handle to the server's endpoint -> ()
 *                   ERR_STATE (the name is taken), ERR_INVALID (a bad
 *                   name, no handle, a badged one), ERR_NO_SLOT
 *                   (NAMES_MAX names registered)
 *   NAMES_LOOKUP    (name...) -> () + a handle: a copy with RIGHT_SEND |
 *                   RIGHT_GRANT and the caller's badge.  The driver
 *                   manager's services ("console", "disk", "fs", ...)
 *                   are found too.  ERR_NOT_FOUND
 *   NAMES_REMOVE    (name...) -> ()  only by whoever registered it:
 *                   ERR_NOT_FOUND, ERR_NO_RIGHTS
 *
 * A name is 1 to NAMES_NAME_MAX - 1 bytes of [a-z0-9._-], NUL-padded to
 * NAMES_NAME_WORDS words, four bytes a word, little-endian.  What a
 * program registered goes when it ends.
 */
#ifndef RELAY_NAMES_H
#define RELAY_NAMES_H

#include <stdint.h>

enum names_label {
    NAMES_REGISTER = 0xE0001u,
    NAMES_LOOKUP,
    NAMES_REMOVE,
};

#define NAMES_NAME_MAX   16u
#define NAMES_NAME_WORDS (NAMES_NAME_MAX / 4u)
#define NAMES_MAX        32u           /* names registered at once */

/* Whether name is a valid name; then its words, NUL-padded. */
static inline int names_pack(uint32_t w[NAMES_NAME_WORDS], const char *name)
{
    uint8_t *b = (uint8_t *)w;
    uint32_t n = 0;
    for (; name[n]; n++) {
        char c = name[n];
        if (n == NAMES_NAME_MAX - 1 || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
                                        || c == '_' || c == '-'))
            return 0;
    }
    for (uint32_t i = 0; i < NAMES_NAME_MAX; i++)
        b[i] = (uint8_t)(i < n ? name[i] : 0);
    return n > 0;
}

#endif
