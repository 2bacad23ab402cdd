/* The frame table and reverse map: see frametable.h. */
#include "frametable.h"

void ft_init(struct frame_table *ft, uint32_t frames, struct ft_frame **chunk, ft_holder *uniform,
             void *(*chunk_page)(uint32_t c))
{
    *ft = (struct frame_table){ .frames = frames, .chunks = FT_CHUNKS(frames), .chunk = chunk,
                                .uniform = uniform, .chunk_page = chunk_page };
}

static const struct ft_frame none;

/* Tell ft->held of each holder in frame f's sequence e: delta +1 entering, -1 leaving. */
static void tally(const struct frame_table *ft, const struct ft_frame *e, uint32_t f, int32_t delta)
{
    if (!ft->held)
        return;
    if (e->owner)
        ft->held(e->owner, delta, f);
    for (uint32_t i = 0; i < FT_LENDERS; i++)
        if (e->lender[i])
            ft->held(e->lender[i], delta, f);
}

/*
 * ft->held's calls for a run of frames, gathered into one: a holder leaving
 * frames (-1 each, whichever they are), or entering consecutive ones (+1
 * each).  A give of many frames, or a run of an ended owner's frames
 * going back, tells each holder once, not once a frame.
 */
struct held_run {
    ft_holder holder;            /* FT_NO_TASK: nothing gathered */
    int32_t delta;
    uint32_t frame;              /* entering: the first of them */
};

static void held_flush(const struct frame_table *ft, struct held_run *r)
{
    if (r->holder && ft->held)
        ft->held(r->holder, r->delta, r->frame);
    r->holder = FT_NO_TASK;
}

/* Holder h (or FT_NO_TASK: nobody) leaves frame f: a run of leavings. */
static inline __attribute__((always_inline)) void
held_leaves(const struct frame_table *ft, struct held_run *r, ft_holder h, uint32_t f)
{
    if (h == r->holder) {
        r->delta--;
    } else if (h) {
        held_flush(ft, r);
        *r = (struct held_run){ h, -1, f };
    }
}

/* Holder h (or nobody) enters frame f: a run of entries on consecutive frames. */
static inline __attribute__((always_inline)) void
held_enters(const struct frame_table *ft, struct held_run *r, ft_holder h, uint32_t f)
{
    if (h == r->holder && r->frame + (uint32_t)r->delta == f) {
        r->delta++;
    } else if (h) {
        held_flush(ft, r);
        *r = (struct held_run){ h, +1, f };
    }
}

/* Frame f as it is (f < frames): its chunk's entry, or, for a uniform chunk,
 * a copy in *tmp.  Inline, with touch: every operation on a frame starts here. */
static inline __attribute__((always_inline)) const struct ft_frame *
peek(const struct frame_table *ft, uint32_t f, struct ft_frame *tmp)
{
    const struct ft_frame *chunk = ft->chunk[f / FT_CHUNK_FRAMES];
    if (chunk)
        return &chunk[f % FT_CHUNK_FRAMES];
    *tmp = none;
    tmp->owner = ft->uniform[f / FT_CHUNK_FRAMES];
    return tmp;
}

/* Chunk c's own entries, made from its uniform owner. */
static struct ft_frame *make_chunk(struct frame_table *ft, uint32_t c)
{
    struct ft_frame *e = ft->chunk_page(c);
    for (uint32_t i = 0; i < FT_CHUNK_FRAMES; i++)
        e[i].owner = ft->uniform[c];
    ft->chunk[c] = e;
    return e;
}

/* Frame f's own entry, its chunk made if it was uniform. */
static inline __attribute__((always_inline)) struct ft_frame *touch(struct frame_table *ft, uint32_t f)
{
    struct ft_frame *chunk = ft->chunk[f / FT_CHUNK_FRAMES];
    if (!chunk)
        chunk = make_chunk(ft, f / FT_CHUNK_FRAMES);
    return &chunk[f % FT_CHUNK_FRAMES];
}

ft_holder ft_lender(const struct frame_table *ft, uint32_t frame, uint32_t i)
{
    struct ft_frame tmp;
    return frame < ft->frames && i < FT_LENDERS ? peek(ft, frame, &tmp)->lender[i] : FT_NO_TASK;
}

void ft_set_owner(struct frame_table *ft, uint32_t first, uint32_t count, ft_holder task)
{
    uint32_t end = first + count < ft->frames ? first + count : ft->frames;
    for (uint32_t i = first; i < end;) {
        uint32_t c = i / FT_CHUNK_FRAMES;
        if (i % FT_CHUNK_FRAMES == 0 && end - i >= FT_CHUNK_FRAMES && !ft->chunk[c]) {
            if (ft->held && ft->uniform[c])        /* the whole chunk at once */
                ft->held(ft->uniform[c], -(int32_t)FT_CHUNK_FRAMES, i);
            if (ft->held && task)
                ft->held(task, (int32_t)FT_CHUNK_FRAMES, i);
            ft->uniform[c] = task;
            i += FT_CHUNK_FRAMES;
            continue;
        }
        struct ft_frame *e = touch(ft, i);
        struct ft_rmap *head = e->head;
        struct ft_sharer *sharers = e->sharers;
        tally(ft, e, i, -1);
        *e = none;
        e->owner = task;
        e->head = head;
        e->sharers = sharers;
        tally(ft, e, i, +1);
        i++;
    }
}

/* Drop lender i, the older ones moving up. */
static void drop_lender(struct ft_frame *e, uint32_t i)
{
#pragma GCC unroll 8
    for (; i + 1 < FT_LENDERS; i++)
        e->lender[i] = e->lender[i + 1];
    e->lender[FT_LENDERS - 1] = FT_NO_TASK;
}

enum relay_error ft_give(struct frame_table *ft, ft_holder from, ft_holder to, uint32_t first,
                         uint32_t count, ft_holder root)
{
    struct ft_frame tmp;
    if (first > ft->frames || count > ft->frames - first || from == FT_NO_TASK)
        return ERR_NOT_OWNER;
    for (uint32_t i = first; i < first + count; i++) {
        const struct ft_frame *e = peek(ft, i, &tmp);
        if (e->owner != from)
            return ERR_NOT_OWNER;
        if (from != to && from != root && e->lender[0] != to && e->lender[FT_LENDERS - 1])
            return ERR_NO_MEMORY;            /* it remembers as many givers as it can */
    }
    if (from == to)
        return ERR_NONE;                     /* its own already: it must not become its own lender */
    struct held_run left = { 0 }, entered = { 0 };
    for (uint32_t i = first; i < first + count; i++) {
        struct ft_frame *e = touch(ft, i);
        ft_holder leaves = FT_NO_TASK, enters = to;   /* from the sequence's holders */
        if (e->lender[0] == to) {            /* back to its lender: from leaves */
            drop_lender(e, 0);
            leaves = from;
            enters = FT_NO_TASK;
        } else if (from != root) {           /* from stays, as the lender */
            for (uint32_t k = FT_LENDERS - 1; k > 0; k--)
                e->lender[k] = e->lender[k - 1];
            e->lender[0] = from;
        } else {
            leaves = root;
        }
        e->owner = to;
        held_leaves(ft, &left, leaves, i);
        held_enters(ft, &entered, enters, i);
    }
    held_flush(ft, &left);
    held_flush(ft, &entered);
    return ERR_NONE;
}

static struct ft_sharer *sharer_of(const struct ft_frame *f, ft_holder task)
{
    struct ft_sharer *s = f->sharers;
    while (s && s->task != task)
        s = s->next;
    return s;
}

const struct ft_sharer *ft_sharer(const struct frame_table *ft, uint32_t frame, ft_holder task)
{
    struct ft_frame tmp;
    return frame < ft->frames ? sharer_of(peek(ft, frame, &tmp), task) : 0;
}

const struct ft_sharer *ft_sharers(const struct frame_table *ft, uint32_t frame)
{
    struct ft_frame tmp;
    return frame < ft->frames ? peek(ft, frame, &tmp)->sharers : 0;
}

int ft_map_add(struct frame_table *ft, uint32_t frame, ft_holder task, uint32_t va, int writable,
               struct ft_rmap *e)
{
    if (frame >= ft->frames)
        return 0;
    struct ft_frame *f = touch(ft, frame);
    struct ft_sharer *s = sharer_of(f, task);
    if (!s) {
        if (!ft->new_sharer || !(s = ft->new_sharer(task)))
            return -1;
        *s = (struct ft_sharer){ task, 0, 0, f->sharers };
        f->sharers = s;
    }
    s->maps++;
    s->writable += writable != 0;
    *e = (struct ft_rmap){ task, va | (writable != 0), f->head, 0 };
    if (f->head)
        f->head->prev = e;
    f->head = e;
    ft->mappings++;
    return 1;
}

const struct ft_rmap *ft_mappings(const struct frame_table *ft, uint32_t frame)
{
    struct ft_frame tmp;
    return frame < ft->frames ? peek(ft, frame, &tmp)->head : 0;
}

void ft_map_unlink(struct frame_table *ft, uint32_t frame, struct ft_rmap *e)
{
    struct ft_frame *f = touch(ft, frame);
    if (e->prev)
        e->prev->next = e->next;
    else
        f->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    e->next = e->prev = 0;
    ft->mappings--;
    struct ft_sharer **link = &f->sharers;
    while ((*link)->task != e->task)
        link = &(*link)->next;
    struct ft_sharer *s = *link;
    s->writable -= (uint32_t)ft_rmap_writable(e);
    if (--s->maps == 0) {                 /* its last mapping of the frame */
        *link = s->next;
        ft->free_sharer(s);
    }
}

void ft_map_set_writable(struct frame_table *ft, uint32_t frame, struct ft_rmap *e, int writable)
{
    struct ft_sharer *s = sharer_of(touch(ft, frame), e->task);
    s->writable += (uint32_t)(writable != 0) - (uint32_t)ft_rmap_writable(e);
    e->page = ft_rmap_va(e) | (writable != 0);
}

int ft_mapped_by(const struct frame_table *ft, uint32_t frame, ft_holder task)
{
    const struct ft_sharer *s = ft_sharer(ft, frame, task);
    return !s ? 0 : s->writable ? 2 : 1;
}

int ft_mapping_at(const struct frame_table *ft, uint32_t frame, ft_holder task, uint32_t va)
{
    for (const struct ft_rmap *e = ft_mappings(ft, frame); e; e = e->next)
        if (e->task == task && ft_rmap_va(e) == va)
            return 1 + ft_rmap_writable(e);
    return 0;
}

uint32_t ft_mapping_count(const struct frame_table *ft, uint32_t frame)
{
    uint32_t n = 0;
    for (const struct ft_rmap *e = ft_mappings(ft, frame); e; e = e->next)
        n++;
    return n;
}

struct ft_rmap *ft_map_pop(struct frame_table *ft, uint32_t frame)
{
    if (!ft_mappings(ft, frame))
        return 0;
    struct ft_rmap *e = touch(ft, frame)->head;
    ft_map_unlink(ft, frame, e);
    return e;
}

static int holds_as_lender(const struct ft_frame *e, ft_holder task)
{
#pragma GCC unroll 8
    for (uint32_t i = 0; i < FT_LENDERS; i++)
        if (e->lender[i] == task)
            return 1;
    return 0;
}

static int holds(const struct ft_frame *e, ft_holder task)
{
    return e->owner == task || holds_as_lender(e, task);
}

uint32_t ft_next_of(const struct frame_table *ft, ft_holder task, uint32_t from, uint32_t limit)
{
    struct ft_frame tmp;
    if (limit > ft->frames)
        limit = ft->frames;
    while (from < limit) {
        uint32_t c = from / FT_CHUNK_FRAMES;
        if (!ft->chunk[c] && ft->uniform[c] != task) {
            from = (c + 1) * FT_CHUNK_FRAMES;  /* none of this chunk */
            continue;
        }
        if (holds(peek(ft, from, &tmp), task))
            return from;
        from++;
    }
    return limit;
}

/* Take task out of frame e's holders, and any holder that then follows itself. */
static void leave(struct ft_frame *e, ft_holder task, ft_holder root)
{
    for (uint32_t i = FT_LENDERS; i-- > 0;)
        if (e->lender[i] == task)
            drop_lender(e, i);
    if (e->owner == task) {
        e->owner = e->lender[0];
        drop_lender(e, 0);
    }
    if (e->owner == FT_NO_TASK)
        e->owner = root;
    while (e->lender[0] && (e->lender[0] == e->owner || e->lender[0] == root))
        drop_lender(e, 0);
    for (uint32_t i = 1; i < FT_LENDERS; i++)
        while (e->lender[i] && (e->lender[i] == e->lender[i - 1] || e->lender[i] == root))
            drop_lender(e, i);
}

/*
 * leave() and its tally in the common case: the owner, in the sequence
 * only once, leaves.  The frame goes back to its lender (or to the root, if
 * it has none), and since no holder follows itself and the root is no
 * lender, nothing else in the sequence changes: only the owner is told it
 * holds one frame fewer, and the root, if it takes it, one more.
 */
static ft_holder pass_back(struct ft_frame *e, ft_holder root)
{
    ft_holder next = e->lender[0];
    e->owner = next ? next : root;
    drop_lender(e, 0);
    return next;
}

static void leave_as_owner(const struct frame_table *ft, struct ft_frame *e, uint32_t f,
                           ft_holder root)
{
    ft_holder owner = e->owner, next = pass_back(e, root);
    if (ft->held) {
        ft->held(owner, -1, f);
        if (!next && root)
            ft->held(root, +1, f);
    }
}

/* leave_as_owner over a run, each holder told once (a call a frame would
 * cost more than the leaving itself). */
uint32_t ft_owner_leaves(struct frame_table *ft, ft_holder task, ft_holder root, uint32_t first,
                         uint32_t max)
{
    struct held_run left = { 0 }, entered = { 0 };
    uint32_t n = 0;
    for (uint32_t i = first; n < max && i < ft->frames; i++, n++) {
        struct ft_frame *chunk = ft->chunk[i / FT_CHUNK_FRAMES];
        struct ft_frame *e = chunk ? &chunk[i % FT_CHUNK_FRAMES] : 0;
        if (!e || e->owner != task || e->head || holds_as_lender(e, task))
            break;                         /* (a uniform chunk: ft_task_ended's) */
        if (!pass_back(e, root))
            held_enters(ft, &entered, root, i);
        held_leaves(ft, &left, task, i);
    }
    held_flush(ft, &left);
    held_flush(ft, &entered);
    return n;
}

uint32_t ft_task_ended(struct frame_table *ft, ft_holder task, ft_holder root, uint32_t first,
                       uint32_t count, void (*unmap)(struct ft_rmap *e, void *arg), void *arg)
{
    uint32_t undone = 0;
    struct ft_frame tmp;
    for (uint32_t i = first; i < ft->frames && i - first < count; i++) {
        if (!holds(peek(ft, i, &tmp), task))
            continue;
        struct ft_frame *e = touch(ft, i);
        if (e->owner == task) {
            struct ft_rmap *m;
            while (e->head && (m = ft_map_pop(ft, i))) {
                unmap(m, arg);
                undone++;
            }
            if (!holds_as_lender(e, task)) {
                leave_as_owner(ft, e, i, root);
                continue;
            }
        }
        tally(ft, e, i, -1);
        leave(e, task, root);
        tally(ft, e, i, +1);
    }
    return undone;
}
