/*
 * The length of an x86 instruction, for a fault handler that resumes after
 * the instruction that faulted ("skip the div").  Pure: no system calls, so
 * host tests can run it.
 *
 * Decoded: legacy prefixes, the one-byte map, the 0F, 0F 38 and 0F 3A maps
 * (integer, system, x87, MMX, SSE to SSE4.2 and the like), ModRM, SIB,
 * displacements with 32- and 16-bit (67) addressing, immediates, and the
 * VEX (C4, C5) and EVEX (62) prefixes of maps 0F, 0F 38 and 0F 3A.
 *
 * Not decoded (length 0): opcodes no 32-bit CPU defines (D6 SALC and F1
 * INT1 are defined: length 1; 0F FF UD0 takes a ModRM, as on current CPUs),
 * AMD XOP (8F /1-/7), EVEX maps other than 1-3.  Not rejected: an opcode
 * that is invalid under VEX/EVEX is sized by the map it names.  The AMD
 * SSE4a EXTRQ/INSERTQ immediate forms (66/F2 0F 78) are sized as VMREAD.
 */
#ifndef LIBOS_INSN_H
#define LIBOS_INSN_H

#include <stddef.h>
#include <stdint.h>

#define INSN_MAX 15u   /* the longest instruction a CPU accepts, in bytes */

/* The length in bytes of the instruction at code[0..avail), decoded for 32-bit
   protected mode (default operand and address size 32), or 0 if it cannot be
   decoded (unknown opcode, or it runs past avail).  At most 15 bytes. */
unsigned insn_length(const uint8_t *code, size_t avail);

#endif
