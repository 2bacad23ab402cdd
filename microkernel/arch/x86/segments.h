/*
 * The GDT's layout and the selectors that name its entries.
 * A selector is index * 8 | TI (0: GDT) | RPL.
 */
#ifndef RELAY_SEGMENTS_H
#define RELAY_SEGMENTS_H

#define GDT_NULL         0
#define GDT_KERNEL_CODE  1
#define GDT_KERNEL_DATA  2
#define GDT_USER_CODE    3
#define GDT_USER_DATA    4
#define GDT_TSS          5   /* the TSS every ring 3 -> 0 switch loads ESP0 from */
#define GDT_DF_TSS       6   /* the #DF task's TSS, reached through a task gate */
#define GDT_ABSENT       7   /* a user data segment marked not present: loading it
                                raises #NP (or #SS for SS), so user code and the
                                fault suite can see those vectors */
#define GDT_ENTRIES      8

#define RPL_KERNEL 0
#define RPL_USER   3

#define SEL_KERNEL_CODE  ((GDT_KERNEL_CODE << 3) | RPL_KERNEL)   /* 0x08 */
#define SEL_KERNEL_DATA  ((GDT_KERNEL_DATA << 3) | RPL_KERNEL)   /* 0x10 */
#define SEL_USER_CODE    ((GDT_USER_CODE << 3) | RPL_USER)       /* 0x1b */
#define SEL_USER_DATA    ((GDT_USER_DATA << 3) | RPL_USER)       /* 0x23 */
#define SEL_TSS          (GDT_TSS << 3)                          /* 0x28 */
#define SEL_DF_TSS       (GDT_DF_TSS << 3)                       /* 0x30 */
#define SEL_ABSENT       ((GDT_ABSENT << 3) | RPL_USER)          /* 0x3b */

#endif
