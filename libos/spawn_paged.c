/* Starting a program paged in by the default pager: see relay/spawn_paged.h. */
#include <relay/spawn_paged.h>
#include <relay/loader.h>
#include <relay/layout.h>
#include <relay/memory.h>
#include <relay/msg.h>
#include <relay/object.h>
#include <relay/pager_proto.h>
#include <relay/rpc.h>
#include <relay/start.h>
#include <relay/string.h>
#include <relay/sys.h>
#include <relay/error.h>
#include <relay/fault.h>

#define STACK_PAGES (STACK_SIZE / PAGE_SIZE)

static uint32_t image_pages(const struct startup_image *im)
{
    return (PAGE_UP(im->vaddr + im->size) - PAGE_DOWN(im->vaddr)) / PAGE_SIZE;
}

/* Up to pages of this task's frames become the child's (as spawn gives them). */
static void give_memory(struct child *c, uint32_t pages, struct startup_info *si)
{
    uint32_t given = 0;
    while (given < pages) {
        uint32_t pa, n = frame_alloc_run(pages - given, &pa);
        if (!n)
            break;
        struct phys_span *last = si->memory_count ? &si->memory[si->memory_count - 1] : NULL;
        if (((!last || last->end != pa) && si->memory_count == SPAWN_SPANS_MAX) ||
            frame_give(c->task, pa, n)) {
            frame_free_range(pa, n);
            break;
        }
        if (last && last->end == pa)
            last->end += n * PAGE_SIZE;
        else
            si->memory[si->memory_count++] = (struct phys_span){ pa, pa + n * PAGE_SIZE };
        given += n;
    }
    c->memory_pages = given;
    c->span_count = si->memory_count;
    for (uint32_t i = 0; i < si->memory_count; i++)
        c->spans[i] = si->memory[i];
}

/* The child becomes the pager's client; its program is paged in from the pager's image. */
static int attach(relay_handle pager_ep, uint32_t pager_image, const struct child *c)
{
    struct msg m = { .label = PAGER_REGISTER, .flags = MSGINFO_HANDLE, .handle = c->task };
    int err = ipc_call(pager_ep, &m, TIMEOUT_FOREVER);
    if (!err)
        err = (int)m.label;
    if (!err && !(m.flags & MSGINFO_HANDLE))
        err = ERR_INVALID;
    if (err)
        return err;
    relay_handle ep = m.handle;
    struct msg out;
    err = rpc_call(ep, PAGER_IMAGE, (uint32_t[]){ pager_image, 0 }, 2, &out);
    if (!err)
        err = sys_thread_set_handler(c->thread, HANDLER_PAGER, ep).error;
    handle_delete(ep);            /* the thread's handler keeps its own reference */
    return err;
}

static int build(const struct spawn_args *a, const struct elf_info *info, relay_handle pager_ep,
                 uint32_t pager_image, struct child *c, struct startup_info *si)
{
    int err = ERR_NONE;
    for (uint32_t i = 0; i < STACK_PAGES && !err; i++) {
        uint32_t pa = c->frames + i * PAGE_SIZE;
        err = frame_fill(pa, 0, NULL, 0);
        if (!err)
            err = page_map(c->task, STACK_TOP - STACK_SIZE + i * PAGE_SIZE, pa, MAP_WRITABLE);
    }
    for (uint32_t i = 0; i < a->image_count && !err; i++) {
        const struct startup_image *im = &a->images[i];
        for (uint32_t p = 0; p < image_pages(im) && !err; p++)
            err = page_map(c->task, PAGE_DOWN(im->vaddr) + p * PAGE_SIZE,
                           PAGE_DOWN(im->paddr) + p * PAGE_SIZE, 0);
        if (!err)
            si->images[si->image_count++] = *im;
    }
    if (!err)
        err = thread_create(c->task, info->entry, STACK_TOP, UTCB_BASE, a->priority, &c->thread);
    if (!err)
        err = attach(pager_ep, pager_image, c);
    if (!err)
        err = handle_give(c->task, c->task, RIGHT_CONTROL, &si->self_task);
    if (!err)
        err = handle_give(c->task, c->thread, RIGHT_CONTROL, &si->self_thread);
    if (!err && a->give_factory != HANDLE_NULL)
        err = handle_give(c->task, a->give_factory, RIGHT_CONTROL, &si->factory);
    if (!err && a->parent != HANDLE_NULL)
        err = handle_give(c->task, a->parent, RIGHT_SEND | RIGHT_GRANT, &si->parent);
    if (err)
        return err;
    si->main_utcb = UTCB_BASE;
    give_memory(c, a->memory_pages, si);
    uint32_t page = c->frames + STACK_PAGES * PAGE_SIZE;
    err = frame_fill(page, 0, si, sizeof *si);
    if (!err)
        err = page_map(c->task, STARTUP_VADDR, page, 0);
    if (!err)
        err = thread_start(c->thread);
    return err;
}

int spawn_paged(const struct spawn_args *a, relay_handle pager_ep, uint32_t pager_image,
                struct child *out)
{
    struct startup_info si;
    struct elf_info info;
    memset(&si, 0, sizeof si);
    si.magic = STARTUP_MAGIC;
    si.version = STARTUP_VERSION;
    if (!a->image || a->image_count > STARTUP_IMAGES_MAX || a->priority > THREAD_PRIORITY_MAX ||
        (a->image_count && !a->images) || pager_ep == HANDLE_NULL)
        return ERR_INVALID;
    for (uint32_t i = 0; i < a->image_count; i++)
        if (a->images[i].vaddr % PAGE_SIZE != a->images[i].paddr % PAGE_SIZE)
            return ERR_INVALID;
    int err = elf_problem_error(elf_check(a->image, a->image_size, &info));
    if (!err)
        err = startup_set_args(&si, a->cmdline ? a->cmdline : "");
    if (err)
        return err;
    struct child c = { .pages = STACK_PAGES + 1 };
    err = frame_alloc_range(c.pages, &c.frames);
    if (err)
        return err;
    err = task_create(a->factory, a->exit_notification, a->exit_bits, &c.task);
    if (err) {
        frame_free_range(c.frames, c.pages);
        return err;
    }
    err = build(a, &info, pager_ep, pager_image, &c, &si);
    if (err) {
        /* Killing the thread ends the task: its mappings go, and the pager
           forgets it when it next reaps.  The run is ours again once it has. */
        if (c.thread != HANDLE_NULL) {
            thread_kill(c.thread);
            handle_delete(c.thread);
        }
        for (uint32_t i = 0; i < STACK_PAGES; i++)
            page_unmap(c.task, STACK_TOP - STACK_SIZE + i * PAGE_SIZE);
        page_unmap(c.task, STARTUP_VADDR);
        handle_delete(c.task);
        frame_free_range(c.frames, c.pages);
        return err;
    }
    *out = c;
    return ERR_NONE;
}
