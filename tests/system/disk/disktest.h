/* The disk suite's shared parts (main.c, nodisk.c, bench.c). */
#ifndef DISKTEST_H
#define DISKTEST_H

#include <relay/libos.h>
#include <relay/block_client.h>
#include "../lib/utest.h"
#include "pattern.h"

extern struct block_client disk;                 /* the suite's client of the driver */
extern uint8_t buf[BLOCK_BUFFER_MAX];            /* its buffer, page-aligned */

/* A request as the driver answers it, past libos' client: label and words 0..2. */
int block_raw(uint32_t label, uint32_t lba, uint32_t count, uint32_t offset);

#endif
