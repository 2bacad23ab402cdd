/* The default pager's page faults: zero fill, copy on write, stack growth, kills. */
#include "defpager.h"

static void kill_task(struct client *c, uint32_t status, struct msg *reply)
{
    if (c)
        client_drop(c);                             /* its frames come back now */
    *reply = (struct msg){ .label = FAULT_KILL_TASK, .length = 1, .w = { status } };
}

static void map(uint32_t pa, struct msg *reply)
{
    *reply = (struct msg){ .label = FAULT_MAP, .length = 2, .w = { pa, MAP_WRITABLE } };
}

static int zero(uint32_t pa)
{
    void *va;
    int err = scratch_map(SCRATCH_SLOT_SRC, pa, &va);
    if (err)
        return err;
    memset(va, 0, PAGE_SIZE);
    return scratch_unmap(SCRATCH_SLOT_SRC);
}

static int copy(uint32_t to, uint32_t from)
{
    void *src, *dst;
    int err = scratch_map(SCRATCH_SLOT_SRC, from, &src);
    if (err)
        return err;
    err = scratch_map(SCRATCH_SLOT_DST, to, &dst);
    if (!err) {
        memcpy(dst, src, PAGE_SIZE);
        scratch_unmap(SCRATCH_SLOT_DST);
    }
    scratch_unmap(SCRATCH_SLOT_SRC);
    return err;
}

static void zero_fill(struct client *c, struct msg *reply)
{
    uint32_t pa = frame_take();
    if (pa == 0 || !holders_trackable(pa) || zero(pa)) {
        if (pa)
            frame_free(pa);
        kill_task(c, PAGER_STATUS_OOM, reply);
        return;
    }
    holders_add(&holders, pa, client_id(c));
    map(pa, reply);
}

/* An image page of our own: its file bytes copied from the image, zero elsewhere. */
static void image_fill(struct client *c, const struct region *r, uint32_t page, struct msg *reply)
{
    const struct startup_image *im = pager_image(r->image);
    uint32_t pa = frame_take();
    void *va;
    if (!im || pa == 0 || !holders_trackable(pa) || scratch_map(SCRATCH_SLOT_DST, pa, &va)) {
        if (pa)
            frame_free(pa);
        kill_task(c, im ? PAGER_STATUS_OOM : PAGER_STATUS_SEGV, reply);
        return;
    }
    memset(va, 0, PAGE_SIZE);
    uint32_t from = page > r->file_lo ? page : r->file_lo;
    uint32_t to = page + PAGE_SIZE < r->file_hi ? page + PAGE_SIZE : r->file_hi;
    if (from < to)                                  /* elf_check kept the bytes inside the image */
        memcpy((char *)va + (from - page), (const char *)im->vaddr + (from + r->bias), to - from);
    scratch_unmap(SCRATCH_SLOT_DST);
    holders_add(&holders, pa, client_id(c));
    *reply = (struct msg){ .label = FAULT_MAP, .length = 2, .w = { pa, r->writable ? MAP_WRITABLE : 0 } };
}

/* An image page: the image's own frame, read-only (shared by every client that touches it). */
static void image_share(struct client *c, const struct region *r, uint32_t page, struct msg *reply)
{
    const struct startup_image *im = pager_image(r->image);
    uint32_t off = page + r->bias;
    if (!im || off >= im->size) {
        kill_task(c, PAGER_STATUS_SEGV, reply);
        return;
    }
    if (im->paddr & (PAGE_SIZE - 1)) {              /* a file page is not one frame: copy it */
        image_fill(c, r, page, reply);
        return;
    }
    *reply = (struct msg){ .label = FAULT_MAP, .length = 2, .w = { im->paddr + off, 0 } };
}

/* A write to a read-only page of ours: the last holder gets it writable, others a copy. */
static void copy_on_write(struct client *c, uint32_t page, struct msg *reply)
{
    uint32_t id = client_id(c);
    struct sys_result q = sys_map_query(c->task, page);
    if (q.error || !holders_has(&holders, q.r[0], id)) {
        kill_task(c, PAGER_STATUS_SEGV, reply);
        return;
    }
    uint32_t old = q.r[0];
    if (q.r[1] & MAP_WRITABLE) {                    /* another thread's fault got here first */
        *reply = (struct msg){ .label = FAULT_RETRY };
        return;
    }
    uint32_t pa = old;
    if (holders_count(&holders, old) > 1) {
        pa = frame_take();
        if (pa == 0 || !holders_trackable(pa) || copy(pa, old)) {
            if (pa)
                frame_free(pa);
            kill_task(c, PAGER_STATUS_OOM, reply);
            return;
        }
        holders_drop(&holders, old, id);
        holders_add(&holders, pa, id);
        stats.copies++;
    }
    page_unmap(c->task, page);
    map(pa, reply);
}

static void plan(struct client *c, const struct fault_record *r, struct msg *reply);

void defpager_fault(const struct msg *in, struct msg *reply)
{
    const struct fault_record *r = (const struct fault_record *)in->w;
    struct client *c = client_of(in->badge);
    stats.faults++;
    if (!c || in->length < FAULT_WORDS || r->vector != 14) {
        kill_task(c, PAGER_STATUS_SEGV, reply);
    } else {
        plan(c, r, reply);
    }
    if (reply->label == FAULT_KILL_TASK && in->length >= FAULT_WORDS)
        death_record(r);
}

/* A #PF of client c's: what its region table calls for. */
static void plan(struct client *c, const struct fault_record *r, struct msg *reply)
{
    uint32_t page = r->cr2 & ~(PAGE_SIZE - 1);
    switch (space_plan(&c->space, r->cr2, r->error_code)) {
    case PLAN_ZERO:
        zero_fill(c, reply);
        break;
    case PLAN_COW:
        copy_on_write(c, page, reply);
        break;
    case PLAN_SHARE:
        image_share(c, space_find(&c->space, r->cr2), page, reply);
        break;
    case PLAN_FILL:
        image_fill(c, space_find(&c->space, r->cr2), page, reply);
        break;
    case PLAN_GUARD:
    case PLAN_SEGV:
        kill_task(c, PAGER_STATUS_SEGV, reply);
        break;
    }
}
