/*
 * What each of the 256 vectors is: name, class and error-code format, from the
 * one list in vectors.def, and decoders that turn an error code into words.
 * Pure: used by the panic dump, later by fault records, and by host tests.
 */
#ifndef RELAY_VECTOR_H
#define RELAY_VECTOR_H

#include <stddef.h>
#include <stdint.h>

#define VECTOR_COUNT     256
#define EXCEPTION_COUNT  32
#define IRQ_BASE         32   /* the PICs deliver IRQ 0..15 at vectors 32..47 */
#define IRQ_COUNT        16

enum vector_class { FAULT, TRAP, ABORT, INTERRUPT };
enum error_code_format { EC_NONE, EC_ZERO, EC_SELECTOR, EC_PAGE, EC_CONTROL, EC_RAW };

enum exception_vector {
#define VECTOR(n, mnemonic, name, class, ec) VEC_##mnemonic = n,
#include "vectors.def"
#undef VECTOR
};

struct vector_info {
    const char *mnemonic;            /* "PF", "IRQ", "INT" */
    const char *name;                /* "Page Fault" */
    enum vector_class class;
    enum error_code_format error_code;
};

const struct vector_info *vector_info(unsigned vector);   /* never NULL; vector & 0xFF */
const char *vector_class_name(enum vector_class class);   /* "fault", "trap", ... */

/* Page-fault error code bits (SDM vol. 3A, 4.7). */
#define PF_PROTECTION  0x01u   /* 0: page not present; 1: protection violation */
#define PF_WRITE       0x02u
#define PF_USER        0x04u
#define PF_RESERVED    0x08u   /* a reserved bit was set in a paging entry */
#define PF_FETCH       0x10u   /* instruction fetch */

/* Selector error code bits (SDM vol. 3A, 6.13). */
#define SEL_EC_EXT     0x01u   /* an event external to the program caused it */
#define SEL_EC_IDT     0x02u   /* the index names an IDT gate */
#define SEL_EC_TI      0x04u   /* with IDT clear: LDT (1) or GDT (0) */
#define SEL_EC_INDEX(e) (((e) >> 3) & 0x1FFFu)

/*
 * Write the meaning of `error_code` for `vector` into buf (always
 * NUL-terminated when len > 0, truncated if need be); returns the length
 * the full text has, like snprintf.
 */
size_t error_code_describe(unsigned vector, uint32_t error_code, char *buf, size_t len);

#endif
