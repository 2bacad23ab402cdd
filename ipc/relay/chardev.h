/*
 * The character-device protocol: the console (servers/drivers/serial) and
 * the keyboard (servers/drivers/keyboard) speak it; libos' console client
 * (relay/console.h) is its client.  docs/DRIVERS.md describes the drivers.
 *
 * Requests are RPCs (libos relay/rpc.h): the label names the operation, the
 * reply's label is a relay error code, its words the results.  Bytes travel
 * in message words, four to a word, little-endian (byte i is bits
 * 8*(i%4).. of word 1 + i/4), after a count in word 0: up to
 * CHARDEV_BYTES_MAX bytes a message.
 *
 *   op      words in                 reply words            when it replies
 *   WRITE   count, bytes             count (all of them)    every byte is in the driver's
 *                                                           transmit buffer (it waits for room)
 *   READ    most, flags              count, bytes           at least one byte has arrived
 *                                                           (at once with what there is);
 *                                                           CHARDEV_NOWAIT: at once,
 *                                                           ERR_TIMEOUT if nothing has
 *   FLUSH   -                        -                      every byte written before it has
 *                                                           left the device (for the UART: its
 *                                                           transmitter is empty)
 *   INPUT   count, bytes             count taken            at once; the bytes join the input
 *                                                           as if the device had received them
 *                                                           (those that do not fit are not taken)
 *
 * Errors: ERR_INVALID (a label not listed, a message with fewer words than
 * its count needs, unknown READ flags), ERR_RANGE (a count of 0 or over
 * CHARDEV_BYTES_MAX), ERR_STATE (CHARDEV_WAITERS_MAX requests wait already:
 * try again), and ERR_NO_PARTNER from the kernel when the driver died
 * holding the request (libos retries: the manager starts a new instance on
 * the same endpoint).  A driver that has no input of its own refuses READ
 * and INPUT with ERR_INVALID.
 *
 * Bytes are passed as they are, all 256 values: no line discipline, no
 * echo, no translation of '\n' (libos' printf adds the '\r' a terminal
 * wants).  Input is kept in arrival order, whoever fed it; when the input
 * buffer is full the UART driver stops taking bytes from the device (its
 * FIFO and the line hold them) instead of dropping them.
 */
#ifndef RELAY_CHARDEV_H
#define RELAY_CHARDEV_H

#include <stdint.h>
#include "ipc.h"
#include "error.h"

/* X(name, label, what): the one list of the operations. */
#define CHARDEV_OPS(X) \
    X(CHARDEV_WRITE, 0x6301, "queue bytes for the device; waits for room") \
    X(CHARDEV_READ,  0x6302, "bytes of input; waits for the first unless CHARDEV_NOWAIT") \
    X(CHARDEV_FLUSH, 0x6303, "wait until every byte written has left the device") \
    X(CHARDEV_INPUT, 0x6304, "bytes from another driver (the keyboard) join the input")

enum chardev_op {
#define CHARDEV_OP_ENUM(name, label, what) name = label,
    CHARDEV_OPS(CHARDEV_OP_ENUM)
#undef CHARDEV_OP_ENUM
};

#define CHARDEV_BYTES_MAX  ((MSG_WORDS_MAX - 1u) * 4u)   /* 124 bytes a message */
#define CHARDEV_NOWAIT     0x1u                          /* READ flag: never wait */
#define CHARDEV_READ_FLAGS CHARDEV_NOWAIT
#define CHARDEV_WAITERS_MAX 5u   /* requests one driver keeps waiting at once */

/* Words a message of count bytes uses: the count and the bytes. */
static inline uint32_t chardev_words(uint32_t count)
{
    return 1u + (count + 3u) / 4u;
}

/* The bytes are the words' own bytes in memory, on a little-endian CPU. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "byte i is bits 8*(i%4).. of its word");

/* Pack bytes[0..count) into words[1..] (the last word's spare bytes 0) and
 * the count into words[0]. */
static inline void chardev_pack(uint32_t *words, const uint8_t *bytes, uint32_t count)
{
    words[(count + 3u) / 4u] = 0;
    words[0] = count;
    __builtin_memcpy(&words[1], bytes, count);
}

/* Unpack count bytes from words[1..] (the caller has checked the count). */
static inline void chardev_unpack(uint8_t *bytes, const uint32_t *words, uint32_t count)
{
    __builtin_memcpy(bytes, &words[1], count);
}

/* ERR_NONE if a message of length words carries a good count of bytes in words[0]. */
static inline int chardev_check(const uint32_t *words, uint32_t length)
{
    if (length < 1)
        return ERR_INVALID;
    if (words[0] == 0 || words[0] > CHARDEV_BYTES_MAX)
        return ERR_RANGE;
    if (length < chardev_words(words[0]))
        return ERR_INVALID;
    return ERR_NONE;
}

#endif
