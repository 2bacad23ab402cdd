/*
 * What the kernel learns at boot from the Multiboot loader, and the frame
 * pool built from it.
 */
#ifndef RELAY_BOOT_H
#define RELAY_BOOT_H

#include <stdint.h>
#include "multiboot.h"
#include "bootmem.h"

#define BOOT_MODULES_MAX 24

struct boot_module {
    uint32_t start, end;          /* physical, end exclusive */
    const char *cmdline;          /* through the direct map; "" if none */
};

struct boot_info {
    const struct multiboot_info *mbi;   /* through the direct map */
    const char *cmdline;                /* the kernel's command line; "" if none */
    struct boot_module modules[BOOT_MODULES_MAX];
    unsigned module_count;
    struct usable_ram ram;              /* from the memory map */
    uint32_t direct_top;                /* physical end of RAM the direct map covers */
    uint64_t tsc_entry;                 /* rdtsc at _start */
    uint64_t tsc_banner;                /* rdtsc when the banner is out */
};

extern struct boot_info boot_info;
extern struct frame_pool kernel_frames;

/* Read the loader's information and build kernel_frames; panics if not Multiboot. */
void boot_read_multiboot(uint32_t magic, uint32_t mbi_phys);
void boot_banner(void);

/* The value of `key=` in the kernel command line (up to the next space), or 0. */
const char *boot_option(const char *key, char *buf, unsigned len);
/* Whether the bare word is on the kernel command line. */
int boot_flag(const char *word);

#endif
