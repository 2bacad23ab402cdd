/* The default pager's images: ELF segments paged in from a module image (PAGER_IMAGE). */
#include "defpager.h"
#include <relay/loader.h>
#include <relay/elf.h>

const struct startup_image *pager_image(uint32_t n)
{
    const struct startup_info *si = startup_info();
    return n < si->image_count && n < STARTUP_IMAGES_MAX ? &si->images[n] : NULL;
}

int pager_image_frame(uint32_t pa)
{
    const struct startup_info *si = startup_info();
    for (uint32_t i = 0; i < si->image_count && i < STARTUP_IMAGES_MAX; i++) {
        uint32_t lo = si->images[i].paddr & ~(PAGE_SIZE - 1);
        if (pa >= lo && pa - lo < si->images[i].size + (si->images[i].paddr - lo))
            return 1;
    }
    return 0;
}

int op_image(struct client *c, const struct msg *in, struct msg *reply)
{
    if (!c || in->length < 2 || (in->w[1] & (PAGE_SIZE - 1)))
        return ERR_INVALID;
    const struct startup_image *im = pager_image(in->w[0]);
    if (!im)
        return ERR_INVALID;
    struct elf_info info;
    if (elf_check((const void *)im->vaddr, im->size, &info) != ELF_OK)
        return ERR_INVALID;
    uint32_t delta = in->w[1];
    struct space before = c->space;                 /* nothing kept on an error */
    for (uint32_t i = 0; i < info.load_count; i++) {
        const struct elf_segment *s = &info.loads[i];
        int err = space_add_image(&c->space, in->w[0], s->vaddr + delta, s->memsz, s->offset,
                                  s->filesz, s->flags & PF_W);
        if (err) {
            c->space = before;
            return err;
        }
    }
    reply->w[0] = info.entry + delta;
    reply->w[1] = info.load_count;
    reply->length = 2;
    return ERR_NONE;
}
