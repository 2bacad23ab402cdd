/*
 * What the Multiboot v1 loader (GRUB, or QEMU -kernel) hands the kernel, and
 * the pure parser that turns its memory map into usable RAM.
 * Layouts from the Multiboot Specification 0.6.96, section 3.3.
 */
#ifndef RELAY_MULTIBOOT_H
#define RELAY_MULTIBOOT_H

#include <stdbool.h>
#include <stdint.h>

#define MULTIBOOT_LOADER_MAGIC 0x2BADB002u   /* in EAX at entry */

#define MBI_MEMORY   (1u << 0)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODULES  (1u << 3)
#define MBI_MMAP     (1u << 6)

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;    /* KiB below 1 MiB, KiB above 1 MiB */
    uint32_t boot_device;
    uint32_t cmdline;                 /* physical address of a C string */
    uint32_t mods_count, mods_addr;   /* physical address of the module list */
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;  /* the memory map: bytes, physical address */
};

struct multiboot_module {
    uint32_t start, end;              /* physical, end exclusive */
    uint32_t cmdline;                 /* physical address of a C string */
    uint32_t reserved;
};

/* One memory-map entry as the loader lays it out; `size` excludes itself. */
struct mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

#define MMAP_AVAILABLE 1u   /* every other type is off limits */

/* A physical range [start, end); 64-bit so that the end of 4 GiB fits. */
struct phys_range {
    uint64_t start, end;
};

/*
 * Step through a raw memory map of `length` bytes.  *offset starts at 0.
 * Returns false at the end, or at an entry that is truncated or too short to
 * hold its fields (then *truncated is set).
 */
bool mmap_next(const uint8_t *map, uint32_t length, uint32_t *offset,
               struct mmap_entry *entry, bool *truncated);

#define USABLE_MAX 32   /* most usable ranges kept; more are dropped and reported */

struct usable_ram {
    struct phys_range range[USABLE_MAX];   /* sorted, disjoint, page-aligned */
    unsigned count;
    bool truncated;     /* the map ended inside an entry */
    bool overflow;      /* more ranges than USABLE_MAX: the rest were dropped */
};

/*
 * The RAM that is safe to use: every available range, rounded inward to whole
 * pages, minus every range of any other type (reserved wins where entries
 * overlap), clipped to [0, limit), sorted and merged.  Entries may come in any
 * order and overlap.
 */
void mmap_usable(const uint8_t *map, uint32_t length, uint64_t limit, struct usable_ram *out);

#endif
