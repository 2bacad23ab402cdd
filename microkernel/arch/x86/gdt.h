/* The GDT, the kernel's TSS and the #DF task's TSS. */
#ifndef RELAY_GDT_H
#define RELAY_GDT_H

#include <stdint.h>
#include "desc.h"

/* The task register's TSS descriptor now says base and size (iomap.c). */
void gdt_move_tss(uint32_t base, uint32_t size);
extern struct tss kernel_tss;    /* ESP0 for every ring 3 -> 0 switch; #DF saves state here */
extern struct tss df_tss;        /* the #DF task */

void gdt_init(void);                 /* load the GDT, segments and the TSS */
void gdt_set_df_cr3(uint32_t cr3);   /* the #DF task runs on the kernel's page tables */

#endif
