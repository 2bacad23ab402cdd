/*
 * The length of an x86 instruction, for a fault handler that resumes after
 * the instruction that faulted ("skip the div").  Pure: no system calls, so
 * host tests can run it.
 *
 * Decoded: legacy prefixes (any order, repeated), the one-byte map, the 0F,
 * 0F 38 and 0F 3A maps (integer, system, x87, MMX, SSE to SSE4.2, AES...),
 * ModRM, SIB, displacements under 32- and 16-bit (67) addressing,
 * immediates, and VEX (C4, C5) and EVEX (62) prefixed opcodes.
 *
 * The length is the encoding's: an opcode that raises #UD only for its
 * prefixes, its ModRM reg field or a register operand where memory is
 * wanted still has a length, so a handler can skip it as it skips UD2.
 * D6 (SALC) and F1 (INT1) are one byte; 0F FF (UD0) takes a ModRM, as on
 * current CPUs; 66/F2 0F 78 (AMD's EXTRQ/INSERTQ) carry two imm8s.
 *
 * Not decoded (length 0): opcodes no CPU from the Pentium on defines (0F 04,
 * 0F 0A, 0F 0C, 0F 24-27 (MOV TRn), 0F 36, 0F 39, 0F 3B-3F, and 0F 7A/7B
 * but under EVEX), AMD's XOP (8F /1-/7), VEX and EVEX maps other than 0F,
 * 0F 38, 0F 3A and EVEX's FP16 maps 5 and 6, and anything over 15 bytes.
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
