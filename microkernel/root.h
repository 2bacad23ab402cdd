/*
 * Starting the root task: the one program the kernel starts itself
 * (docs/ARCHITECTURE.md section 13).  It is the first Multiboot module, an ELF32
 * executable; it gets all RAM the kernel does not keep, every other module
 * mapped read-only, and handles to itself and to the factory.
 */
#ifndef RELAY_ROOT_H
#define RELAY_ROOT_H

#include <stdint.h>

#define ROOT_PRIORITY 16

/* Build and start the root task; returns 0 if there is no module to start. */
int root_start(void);
/* The frame of the root task's startup page (the kernel's, mapped read-only), or 0. */
uint32_t root_startup_frame(void);

#endif
