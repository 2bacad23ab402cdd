/*
 * Exception fixups: a table of (faulting instruction, where to resume) pairs
 * in the .extable section.  When kernel code at a listed address faults, the
 * trap path records the fault and resumes at the fixup instead of panicking.
 * The user-memory copy helpers are built on it, and the self-tests use it to
 * raise faults in ring 0 on purpose.
 *
 *   asm("1: movl (%1), %0\n" "2:\n" EXTABLE_ENTRY("1b", "2b") ...)
 */
#ifndef RELAY_EXTABLE_H
#define RELAY_EXTABLE_H

#include <stdint.h>

#define EXTABLE_ENTRY(fault, fixup) \
    ".pushsection .extable, \"a\"\n\t.long " fault ", " fixup "\n\t.popsection\n"

struct extable_entry {
    uint32_t fault_eip;    /* the instruction that may fault */
    uint32_t fixup_eip;    /* where to go on when it does */
};

/* The fixup address for a fault at eip, or 0. */
uint32_t extable_fixup(uint32_t eip);

#endif
