/* The Multiboot memory-map parser: see multiboot.h.  Pure: tested on the host. */
#include "multiboot.h"

#define PAGE 4096u
#define ENTRY_FIELDS 20u   /* addr, len, type: the bytes after `size` */

bool mmap_next(const uint8_t *map, uint32_t length, uint32_t *offset,
               struct mmap_entry *entry, bool *truncated)
{
    uint32_t at = *offset;
    if (at >= length)
        return false;
    if (length - at < sizeof entry->size) {
        *truncated = true;
        return false;
    }
    uint32_t size;
    __builtin_memcpy(&size, map + at, sizeof size);
    if (size < ENTRY_FIELDS || size > length - at - sizeof size) {
        *truncated = true;
        return false;
    }
    __builtin_memcpy(entry, map + at, sizeof *entry);
    *offset = at + sizeof size + size;
    return true;
}

static uint64_t clip(uint64_t v, uint64_t limit) { return v < limit ? v : limit; }

/* The entry's range clipped to [0, limit); a length that wraps ends at limit. */
static struct phys_range entry_range(const struct mmap_entry *e, uint64_t limit)
{
    uint64_t end = e->addr + e->len;
    if (end < e->addr)
        end = UINT64_MAX;
    return (struct phys_range){ clip(e->addr, limit), clip(end, limit) };
}

/* Insert [start, end) keeping the list sorted and disjoint (merging neighbours). */
static void add_range(struct usable_ram *out, uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    unsigned i = 0;
    while (i < out->count && out->range[i].end < start)
        i++;
    /* Merge every range that touches [start, end). */
    unsigned j = i;
    while (j < out->count && out->range[j].start <= end) {
        if (out->range[j].start < start)
            start = out->range[j].start;
        if (out->range[j].end > end)
            end = out->range[j].end;
        j++;
    }
    unsigned removed = j - i;
    if (removed == 0 && out->count == USABLE_MAX) {
        out->overflow = true;
        return;
    }
    unsigned tail = out->count - j;
    struct phys_range *dst = &out->range[i + 1], *src = &out->range[j];
    __builtin_memmove(dst, src, tail * sizeof *src);
    out->range[i] = (struct phys_range){ start, end };
    out->count = out->count - removed + 1;
}

/* Remove [start, end) from every range, splitting where it falls inside one. */
static void remove_range(struct usable_ram *out, uint64_t start, uint64_t end)
{
    if (start >= end)
        return;
    for (unsigned i = 0; i < out->count; i++) {
        struct phys_range r = out->range[i];
        if (r.end <= start || r.start >= end)
            continue;
        if (r.start < start && r.end > end) {           /* a hole in the middle */
            out->range[i].end = start;
            add_range(out, end, r.end);
            return;
        }
        if (r.start < start)
            out->range[i].end = start;
        else if (r.end > end)
            out->range[i].start = end;
        else {                                           /* wholly covered */
            __builtin_memmove(&out->range[i], &out->range[i + 1],
                              (out->count - i - 1) * sizeof out->range[0]);
            out->count--;
            i--;
        }
    }
}

void mmap_usable(const uint8_t *map, uint32_t length, uint64_t limit, struct usable_ram *out)
{
    *out = (struct usable_ram){ .count = 0 };
    struct mmap_entry e;
    uint32_t at = 0;
    while (mmap_next(map, length, &at, &e, &out->truncated)) {
        if (e.type != MMAP_AVAILABLE)
            continue;
        struct phys_range r = entry_range(&e, limit);
        uint64_t start = (r.start + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        uint64_t end = r.end & ~(uint64_t)(PAGE - 1);
        add_range(out, start, end);
    }
    at = 0;
    bool ignored = false;
    while (mmap_next(map, length, &at, &e, &ignored)) {
        if (e.type == MMAP_AVAILABLE)
            continue;
        struct phys_range r = entry_range(&e, limit);
        uint64_t start = r.start & ~(uint64_t)(PAGE - 1);
        uint64_t end = (r.end + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        remove_range(out, start, end);
    }
}
