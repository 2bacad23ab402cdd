/* The frame table and reverse map: see frametable.h. */
#include "frametable.h"

void ft_init(struct frame_table *ft, uint32_t frames, const struct ft_storage *s)
{
    *ft = (struct frame_table){
        .frames = frames, .owner = s->owner, .lender = s->lender, .loans = s->loans,
        .head = s->head, .rmap = s->rmap, .rmap_max = s->rmap_max, .free = s->rmap_max ? 1 : 0,
        .loan = s->loan, .loan_max = s->loan_max, .loan_fresh = 1,
    };
    for (uint32_t i = 0; i < frames; i++) {
        ft->owner[i] = ft->lender[i] = FT_NO_TASK;
        ft->loans[i] = ft->head[i] = 0;
    }
    ft->rmap[0] = (struct ft_rmap){ 0 };
    for (uint32_t i = 1; i <= ft->rmap_max; i++)
        ft->rmap[i] = (struct ft_rmap){ FT_NO_TASK, 0, (uint16_t)(i < ft->rmap_max ? i + 1 : 0), 0 };
}

/* --- Loans: a frame's lenders past the first, a list from loans[frame]. */

static uint32_t loans_left(const struct frame_table *ft)
{
    return ft->loan_max - ft->loans_used;
}

/* Put task in front of frame f's list (an entry must be left). */
static void loan_push(struct frame_table *ft, uint32_t f, uint8_t task)
{
    uint16_t i = ft->loan_free;
    if (i)
        ft->loan_free = ft->loan[i].next;
    else
        i = (uint16_t)ft->loan_fresh++;
    ft->loan[i] = (struct ft_loan){ task, ft->loans[f] };
    ft->loans[f] = i;
    ft->loans_used++;
}

/* Unlink the entry *link points at; its task. */
static uint8_t loan_drop(struct frame_table *ft, uint16_t *link)
{
    uint16_t i = *link;
    uint8_t task = ft->loan[i].task;
    *link = ft->loan[i].next;
    ft->loan[i] = (struct ft_loan){ FT_NO_TASK, ft->loan_free };
    ft->loan_free = i;
    ft->loans_used--;
    return task;
}

/* Take the front of frame f's list off: the lender's lender, or FT_NO_TASK. */
static uint8_t loan_pop(struct frame_table *ft, uint32_t f)
{
    return ft->loans[f] ? loan_drop(ft, &ft->loans[f]) : FT_NO_TASK;
}

static int holds(const struct frame_table *ft, uint32_t f, uint8_t task)
{
    if (ft->owner[f] == task || ft->lender[f] == task)
        return 1;
    for (uint16_t i = ft->loans[f]; i; i = ft->loan[i].next)
        if (ft->loan[i].task == task)
            return 1;
    return 0;
}

/* Take task out of frame f's holders, and any holder that then follows itself. */
static void leave(struct frame_table *ft, uint32_t f, uint8_t task)
{
    for (uint16_t *link = &ft->loans[f]; *link;)
        if (ft->loan[*link].task == task)
            loan_drop(ft, link);
        else
            link = &ft->loan[*link].next;
    for (uint16_t i = ft->loans[f]; i; i = ft->loan[i].next)
        while (ft->loan[i].next && ft->loan[ft->loan[i].next].task == ft->loan[i].task)
            loan_drop(ft, &ft->loan[i].next);
    for (;;) {
        if (ft->owner[f] == task) {
            ft->owner[f] = ft->lender[f];
            ft->lender[f] = loan_pop(ft, f);
        } else if (ft->lender[f] != FT_NO_TASK
                   && (ft->lender[f] == task || ft->lender[f] == ft->owner[f])) {
            ft->lender[f] = loan_pop(ft, f);
        } else if (ft->loans[f] && ft->loan[ft->loans[f]].task == ft->lender[f]) {
            loan_pop(ft, f);
        } else {
            return;
        }
    }
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
        while (ft->loans[i])
            loan_pop(ft, i);
    }
}

enum relay_error ft_give(struct frame_table *ft, uint8_t from, uint8_t to, uint32_t first, uint32_t count)
{
    if (first > ft->frames || count > ft->frames - first)
        return ERR_NOT_OWNER;
    uint32_t need = 0;                       /* loan entries: for lenders pushed back */
    for (uint32_t i = first; i < first + count; i++) {
        if (ft->owner[i] != from || from == FT_NO_TASK)
            return ERR_NOT_OWNER;
        need += ft->lender[i] != FT_NO_TASK && ft->lender[i] != to;
    }
    if (from == to)
        return ERR_NONE;                     /* its own already: it must not become its own lender */
    if (need > loans_left(ft))
        return ERR_NO_MEMORY;
    for (uint32_t i = first; i < first + count; i++) {
        if (ft->lender[i] == to) {           /* back to its lender */
            ft->owner[i] = to;
            ft->lender[i] = loan_pop(ft, i);
            continue;
        }
        if (ft->lender[i] != FT_NO_TASK)
            loan_push(ft, i, ft->lender[i]);
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
    while (from < limit && ft->owner[from] != task && ft->lender[from] != task
           && (!ft->loans[from] || !holds(ft, from, task)))
        from++;
    return from;
}

uint32_t ft_task_ended(struct frame_table *ft, uint8_t task, uint8_t root, uint32_t first,
                       uint32_t count, void (*unmap)(uint8_t task, uint32_t va, void *arg), void *arg)
{
    uint32_t undone = 0;
    for (uint32_t i = first; i < ft->frames && i - first < count; i++) {
        if (!holds(ft, i, task))
            continue;
        if (ft->owner[i] == task) {
            uint8_t t;
            uint32_t va;
            while (ft_map_pop(ft, i, &t, &va)) {
                unmap(t, va, arg);
                undone++;
            }
        }
        leave(ft, i, task);
        if (ft->owner[i] == FT_NO_TASK)
            ft->owner[i] = root;
    }
    return undone;
}
