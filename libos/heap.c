/* Memory from the default pager: see relay/heap.h. */
#include <relay/heap.h>
#include <relay/loader.h>
#include <relay/fork.h>
#include <relay/error.h>
#include <relay/msg.h>
#include <relay/object.h>
#include <relay/rpc.h>
#include <relay/start.h>
#include <relay/string.h>
#include <relay/sys.h>
#include <relay/thread.h>
#include <relay/fault.h>

static relay_handle pager;        /* our badged endpoint at the pager */

relay_handle heap_pager(void) { return pager; }

void heap_init(void)
{
    pager = startup_handle("pager");
}

void heap_fork_child(void)
{
    relay_handle mine = startup_handle("pager");
    if (pager != mine)
        pager = mine;
}

/* A call carrying handle h; the reply's handle (if any) in *got. */
static int call_with_handle(relay_handle ep, uint32_t label, relay_handle h, relay_handle *got)
{
    struct msg m = { .label = label, .flags = MSGINFO_HANDLE, .handle = h };
    int err = ipc_call(ep, &m, TIMEOUT_FOREVER);
    if (!err)
        err = (int)m.label;
    if (!err && !(m.flags & MSGINFO_HANDLE))
        err = ERR_INVALID;
    if (!err)
        *got = m.handle;
    return err;
}

static int request(uint32_t label, const uint32_t *in, uint32_t n, struct msg *out)
{
    if (pager == HANDLE_NULL)
        return ERR_STATE;
    return rpc_call(pager, label, in, n, out);
}

int heap_attach(relay_handle pager_ep)
{
    if (pager != HANDLE_NULL)
        return ERR_STATE;
    relay_handle ep;
    int err = call_with_handle(pager_ep, PAGER_REGISTER, startup_info()->self_task, &ep);
    if (err)
        return err;
    err = sys_thread_set_handler(thread_self()->handle, HANDLER_PAGER, ep).error;
    if (err) {
        handle_delete(ep);
        return err;
    }
    pager = ep;
    return ERR_NONE;
}

int heap_detach(void)
{
    struct msg out;
    int err = request(PAGER_DETACH, NULL, 0, &out);
    if (err == ERR_STATE)
        return err;
    sys_thread_set_handler(thread_self()->handle, HANDLER_PAGER, HANDLE_NULL);
    handle_delete(pager);
    pager = HANDLE_NULL;
    return err;
}

int heap_sbrk(intptr_t inc, void **old_break)
{
    struct msg out;
    int err = request(PAGER_SBRK, (uint32_t[]){ (uint32_t)inc }, 1, &out);
    if (!err)
        *old_break = (void *)out.w[0];
    return err;
}

void *sbrk(intptr_t inc)
{
    void *old;
    return heap_sbrk(inc, &old) ? (void *)-1 : old;
}

void *anon_map(uint32_t pages)
{
    struct msg out;
    return request(PAGER_MAP_ANON, (uint32_t[]){ pages, 0 }, 2, &out) ? NULL : (void *)out.w[0];
}

int anon_map_at(void *addr, uint32_t pages)
{
    struct msg out;
    if (addr == NULL)
        return ERR_INVALID;
    return request(PAGER_MAP_ANON, (uint32_t[]){ pages, (uint32_t)addr }, 2, &out);
}

int anon_unmap(void *addr, uint32_t pages)
{
    struct msg out;
    return request(PAGER_UNMAP, (uint32_t[]){ (uint32_t)addr, pages }, 2, &out);
}

int stack_region(uint32_t top, uint32_t pages)
{
    struct msg out;
    return request(PAGER_STACK, (uint32_t[]){ top, pages }, 2, &out);
}

int image_map(uint32_t image, uint32_t delta, uint32_t *entry)
{
    struct msg out;
    int err = request(PAGER_IMAGE, (uint32_t[]){ image, delta }, 2, &out);
    if (!err && entry)
        *entry = out.w[0];
    return err;
}

int pager_duplicate(relay_handle child_task, relay_handle child_thread, relay_handle *child_ep)
{
    if (pager == HANDLE_NULL)
        return ERR_STATE;
    relay_handle ep;
    int err = call_with_handle(pager, PAGER_DUPLICATE, child_task, &ep);
    if (err)
        return err;
    if (child_thread != HANDLE_NULL)
        err = sys_thread_set_handler(child_thread, HANDLER_PAGER, ep).error;
    if (child_ep && !err)
        *child_ep = ep;
    else
        handle_delete(ep);
    return err;
}

int defpager_stats(relay_handle ep, struct defpager_stats *out)
{
    struct msg m;
    int err = rpc_call(ep, PAGER_STATS, NULL, 0, &m);
    if (!err)
        memcpy(out, m.w, sizeof *out);
    return err;
}

int program_page_in(void)
{
    const struct startup_info *si = startup_info();
    struct elf_info info;
    if (startup_handle("pager") == HANDLE_NULL)
        return ERR_NONE;                  /* not paged: the program was loaded whole */
    if (si->image_count == 0)
        return ERR_INVALID;
    enum elf_problem p = elf_check((const void *)si->images[0].vaddr, si->images[0].size, &info);
    if (p != ELF_OK)
        return elf_problem_error(p);
    for (uint32_t i = 0; i < info.load_count; i++) {
        const struct elf_segment *s = &info.loads[i];
        for (uint32_t va = s->vaddr & ~(PAGE_SIZE - 1); va < s->vaddr + s->memsz; va += PAGE_SIZE)
            (void)*(volatile const uint8_t *)va;   /* the pager maps it: shared, or a copy */
    }
    return ERR_NONE;
}
