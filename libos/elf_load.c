/* Loading a checked ELF32 image into a task: see relay/loader.h. */
#include <relay/loader.h>
#include <relay/elf.h>
#include <relay/layout.h>
#include <relay/memory.h>
#include <relay/object.h>

/* The part of s's file bytes that falls in the page at va: offset in the page, length, source. */
static uint32_t file_part(const struct elf_segment *s, uint32_t va, uint32_t *in_page,
                          uint32_t *from)
{
    uint32_t lo = va > s->vaddr ? va : s->vaddr;
    uint32_t file_end = s->vaddr + s->filesz;
    uint32_t hi = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
    if (hi <= lo)
        return 0;
    *in_page = lo - va;
    *from = s->offset + (lo - s->vaddr);
    return hi - lo;
}

int elf_load(const void *image, const struct elf_info *info, relay_handle task, uint32_t frames)
{
    uint32_t pa = frames;
    for (uint32_t i = 0; i < info->load_count; i++) {
        const struct elf_segment *s = &info->loads[i];
        uint32_t flags = s->flags & PF_W ? MAP_WRITABLE : 0;
        uint32_t va = PAGE_DOWN(s->vaddr);
        for (uint32_t n = elf_segment_pages(s); n; n--, va += PAGE_SIZE, pa += PAGE_SIZE) {
            uint32_t in_page = 0, from = 0;
            uint32_t len = file_part(s, va, &in_page, &from);
            int err = frame_fill(pa, in_page, (const char *)image + from, len);
            if (!err)
                err = page_map(task, va, pa, flags);
            if (err)
                return err;
        }
    }
    return ERR_NONE;
}
