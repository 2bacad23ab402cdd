/* The task's own frames and the scratch window: see relay/memory.h. */
#include <relay/memory.h>
#include <relay/fork.h>
#include <relay/frame_pool.h>
#include <relay/layout.h>
#include <relay/object.h>
#include <relay/start.h>
#include <relay/string.h>
#include <relay/error.h>

static struct frame_pool pool;

void memory_init(const struct startup_info *si)
{
    frame_pool_init(&pool, si->memory, si->memory_count);
}

void memory_fork_child(const struct startup_info *si)
{
    frame_pool_init(&pool, si->memory, si->memory_count);
}

int frame_alloc(uint32_t *pa)                        { return frame_pool_alloc(&pool, pa); }
int frame_alloc_range(uint32_t count, uint32_t *pa)  { return frame_pool_alloc_range(&pool, count, pa); }
uint32_t frame_alloc_run(uint32_t max, uint32_t *pa) { return frame_pool_alloc_run(&pool, max, pa); }
int frame_free(uint32_t pa)                          { return frame_pool_free(&pool, pa); }
int frame_free_range(uint32_t pa, uint32_t count)    { return frame_pool_free_range(&pool, pa, count); }
uint32_t frame_free_count(void)                      { return pool.free; }

int scratch_map(uint32_t slot, uint32_t pa, void **va)
{
    if (slot >= SCRATCH_SLOTS)
        return ERR_RANGE;
    uint32_t at = SCRATCH_BASE + slot * PAGE_SIZE;
    int err = page_map(startup_info()->self_task, at, pa, MAP_WRITABLE);
    if (!err)
        *va = (void *)at;
    return err;
}

int scratch_unmap(uint32_t slot)
{
    if (slot >= SCRATCH_SLOTS)
        return ERR_RANGE;
    return page_unmap(startup_info()->self_task, SCRATCH_BASE + slot * PAGE_SIZE);
}

int frame_fill(uint32_t pa, uint32_t offset, const void *src, uint32_t n)
{
    if (offset > PAGE_SIZE || n > PAGE_SIZE - offset)
        return ERR_RANGE;
    void *page;
    int err = scratch_map(SCRATCH_SLOT_LOADER, pa, &page);
    if (err)
        return err;
    memset(page, 0, PAGE_SIZE);
    if (n)
        memcpy((char *)page + offset, src, n);
    return scratch_unmap(SCRATCH_SLOT_LOADER);
}
