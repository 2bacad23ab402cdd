/* The kernel's loader for the root task: see root.h. */
#include "root.h"
#include "boot.h"
#include "factory.h"
#include "fault.h"
#include "kprintf.h"
#include "kstring.h"
#include "frames.h"
#include "ioport.h"
#include "irq.h"
#include "panic.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"
#include "relay/elf.h"
#include "relay/exit.h"
#include "relay/startup.h"

/* The root factory gets an eighth of the free RAM, between 4 and 32 MiB. */
#define ROOT_FACTORY_MIN (4u << 20)
#define ROOT_FACTORY_MAX (32u << 20)

static struct startup_info *info;      /* the root's startup page, kernel view */

/* The root factory's frames: the lowest free ones, after the kernel's own. */
static void fund_root_factory(void)
{
    uint32_t bytes = kernel_frames.free * FRAME_SIZE / 8, pa;
    bytes = bytes < ROOT_FACTORY_MIN ? ROOT_FACTORY_MIN : bytes > ROOT_FACTORY_MAX ? ROOT_FACTORY_MAX : bytes;
    kmem_factory_init(&root_factory);
    for (uint32_t n = bytes / FRAME_SIZE; n && frame_alloc(&kernel_frames, &pa) == ERR_NONE; n--)
        memory_fund_factory(&root_factory, pa);
}

/* Give the root task every free frame left, top down. */
static void give_root_memory(struct task *root)
{
    struct phys_span *span = 0;
    for (uint32_t pa = boot_info.direct_top; pa > 0 && kernel_frames.free > 0;) {
        pa -= FRAME_SIZE;
        if (frame_in_use(&kernel_frames, pa))
            continue;
        if (!span || span->start != pa + FRAME_SIZE) {
            if (info->memory_count == STARTUP_RANGES_MAX)
                break;
            span = &info->memory[info->memory_count++];
            span->end = pa + FRAME_SIZE;
        }
        span->start = pa;
        frame_pool_reserve(&kernel_frames, pa, pa + FRAME_SIZE);
    }
    for (uint32_t i = 0; i < info->memory_count; i++)
        memory_set_owner(info->memory[i].start, info->memory[i].end, root);
}

/* A zeroed frame from the root's own memory (the lowest span's low end). */
static uint32_t root_frame(void)
{
    if (info->memory_count == 0)
        panic("no memory left to build the root task");
    struct phys_span *span = &info->memory[info->memory_count - 1];
    uint32_t pa = span->start;
    span->start += FRAME_SIZE;
    if (span->start == span->end)
        info->memory_count--;
    memset(phys_to_virt(pa), 0, FRAME_SIZE);
    return pa;
}

static void map_or_panic(struct task *root, uint32_t va, uint32_t pa, pte_t flags)
{
    if (memory_map_initial(root, va, pa, (flags & PTE_WRITABLE) != 0) != ERR_NONE)
        panic("cannot map the root task's page %08x", va);
}

/* Refuse a root module that is not an i386 executable we can load. */
static const char *elf_problem(const uint8_t *image, uint32_t size)
{
    const struct elf32_ehdr *eh = (const void *)image;
    if (size < sizeof *eh || eh->e_magic != ELF_MAGIC || eh->e_class != ELFCLASS32
        || eh->e_data != ELFDATA2LSB)
        return "not an ELF32 little-endian file";
    if (eh->e_type != ET_EXEC || eh->e_machine != EM_386)
        return "not an i386 executable";
    if (eh->e_phentsize != sizeof(struct elf32_phdr) || eh->e_phoff > size
        || eh->e_phnum > (size - eh->e_phoff) / sizeof(struct elf32_phdr))
        return "program headers outside the file";
    const struct elf32_phdr *ph = (const void *)(image + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (ph[i].p_offset > size || ph[i].p_filesz > size - ph[i].p_offset
            || ph[i].p_filesz > ph[i].p_memsz || ph[i].p_vaddr < PAGE_SIZE
            || ph[i].p_memsz > IMAGE_BASE || ph[i].p_vaddr > IMAGE_BASE - ph[i].p_memsz)
            return "a segment lies outside the file or the program area";
    }
    return 0;
}

static void load_segment(struct task *root, const uint8_t *image, const struct elf32_phdr *ph)
{
    uint32_t start = page_base(ph->p_vaddr), end = page_round_up(ph->p_vaddr + ph->p_memsz);
    for (uint32_t va = start; va < end; va += PAGE_SIZE) {
        pte_t existing = vspace_lookup(&root->vs, va);
        uint32_t pa = existing & PTE_PRESENT ? pte_addr(existing) : root_frame();
        /* the file bytes that fall in this page */
        uint32_t lo = va > ph->p_vaddr ? va : ph->p_vaddr;
        uint32_t hi = va + PAGE_SIZE < ph->p_vaddr + ph->p_filesz ? va + PAGE_SIZE
                                                                  : ph->p_vaddr + ph->p_filesz;
        if (lo < hi)
            memcpy((uint8_t *)phys_to_virt(pa) + (lo - va), image + ph->p_offset + (lo - ph->p_vaddr),
                   hi - lo);
        if (!(existing & PTE_PRESENT))
            map_or_panic(root, va, pa, ph->p_flags & PF_W ? PTE_WRITABLE : 0);
    }
}

static void copy_string(char *dst, const char *src, uint32_t size)
{
    uint32_t n = strlen(src) < size - 1 ? strlen(src) : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Device memory: every frame below 4 GiB that is not usable RAM -- the ISA
 * window with the VGA text buffer, firmware, device windows past the RAM --
 * is the root task's, listed in its startup page (up to the last page, the
 * firmware's reset vector, so that every span's end fits 32 bits). */
#define DEVICES_END 0xFFFFF000u
static void give_devices(struct task *root)
{
    uint64_t at = 0;
    for (unsigned i = 0; i <= boot_info.ram.count && info->device_count < STARTUP_RANGES_MAX; i++) {
        uint64_t end = i < boot_info.ram.count ? boot_info.ram.range[i].start : DEVICES_END;
        if (end > at) {
            info->devices[info->device_count++] = (struct phys_span){ (uint32_t)at, (uint32_t)end };
            memory_set_owner((uint32_t)at, (uint32_t)end, root);
        }
        if (i < boot_info.ram.count)
            at = boot_info.ram.range[i].end;
    }
}

static void add_arguments(const char *cmdline)
{
    uint32_t used = 0;
    for (const char *p = cmdline; *p && info->argc < STARTUP_ARGS_MAX;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        uint32_t len = 0;
        while (p[len] && p[len] != ' ')
            len++;
        if (used + len + 1 > STARTUP_STRINGS)
            break;
        info->argv[info->argc++] = used;
        memcpy(info->strings + used, p, len);
        info->strings[used + len] = '\0';
        used += len + 1;
        p += len;
    }
}

/* Every other module, read-only at IMAGE_BASE upwards, owned by the root task. */
static void map_images(struct task *root)
{
    uint32_t va = IMAGE_BASE;
    for (unsigned i = 1; i < boot_info.module_count && info->image_count < STARTUP_IMAGES_MAX; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        uint32_t start = page_base(m->start), end = page_round_up(m->end);
        if (va + (end - start) > SCRATCH_BASE)
            break;
        memory_set_owner(start, end, root);
        struct startup_image *img = &info->images[info->image_count++];
        img->vaddr = va + (m->start - start);
        img->paddr = m->start;
        img->size = m->end - m->start;
        copy_string(img->cmdline, m->cmdline, sizeof img->cmdline);
        for (uint32_t pa = start; pa < end; pa += PAGE_SIZE, va += PAGE_SIZE)
            map_or_panic(root, va, pa, 0);
    }
}

static relay_handle give(struct task *root, struct kobject *obj)
{
    struct handle *h;
    if (handle_create(&root->handles, obj, RIGHTS_ALL, &h) != ERR_NONE)
        panic("no handle slot for the root task");
    return handle_number(&root->handles, h);
}

uint32_t root_startup_frame(void)
{
    return info ? virt_to_phys(info) : 0;
}

int root_start(void)
{
    if (boot_info.module_count == 0)
        return 0;
    const struct boot_module *m = &boot_info.modules[0];
    const uint8_t *image = phys_to_virt(m->start);
    const char *problem = elf_problem(image, m->end - m->start);
    if (problem) {
        kprintf("relay: the root task module \"%s\" is %s: stopping\n", m->cmdline, problem);
        machine_exit(RELAY_EXIT_FAIL);
    }
    uint32_t startup_pa;
    if (frame_alloc(&kernel_frames, &startup_pa) != ERR_NONE)
        panic("no frame for the root task's startup page");
    fund_root_factory();
    struct task *root;
    if (task_create(&root_factory, 0, &root) != ERR_NONE)
        panic("cannot create the root task");
    root_task = root;
    info = phys_to_virt(startup_pa);
    memset(info, 0, PAGE_SIZE);
    give_root_memory(root);
    memory_set_owner(page_base(m->start), page_round_up(m->end), root);

    const struct elf32_ehdr *eh = (const void *)image;
    const struct elf32_phdr *ph = (const void *)(image + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD)
            load_segment(root, image, &ph[i]);
    for (uint32_t va = STACK_TOP - STACK_SIZE; va < STACK_TOP; va += PAGE_SIZE)
        map_or_panic(root, va, root_frame(), PTE_WRITABLE);
    map_images(root);

    struct thread *main;
    if (thread_create(root, eh->e_entry, STACK_TOP, UTCB_BASE, ROOT_PRIORITY, PRIORITIES - 1, &main)
        != ERR_NONE)
        panic("cannot create the root task's thread");
    info->magic = STARTUP_MAGIC;
    info->version = STARTUP_VERSION;
    info->self_task = give(root, &root->obj);
    info->self_thread = give(root, &main->obj);
    info->factory = give(root, &root_factory.obj);
    info->supervisor = give(root, &supervisor_cap);
    info->irq_control = give(root, &irq_control);
    info->io_control = give(root, &io_control);
    info->max_priority = PRIORITIES - 1;
    info->main_utcb = UTCB_BASE;
    add_arguments(m->cmdline);
    give_devices(root);
    /* the startup page is the kernel's frame, lent read-only: like a UTCB it
     * is no mapping the reverse map lists, so the root cannot pass it on */
    if (vspace_map(&root->vs, STARTUP_VADDR, startup_pa, 0, 0) != ERR_NONE)
        panic("cannot map the root task's startup page");
    sched_make_ready(main);                /* it runs once the boot thread goes idle */
    kprintf("relay: root task \"%s\": %u images, %u memory ranges\n", m->cmdline,
            info->image_count, info->memory_count);
    return 1;
}
