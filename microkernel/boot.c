/*
 * Boot information: the Multiboot data read into boot_info, the frame pool
 * that never hands out what the loader gave us, and the boot banner.
 */
#include "boot.h"
#include "kprintf.h"
#include "kstring.h"
#include "panic.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/pit.h"

struct boot_info boot_info;
struct frame_pool kernel_frames;

static uint32_t frame_bitmap[FRAME_BITMAP_WORDS(DIRECT_MAX / FRAME_SIZE)];

extern const char __kernel_phys_start[], __kernel_end[];
extern const char __text_start[], __text_end[], __ro_end[], __bss_start[], __bss_end[];
extern uint64_t boot_tsc_entry;

#define LOW_MEMORY 0x100000u   /* the first MiB: BIOS data, EBDA, VGA, ROMs */

/* How far the direct map will reach: all of DIRECT_MAX until the RAM is known. */
static uint32_t loader_limit = DIRECT_MAX;

/* A loader-supplied physical pointer, usable only if the direct map covers it. */
static const void *loader_ptr(uint32_t pa, uint32_t len)
{
    if (pa == 0 || pa >= loader_limit || len > loader_limit - pa)
        return 0;
    return phys_to_virt(pa);
}

static const char *loader_string(uint32_t pa)
{
    const char *s = loader_ptr(pa, 1);
    return s ? s : "";
}

static void reserve_string(const char *s)
{
    if (*s)
        frame_pool_reserve(&kernel_frames, virt_to_phys(s), virt_to_phys(s) + strlen(s) + 1);
}

static void read_modules(const struct multiboot_info *mbi)
{
    if (!(mbi->flags & MBI_MODULES))
        return;
    const struct multiboot_module *mods =
        loader_ptr(mbi->mods_addr, mbi->mods_count * sizeof *mods);
    if (!mods)
        return;
    frame_pool_reserve(&kernel_frames, mbi->mods_addr,
                       mbi->mods_addr + mbi->mods_count * sizeof *mods);
    for (uint32_t i = 0; i < mbi->mods_count; i++) {
        const struct multiboot_module *m = &mods[i];
        if (m->end < m->start || !loader_ptr(m->start, m->end - m->start)) {
            kprintf("boot: module %u at %08x-%08x is outside the direct map: ignored\n",
                    i, m->start, m->end);
            continue;
        }
        if (boot_info.module_count == BOOT_MODULES_MAX) {
            kprintf("boot: more than %u modules: module %u ignored\n", BOOT_MODULES_MAX, i);
            continue;
        }
        struct boot_module *b = &boot_info.modules[boot_info.module_count++];
        *b = (struct boot_module){ m->start, m->end, loader_string(m->cmdline) };
        frame_pool_reserve(&kernel_frames, m->start, m->end);
        reserve_string(b->cmdline);
    }
}

void boot_read_multiboot(uint32_t magic, uint32_t mbi_phys)
{
    boot_info.tsc_entry = boot_tsc_entry;
    if (magic != MULTIBOOT_LOADER_MAGIC)
        panic("not started by a Multiboot loader (eax=%08x)", magic);
    const struct multiboot_info *mbi = loader_ptr(mbi_phys, sizeof *mbi);
    if (!mbi || !(mbi->flags & MBI_MMAP))
        panic("the loader gave no memory map");
    const uint8_t *map = loader_ptr(mbi->mmap_addr, mbi->mmap_length);
    if (!map)
        panic("the memory map at %08x is outside the direct map", mbi->mmap_addr);
    mmap_usable(map, mbi->mmap_length, DIRECT_MAX, &boot_info.ram);
    if (boot_info.ram.count == 0)
        panic("the memory map lists no usable RAM");
    boot_info.direct_top = (uint32_t)boot_info.ram.range[boot_info.ram.count - 1].end;
    loader_limit = boot_info.direct_top;      /* paging_init maps no further */
    if (!loader_ptr(mbi_phys, sizeof *mbi) || !loader_ptr(mbi->mmap_addr, mbi->mmap_length))
        panic("the Multiboot information lies outside RAM");
    boot_info.mbi = mbi;
    boot_info.cmdline = mbi->flags & MBI_CMDLINE ? loader_string(mbi->cmdline) : "";

    frame_pool_init(&kernel_frames, frame_bitmap, DIRECT_MAX / FRAME_SIZE);
    for (unsigned i = 0; i < boot_info.ram.count; i++)
        frame_pool_add(&kernel_frames, boot_info.ram.range[i].start, boot_info.ram.range[i].end);
    frame_pool_reserve(&kernel_frames, 0, LOW_MEMORY);
    frame_pool_reserve(&kernel_frames, (uint32_t)__kernel_phys_start,
                       virt_to_phys(__kernel_end));
    frame_pool_reserve(&kernel_frames, mbi_phys, mbi_phys + sizeof *mbi);
    frame_pool_reserve(&kernel_frames, mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length);
    reserve_string(boot_info.cmdline);
    read_modules(mbi);
}

static const char *mmap_type_name(uint32_t type)
{
    static const char *const names[] = {
        [1] = "available", [2] = "reserved", [3] = "ACPI reclaimable",
        [4] = "ACPI NVS", [5] = "bad RAM",
    };
    return type < sizeof names / sizeof names[0] && names[type] ? names[type] : "unknown";
}

static void print_memory_map(void)
{
    const struct multiboot_info *mbi = boot_info.mbi;
    const uint8_t *map = phys_to_virt(mbi->mmap_addr);
    struct mmap_entry e;
    uint32_t at = 0;
    bool truncated = false;
    kprintf("memory map:\n");
    while (mmap_next(map, mbi->mmap_length, &at, &e, &truncated))
        kprintf("  %016llx-%016llx %s\n", e.addr, e.addr + e.len - 1, mmap_type_name(e.type));
    if (truncated || boot_info.ram.truncated)
        kprintf("  (the map is truncated: the rest is ignored)\n");
    if (boot_info.ram.overflow)
        kprintf("  (more than %u usable ranges: the rest is ignored)\n", USABLE_MAX);
}

static uint32_t kib(uint32_t bytes) { return (bytes + 1023) / 1024; }

void boot_banner(void)
{
    uint32_t start = (uint32_t)__kernel_phys_start, end = virt_to_phys(__kernel_end);
    kprintf("\nRelay microkernel (i386)\n");
    kprintf("kernel: %08x-%08x, %u KiB (text %u KiB, rodata+symbols %u KiB, bss %u KiB)\n",
            start, end, kib(end - start), kib(__text_end - __text_start),
            kib(__ro_end - __text_end), kib(__bss_end - __bss_start));
    kprintf("command line: \"%s\"\n", boot_info.cmdline);
    print_memory_map();
    kprintf("RAM: direct map up to %08x; %u frames free (%u KiB)\n",
            boot_info.direct_top, kernel_frames.free, kernel_frames.free * 4);
    kprintf("modules: %u\n", boot_info.module_count);
    for (unsigned i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        kprintf("  %08x-%08x %u bytes \"%s\"\n", m->start, m->end, m->end - m->start, m->cmdline);
    }
    kprintf("clock: PIT at %u Hz\n", PIT_HZ);
}

/* The command line as words; returns the word starting at *at and advances. */
static const char *next_word(const char **at, unsigned *len)
{
    const char *s = *at;
    while (*s == ' ')
        s++;
    const char *w = s;
    while (*s && *s != ' ')
        s++;
    *len = (unsigned)(s - w);
    *at = s;
    return *len ? w : 0;
}

const char *boot_option(const char *key, char *buf, unsigned len)
{
    unsigned klen = strlen(key), wlen;
    const char *at = boot_info.cmdline;
    for (const char *w; (w = next_word(&at, &wlen));) {
        if (wlen <= klen || strncmp(w, key, klen) || w[klen] != '=')
            continue;
        unsigned n = wlen - klen - 1 < len - 1 ? wlen - klen - 1 : len - 1;
        memcpy(buf, w + klen + 1, n);
        buf[n] = '\0';
        return buf;
    }
    return 0;
}

int boot_flag(const char *word)
{
    unsigned len = strlen(word), wlen;
    const char *at = boot_info.cmdline;
    for (const char *w; (w = next_word(&at, &wlen));)
        if (wlen == len && !strncmp(w, word, len))
            return 1;
    return 0;
}
