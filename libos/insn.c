/*
 * x86 instruction lengths for 32-bit protected mode: see relay/insn.h.
 *
 * An instruction is: legacy prefixes, an opcode (one byte, or 0F then one,
 * or 0F 38 / 0F 3A then one, or a VEX/EVEX prefix then one), an optional
 * ModRM byte with its SIB byte and displacement, and immediates.  Each opcode
 * map is a table of what follows the opcode byte; the code only adds up the
 * sizes, and reads the bytes (ModRM, SIB, VEX payload) that change them.
 */
#include <relay/insn.h>

/* What follows an opcode byte. */
enum insn_attr {
    A_MODRM   = 1 << 0,   /* a ModRM byte, and the SIB byte and displacement it asks for */
    A_IMM8    = 1 << 1,   /* an 8-bit immediate (or rel8) */
    A_IMM16   = 1 << 2,   /* a 16-bit immediate (RET imm16, ENTER, a far pointer's selector) */
    A_IMMZ    = 1 << 3,   /* an immediate (or rel) of the operand size: 4 bytes, 2 under 66 */
    A_MOFFS   = 1 << 4,   /* a memory offset of the address size: 4 bytes, 2 under 67 */
    A_TEST    = 1 << 5,   /* group 3: the immediate is there only for /0 and /1 (TEST) */
    A_REGONLY = 1 << 6,   /* ModRM names registers whatever its mod (MOV CRn/DRn) */
    A_POP     = 1 << 7,   /* only /0 (POP r/m) is decoded: 8F /1-/7 is AMD's XOP prefix */
    A_VEX     = 1 << 8,   /* before a register-form ModRM: the VEX (C4 C5) or EVEX (62) prefix */
    A_PREFIX  = 1 << 9,   /* a legacy prefix */
    A_BAD     = 1 << 10,  /* undefined on every CPU from the Pentium on: not decoded */
    A_ESCAPE  = 1 << 11,  /* an escape: the opcode byte comes from the map in bits 12-13 */
    A_SSE4A   = 1 << 14,  /* 0F 78: under 66 or F2, AMD's EXTRQ/INSERTQ, with two imm8s */
};
#define A_IMMEDIATES (A_IMM8 | A_IMM16 | A_IMMZ)

/* The opcode maps, numbered as the map field of VEX and EVEX numbers them
   (maps 5 and 6 are EVEX's, for AVX512-FP16; 4 and 7 are 64-bit only). */
enum insn_map { MAP_PRIMARY = 0, MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3, MAP_5 = 5, MAP_6 = 6 };
#define ESCAPE_TO(map)    (A_ESCAPE | (map) << 12)
#define ESCAPE_MAP(attr)  ((enum insn_map)((attr) >> 12))

#define PREFIX_OPSIZE   0x66   /* operand size 16 */
#define PREFIX_ADDRSIZE 0x67   /* address size 16 */
#define PREFIX_REPNE    0xF2   /* also a mandatory prefix, choosing an SSE opcode */

/* The table entries, short so that a row of 16 fits a line. */
#define NO  0                             /* the opcode byte alone */
#define UD  A_BAD
#define P   A_PREFIX
#define B   A_IMM8
#define W   A_IMM16
#define Z   A_IMMZ
#define O   A_MOFFS
#define WB  (A_IMM16 | A_IMM8)            /* ENTER imm16, imm8 */
#define WZ  (A_IMM16 | A_IMMZ)            /* a far pointer ptr16:32 (ptr16:16 under 66) */
#define M   A_MODRM
#define MB  (A_MODRM | A_IMM8)
#define MZ  (A_MODRM | A_IMMZ)
#define MR  (A_MODRM | A_REGONLY)
#define MP  (A_MODRM | A_POP)
#define MV  (A_MODRM | A_VEX)
#define MX  (A_MODRM | A_SSE4A)
#define TB  (A_MODRM | A_TEST | A_IMM8)   /* F6: TEST r/m8, imm8 or NOT/NEG/MUL/DIV... */
#define TZ  (A_MODRM | A_TEST | A_IMMZ)   /* F7: the same at the operand size */
#define E0F ESCAPE_TO(MAP_0F)
#define E38 ESCAPE_TO(MAP_0F38)
#define E3A ESCAPE_TO(MAP_0F3A)

/* The one-byte map (Intel SDM vol. 2, table A-2).  D6 is SALC and F1 INT1,
   both defined on Intel CPUs; D8-DF are x87, all with a ModRM; 62, C4 and
   C5 are also the EVEX and VEX prefixes. */
static const uint16_t primary[256] = {
/*         0   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F  */
/* 0x */   M,  M,  M,  M,  B,  Z,  NO, NO, M,  M,  M,  M,  B,  Z,  NO, E0F, /* ADD OR */
/* 1x */   M,  M,  M,  M,  B,  Z,  NO, NO, M,  M,  M,  M,  B,  Z,  NO, NO,  /* ADC SBB */
/* 2x */   M,  M,  M,  M,  B,  Z,  P,  NO, M,  M,  M,  M,  B,  Z,  P,  NO,  /* AND SUB ES CS */
/* 3x */   M,  M,  M,  M,  B,  Z,  P,  NO, M,  M,  M,  M,  B,  Z,  P,  NO,  /* XOR CMP SS DS */
/* 4x */   NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO,  /* INC DEC */
/* 5x */   NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO,  /* PUSH POP */
/* 6x */   NO, NO, MV, M,  P,  P,  P,  P,  Z,  MZ, B,  MB, NO, NO, NO, NO,  /* BOUND FS GS 66 67 */
/* 7x */   B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,  B,   /* Jcc rel8 */
/* 8x */   MB, MZ, MB, MB, M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  MP,  /* group 1 TEST MOV LEA */
/* 9x */   NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, WZ, NO, NO, NO, NO, NO,  /* XCHG CALLF */
/* Ax */   O,  O,  O,  O,  NO, NO, NO, NO, B,  Z,  NO, NO, NO, NO, NO, NO,  /* MOV moffs, strings */
/* Bx */   B,  B,  B,  B,  B,  B,  B,  B,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,   /* MOV r, imm */
/* Cx */   MB, MB, W,  NO, MV, MV, MB, MZ, WB, NO, W,  NO, NO, B,  NO, NO,  /* shifts RET LES LDS ENTER INT */
/* Dx */   M,  M,  M,  M,  B,  B,  NO, NO, M,  M,  M,  M,  M,  M,  M,  M,   /* shifts AAM AAD x87 */
/* Ex */   B,  B,  B,  B,  B,  B,  B,  B,  Z,  Z,  WZ, B,  NO, NO, NO, NO,  /* LOOP IN OUT CALL JMP */
/* Fx */   P,  NO, P,  P,  NO, NO, TB, TZ, NO, NO, NO, NO, NO, NO, M,  M,   /* LOCK REP group 3 4 5 */
};

/* The two-byte map, after 0F (SDM table A-3).  0F 0F is 3DNow!, whose
   opcode comes last, as an imm8; 0F A6/A7 are VIA's PadLock; 0F 24/26
   (MOV TRn) went with the 486. */
static const uint16_t secondary[256] = {
/*         0   1   2   3   4   5   6   7   8   9   A   B   C   D   E   F  */
/* 0x */   M,  M,  M,  M,  UD, NO, NO, NO, NO, NO, UD, NO, UD, M,  NO, MB,  /* groups 6 7, UD2 */
/* 1x */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* SSE moves, hint NOPs */
/* 2x */   MR, MR, MR, MR, UD, UD, UD, UD, M,  M,  M,  M,  M,  M,  M,  M,   /* MOV CR DR, SSE */
/* 3x */   NO, NO, NO, NO, NO, NO, UD, NO, E38,UD, E3A,UD, UD, UD, UD, UD,  /* WRMSR RDTSC SYSENTER */
/* 4x */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* CMOVcc */
/* 5x */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* SSE arithmetic */
/* 6x */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* MMX/SSE2 unpack, MOVD */
/* 7x */   MB, MB, MB, MB, M,  M,  M,  NO, MX, M,  UD, UD, M,  M,  M,  M,   /* PSHUF shifts EMMS VMREAD */
/* 8x */   Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,  Z,   /* Jcc rel32 */
/* 9x */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* SETcc */
/* Ax */   NO, NO, NO, M,  MB, M,  M,  M,  NO, NO, NO, M,  MB, M,  M,  M,   /* CPUID BT SHLD PadLock group 15 */
/* Bx */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  MB, M,  M,  M,  M,  M,   /* CMPXCHG MOVZX POPCNT group 8 */
/* Cx */   M,  M,  MB, M,  MB, MB, MB, M,  NO, NO, NO, NO, NO, NO, NO, NO,  /* XADD CMPPS group 9 BSWAP */
/* Dx */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* MMX/SSE2 */
/* Ex */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* MMX/SSE2 */
/* Fx */   M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M,   /* MMX/SSE2, UD0 */
};

/* What follows an opcode byte of a map.  The other maps are uniform: every
   0F 38 opcode has a ModRM and no immediate, every 0F 3A opcode a ModRM and
   an imm8 (SDM tables ), every map 5 and 6 opcode a ModRM alone. */
static uint16_t map_attr(enum insn_map map, uint8_t op)
{
    switch (map) {
    case MAP_PRIMARY: return primary[op];
    case MAP_0F:      return secondary[op];
    case MAP_0F38:    return A_MODRM;
    case MAP_0F3A:    return A_MODRM | A_IMM8;
    case MAP_5:
    case MAP_6:       return A_MODRM;
    }
    return A_BAD;
}

/* The VEX and EVEX prefixes: the payload bytes after the prefix byte, the
   bits of the first that give the map (none: the map is 0F), and the maps
   that may be given, a bit each. */
static const struct vex_form {
    uint8_t prefix;
    uint8_t payload;
    uint8_t map_bits;
    uint8_t maps;
} vex_forms[] = {
    { 0xC5, 1, 0x00, 1 << MAP_0F },                  /* C5 [R vvvv L pp] */
    { 0xC4, 2, 0x1F, 1 << MAP_0F | 1 << MAP_0F38 | 1 << MAP_0F3A },
                                                     /* C4 [R X B mmmmm] [W vvvv L pp] */
    { 0x62, 3, 0x07, 1 << MAP_0F | 1 << MAP_0F38 | 1 << MAP_0F3A | 1 << MAP_5 | 1 << MAP_6 },
                                                     /* 62 [R X B R' 0 mmm] [W vvvv 1 pp] [z L'L b V' aaa] */
};

/* The opcode after the VEX/EVEX prefix byte code[*n - 1]; *n moves past it. */
static uint16_t vex_opcode(const uint8_t *code, size_t limit, size_t *n)
{
    const struct vex_form *form = NULL;
    for (size_t i = 0; i < sizeof vex_forms / sizeof vex_forms[0]; i++)
        if (vex_forms[i].prefix == code[*n - 1])
            form = &vex_forms[i];
    if (!form || *n + form->payload >= limit)
        return A_BAD;
    enum insn_map map = form->map_bits ? code[*n] & form->map_bits : MAP_0F;
    *n += form->payload;
    if (!(form->maps >> map & 1))
        return A_BAD;
    uint16_t attr = map_attr(map, code[(*n)++]);
    if (attr & (A_BAD | A_ESCAPE))
        return A_MODRM;                          /* one legacy lacks, as EVEX 0F 7A/7B */
    return attr & (A_MODRM | A_IMM8);            /* every VEX immediate is an imm8 */
}

/* The attributes of the opcode at code[*n], through escapes and VEX/EVEX;
   *n moves past the opcode byte. */
static uint16_t read_opcode(const uint8_t *code, size_t limit, size_t *n)
{
    if (*n >= limit)
        return A_BAD;
    uint16_t attr = primary[code[(*n)++]];
    if (attr & A_VEX && *n < limit && code[*n] >> 6 == 3)
        return vex_opcode(code, limit, n);       /* LES, LDS, BOUND need a memory operand */
    while (attr & A_ESCAPE) {
        if (*n >= limit)
            return A_BAD;
        attr = map_attr(ESCAPE_MAP(attr), code[(*n)++]);
    }
    return attr;
}

/* Displacement sizes by ModRM mod (0-2), for 32- and 16-bit addressing. */
static const uint8_t disp32_size[3] = { 0, 1, 4 };
static const uint8_t disp16_size[3] = { 0, 1, 2 };

/* The bytes after the ModRM byte code[at] (SIB, displacement).  A SIB byte
   past limit is counted, not read: the caller finds the length too long. */
static size_t modrm_tail(const uint8_t *code, size_t limit, size_t at, int addr16)
{
    unsigned mod = code[at] >> 6, rm = code[at] & 7;
    if (mod == 3)
        return 0;                                /* a register */
    if (addr16)                                  /* [bx+si] ... [bx]; mod 0 rm 6 is [disp16] */
        return mod == 0 && rm == 6 ? 2 : disp16_size[mod];
    size_t sib = rm == 4;
    if (sib && at + 1 < limit)
        rm = code[at + 1] & 7;                   /* the SIB base stands for rm */
    return sib + (mod == 0 && rm == 5 ? 4 : disp32_size[mod]);   /* [disp32], no base */
}

unsigned insn_length(const uint8_t *code, size_t avail)
{
    size_t limit = avail < INSN_MAX ? avail : INSN_MAX;
    size_t n = 0;
    int op16 = 0, addr16 = 0, repne = 0;
    while (n < limit && primary[code[n]] & A_PREFIX) {
        op16 |= code[n] == PREFIX_OPSIZE;
        addr16 |= code[n] == PREFIX_ADDRSIZE;
        repne |= code[n] == PREFIX_REPNE;
        n++;
    }
    uint16_t attr = read_opcode(code, limit, &n);
    if (attr & A_BAD)
        return 0;
    if (attr & A_SSE4A && (op16 || repne))
        attr |= A_IMM16;                         /* imm8, imm8 */
    if (attr & A_MODRM) {
        if (n >= limit)
            return 0;
        unsigned reg = code[n] >> 3 & 7;
        if (attr & A_POP && reg != 0)
            return 0;                            /* XOP */
        if (attr & A_TEST && reg > 1)
            attr &= ~A_IMMEDIATES;               /* NOT NEG MUL IMUL DIV IDIV */
        n += 1 + (attr & A_REGONLY ? 0 : modrm_tail(code, limit, n, addr16));
    }
    n += (attr & A_IMM8 ? 1 : 0) + (attr & A_IMM16 ? 2 : 0);
    n += attr & A_IMMZ ? (op16 ? 2 : 4) : 0;
    n += attr & A_MOFFS ? (addr16 ? 2 : 4) : 0;
    return n <= limit ? (unsigned)n : 0;
}
