/* The frame table and reverse map: see frametable.h. */
#include "frametable.h"

void ft_init(struct frame_table *ft, uint32_t frames, uint8_t *owner, uint8_t *lender,
             uint16_t *head, struct ft_rmap *rmap, uint32_t rmap_max)
{
    *ft = (struct frame_table){ frames, owner, lender, head, rmap, rmap_max, rmap_max ? 1 : 0, 0 };
    for (uint32_t i = 0; i < frames; i++) {
        owner[i] = lender[i] = FT_NO_TASK;
        head[i] = 0;
    }
    rmap[0] = (struct ft_rmap){ 0 };
    for (uint32_t i = 1; i <= rmap_max; i++)
        rmap[i] = (struct ft_rmap){ FT_NO_TASK, 0, (uint16_t)(i < rmap_max ? i + 1 : 0), 0 };
}

uint8_t ft_owner(const struct frame_table *ft, uint32_t frame)
{
    return frame < ft->frames ? ft->owner[frame] : FT_NO_TASK;
}

void ft_set_owner(struct frame_table *ft, uint32_t first, uint32_t count, uint8_t task)
{
    for (uint32_t i = first; i < first + count && i < ft->frames; i++) {
        ft->owner[i] = task;
        ft->lender[i] = FT_NO_TASK;
    }
}

enum relay_error ft_give(struct frame_table *ft, uint8_t from, uint8_t to, uint32_t first, uint32_t count)
{
    if (first > ft->frames || count > ft->frames - first)
        return ERR_NOT_OWNER;
    for (uint32_t i = first; i < first + count; i++)
        if (ft->owner[i] != from || from == FT_NO_TASK)
            return ERR_NOT_OWNER;
    if (from == to)
        return ERR_NONE;                     /* its own already: it must not become its own lender */
    for (uint32_t i = first; i < first + count; i++) {
        ft->owner[i] = to;
        ft->lender[i] = from;
    }
    return ERR_NONE;
}

enum relay_error ft_map_add(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va, int writable)
{
    if (frame >= ft->frames)
        return ERR_NONE;
    uint16_t i = ft->free;
    if (!i)
        return ERR_NO_MEMORY;
    ft->free = ft->rmap[i].next;
    ft->rmap[i] = (struct ft_rmap){ task, (uint8_t)(writable != 0), ft->head[frame], va };
    ft->head[frame] = i;
    ft->used++;
    return ERR_NONE;
}

/* Unlink the entry *link points at and give it back to the pool. */
static void drop(struct frame_table *ft, uint16_t *link)
{
    uint16_t i = *link;
    *link = ft->rmap[i].next;
    ft->rmap[i] = (struct ft_rmap){ FT_NO_TASK, 0, ft->free, 0 };
    ft->free = i;
    ft->used--;
}

void ft_map_remove(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va)
{
    if (frame >= ft->frames)
        return;
    for (uint16_t *link = &ft->head[frame]; *link; link = &ft->rmap[*link].next)
        if (ft->rmap[*link].task == task && ft->rmap[*link].va == va) {
            drop(ft, link);
            return;
        }
}

void ft_map_set_writable(struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va, int writable)
{
    if (frame >= ft->frames)
        return;
    for (uint16_t i = ft->head[frame]; i; i = ft->rmap[i].next)
        if (ft->rmap[i].task == task && ft->rmap[i].va == va) {
            ft->rmap[i].writable = (uint8_t)(writable != 0);
            return;
        }
}

int ft_mapped_by(const struct frame_table *ft, uint32_t frame, uint8_t task)
{
    int best = 0;
    if (frame >= ft->frames)
        return 0;
    for (uint16_t i = ft->head[frame]; i; i = ft->rmap[i].next)
        if (ft->rmap[i].task == task && 1 + ft->rmap[i].writable > best)
            best = 1 + ft->rmap[i].writable;
    return best;
}

int ft_mapping_at(const struct frame_table *ft, uint32_t frame, uint8_t task, uint32_t va)
{
    if (frame < ft->frames)
        for (uint16_t i = ft->head[frame]; i; i = ft->rmap[i].next)
            if (ft->rmap[i].task == task && ft->rmap[i].va == va)
                return 1 + ft->rmap[i].writable;
    return 0;
}

uint32_t ft_mapping_count(const struct frame_table *ft, uint32_t frame)
{
    uint32_t n = 0;
    if (frame < ft->frames)
        for (uint16_t i = ft->head[frame]; i; i = ft->rmap[i].next)
            n++;
    return n;
}

int ft_map_pop(struct frame_table *ft, uint32_t frame, uint8_t *task, uint32_t *va)
{
    if (frame >= ft->frames || !ft->head[frame])
        return 0;
    *task = ft->rmap[ft->head[frame]].task;
    *va = ft->rmap[ft->head[frame]].va;
    drop(ft, &ft->head[frame]);
    return 1;
}

uint32_t ft_next_of(const struct frame_table *ft, uint8_t task, uint32_t from, uint32_t limit)
{
    if (limit > ft->frames)
        limit = ft->frames;
    while (from < limit && ft->owner[from] != task && ft->lender[from] != task)
        from++;
    return from;
}

uint32_t ft_task_ended(struct frame_table *ft, uint8_t task, uint8_t root, uint32_t first,
                       uint32_t count, void (*unmap)(uint8_t task, uint32_t va, void *arg), void *arg)
{
    uint32_t undone = 0;
    for (uint32_t i = first; i < ft->frames && i - first < count; i++) {
        if (ft->owner[i] == task) {
            uint8_t t;
            uint32_t va;
            while (ft_map_pop(ft, i, &t, &va)) {
                unmap(t, va, arg);
                undone++;
            }
            uint8_t lender = ft->lender[i];
            ft->owner[i] = lender != FT_NO_TASK && lender != task ? lender : root;
            ft->lender[i] = FT_NO_TASK;
        } else if (ft->lender[i] == task) {
            ft->lender[i] = root;
        }
    }
    return undone;
}
