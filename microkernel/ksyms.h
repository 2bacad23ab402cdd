/*
 * Kernel symbol names for backtraces.  The table is generated at link time
 * (tools/ksyms.sh, from the first link's `nm`) into the .ksyms section, which
 * the linker script places after everything whose address it lists.
 */
#ifndef RELAY_KSYMS_H
#define RELAY_KSYMS_H

#include <stdint.h>

/* The function containing addr and addr's offset in it, or 0 if unknown. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

#endif
