/* Starting a program in a new task: see relay/spawn.h. */
#include <relay/spawn.h>
#include <relay/spawn_paged.h>
#include <relay/msg.h>
#include <relay/pager_proto.h>
#include <relay/rpc.h>
#include <relay/sys.h>
#include <relay/fault.h>
#include <relay/loader.h>
#include <relay/layout.h>
#include <relay/memory.h>
#include <relay/kinfo.h>
#include <relay/object.h>
#include <relay/object.h>
#include <relay/start.h>
#include <relay/string.h>
#include <relay/error.h>
#include <relay/console.h>

#define STACK_PAGES (STACK_SIZE / PAGE_SIZE)

/* The pages an image covers, from the one holding its first byte. */
static uint32_t image_pages(const struct startup_image *im)
{
    return (PAGE_UP(im->vaddr + im->size) - PAGE_DOWN(im->vaddr)) / PAGE_SIZE;
}

static int check_args(const struct spawn_args *a)
{
    if ((!a->image && a->duplicate == HANDLE_NULL) || a->image_count > STARTUP_IMAGES_MAX || a->priority > THREAD_PRIORITY_MAX ||
        a->max_priority > THREAD_PRIORITY_MAX || (a->image_count && !a->images))
        return ERR_INVALID;
    for (uint32_t i = 0; i < a->image_count; i++)      /* mapped a page at a time */
        if (a->images[i].vaddr % PAGE_SIZE != a->images[i].paddr % PAGE_SIZE)
            return ERR_INVALID;
    if (a->handle_count > STARTUP_HANDLES_MAX || (a->handle_count && !a->handles))
        return ERR_INVALID;
    for (uint32_t i = 0; i < a->handle_count; i++)
        if (!a->handles[i].name || strlen(a->handles[i].name) >= STARTUP_HANDLE_NAME)
            return ERR_INVALID;
    return ERR_NONE;
}

static int map_pages(relay_handle task, uint32_t va, uint32_t pa, uint32_t n, uint32_t flags)
{
    for (uint32_t i = 0; i < n; i++) {
        int err = page_map(task, va + i * PAGE_SIZE, pa + i * PAGE_SIZE, flags);
        if (err)
            return err;
    }
    return ERR_NONE;
}

static void unmap_pages(relay_handle task, uint32_t va, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        page_unmap(task, va + i * PAGE_SIZE);      /* pages never mapped just fail */
}

/* The zeroed stack, writable, from frames [stack, stack + STACK_PAGES). */
static int map_stack(relay_handle task, uint32_t stack)
{
    for (uint32_t i = 0; i < STACK_PAGES; i++) {
        uint32_t pa = stack + i * PAGE_SIZE;
        int err = frame_fill(pa, 0, NULL, 0);
        if (!err)
            err = page_map(task, STACK_TOP - STACK_SIZE + i * PAGE_SIZE, pa, MAP_WRITABLE);
        if (err)
            return err;
    }
    return ERR_NONE;
}

/* This task's images, read-only at the same addresses in the child, and listed. */
static int pass_images(const struct spawn_args *a, relay_handle task, struct startup_info *si)
{
    for (uint32_t i = 0; i < a->image_count; i++) {
        const struct startup_image *im = &a->images[i];
        int err = map_pages(task, PAGE_DOWN(im->vaddr), PAGE_DOWN(im->paddr), image_pages(im), 0);
        if (err)
            return err;
        si->images[si->image_count++] = *im;
    }
    return ERR_NONE;
}

/* This program's console (relay/console.h) goes to the child as its own,
 * unless the caller names a "console" or the child's handles are full. */
static int pass_console(const struct spawn_args *a, const struct child *c, struct startup_info *si)
{
    relay_handle console = console_handle();
    if (console == HANDLE_NULL || si->handle_count == STARTUP_HANDLES_MAX)
        return ERR_NONE;
    for (uint32_t i = 0; i < a->handle_count; i++)
        if (!strncmp(a->handles[i].name, "console", STARTUP_HANDLE_NAME))
            return ERR_NONE;
    struct startup_handle *h = &si->handles[si->handle_count++];
    strncpy(h->name, "console", STARTUP_HANDLE_NAME);
    return handle_give(c->task, console, RIGHT_SEND, &h->handle);
}

/* The child's handles: numbers in its table, recorded in its startup page. */
static int give_handles(const struct spawn_args *a, const struct child *c, struct startup_info *si)
{
    int err = handle_give(c->task, c->task, RIGHT_CONTROL, &si->self_task);
    if (!err)
        err = handle_give(c->task, c->thread, RIGHT_CONTROL, &si->self_thread);
    if (!err && (c->factory != HANDLE_NULL || a->give_factory != HANDLE_NULL))
        err = handle_give(c->task, c->factory != HANDLE_NULL ? c->factory : a->give_factory,
                          RIGHT_CONTROL, &si->factory);
    if (!err && a->give_supervisor != HANDLE_NULL)
        err = handle_give(c->task, a->give_supervisor, RIGHT_CONTROL, &si->supervisor);
    if (!err && a->parent != HANDLE_NULL)
        err = handle_give(c->task, a->parent, RIGHT_SEND | RIGHT_GRANT, &si->parent);
    for (uint32_t i = 0; !err && i < a->handle_count; i++) {
        struct startup_handle *h = &si->handles[si->handle_count++];
        strncpy(h->name, a->handles[i].name, STARTUP_HANDLE_NAME);
        err = handle_give(c->task, a->handles[i].handle, a->handles[i].rights, &h->handle);
    }
    if (!err && c->pager != HANDLE_NULL) {
        if (si->handle_count == STARTUP_HANDLES_MAX)
            return ERR_INVALID;
        struct startup_handle *h = &si->handles[si->handle_count++];
        strncpy(h->name, "pager", STARTUP_HANDLE_NAME);
        err = handle_give(c->task, c->pager, RIGHT_SEND | RIGHT_GRANT, &h->handle);
    }
    if (!err)
        err = pass_console(a, c, si);
    return err;
}

static void release_factory(struct child *c);

static void free_spans(struct child *c)
{
    for (uint32_t i = 0; i < c->span_count; i++)
        frame_free_range(c->spans[i].start, (c->spans[i].end - c->spans[i].start) / PAGE_SIZE);
    c->span_count = c->memory_pages = 0;
}

/* Take pages of this task's frames, in at most SPAWN_SPANS_MAX runs, into
 * c->spans; ERR_NO_MEMORY, and nothing taken, if there are not that many. */
static int take_memory(struct child *c, uint32_t pages)
{
    uint32_t taken = 0;
    while (taken < pages && c->span_count < SPAWN_SPANS_MAX) {
        uint32_t pa, n = frame_alloc_run(pages - taken, &pa);
        if (!n)
            break;
        struct phys_span *last = c->span_count ? &c->spans[c->span_count - 1] : NULL;
        if (last && last->end == pa)
            last->end += n * PAGE_SIZE;
        else
            c->spans[c->span_count++] = (struct phys_span){ pa, pa + n * PAGE_SIZE };
        taken += n;
    }
    c->memory_pages = taken;
    if (taken == pages)
        return ERR_NONE;
    free_spans(c);
    return ERR_NO_MEMORY;
}

/* The runs take_memory took become the child's, listed in si->memory. */
static int give_memory(const struct child *c, struct startup_info *si)
{
    for (uint32_t i = 0; i < c->span_count; i++) {
        int err = frame_give(c->task, c->spans[i].start,
                             (c->spans[i].end - c->spans[i].start) / PAGE_SIZE);
        if (err)
            return err;
        si->memory[si->memory_count++] = c->spans[i];
    }
    return ERR_NONE;
}

/* The child's own factory (spawn_args.kernel_pages): made from factory and given pages. */
static int make_factory(const struct spawn_args *a, struct child *c)
{
    int err = factory_create(a->factory, &c->factory);
    if (err)
        return err;
    c->kpages = a->kernel_pages;
    if ((err = frame_alloc_range(c->kpages, &c->kframes)) == ERR_NONE
        && (err = factory_give_range(c->factory, c->kframes, c->kpages)) == ERR_NONE)
        return ERR_NONE;
    release_factory(c);
    return err;
}

/* Delete the child's factory; once the kernel has reclaimed what was made
 * from it, its frames are this task's again. */
static void release_factory(struct child *c)
{
    struct kernel_info k;
    if (c->factory == HANDLE_NULL)
        return;
    handle_revoke(c->factory);            /* the child's own handle too: else a child that still
                                             runs (a thread left) would keep its factory alive */
    handle_delete(c->factory);
    c->factory = HANDLE_NULL;
    if (c->kpages) {
        kernel_info_settled(&k);
        frame_free_range(c->kframes, c->kpages);
    }
    c->kpages = 0;
}

/* Take back what a failed spawn set up: mappings, handles, frames. */
static void undo(const struct spawn_args *a, const struct elf_info *info, struct child *c)
{
    if (c->thread != HANDLE_NULL) {
        thread_kill(c->thread);
        handle_delete(c->thread);
    }
    for (uint32_t i = 0; i < info->load_count; i++)
        unmap_pages(c->task, PAGE_DOWN(info->loads[i].vaddr), elf_segment_pages(&info->loads[i]));
    unmap_pages(c->task, STACK_TOP - STACK_SIZE, STACK_PAGES);
    unmap_pages(c->task, STARTUP_VADDR, 1);
    for (uint32_t i = 0; i < a->image_count; i++)
        unmap_pages(c->task, PAGE_DOWN(a->images[i].vaddr), image_pages(&a->images[i]));
    handle_delete(c->task);
    if (c->pager != HANDLE_NULL)
        handle_delete(c->pager);
    frame_free_range(c->frames, c->pages);
    release_factory(c);
}

/* The pager's badged endpoint for the child becomes its thread's pager and c->pager. */
static int take_pager(struct child *c, relay_handle ep)
{
    int err = sys_thread_set_handler(c->thread, HANDLER_PAGER, ep).error;
    if (err) {
        handle_delete(ep);
        return err;
    }
    c->pager = ep;
    return ERR_NONE;
}

/* Hand the child's task to the pager with op (PAGER_REGISTER, or
 * PAGER_DUPLICATE through a client's endpoint) and keep the badged
 * endpoint the pager answers with as the child's. */
static int pager_takes(relay_handle ep, uint32_t op, struct child *c)
{
    struct msg m = { .label = op, .flags = MSGINFO_HANDLE, .handle = c->task };
    int err = ipc_call(ep, &m, TIMEOUT_FOREVER);
    if (!err)
        err = (int)m.label;
    if (!err && !(m.flags & MSGINFO_HANDLE))
        err = ERR_INVALID;
    return err ? err : take_pager(c, m.handle);
}

/* The child becomes the pager's client; its program is paged in from the
 * pager's image, its main stack is a stack region of the pager's. */
static int attach(relay_handle pager_ep, uint32_t pager_image, struct child *c)
{
    int err = pager_takes(pager_ep, PAGER_REGISTER, c);
    struct msg out;
    if (!err)
        err = rpc_call(c->pager, PAGER_IMAGE, (uint32_t[]){ pager_image, 0 }, 2, &out);
    if (!err)
        err = rpc_call(c->pager, PAGER_STACK, (uint32_t[]){ STACK_TOP, STACK_PAGES }, 2, &out);
    return err;
}

/* The child becomes a copy-on-write copy of the client whose badged endpoint from is. */
static int duplicate(relay_handle from, struct child *c)
{
    return pager_takes(from, PAGER_DUPLICATE, c);
}

/* Steps 4-8 of spawn, once the task exists and the frames are taken.  With a
 * pager, the program is not loaded: the pager pages it in; duplicated, it
 * is a copy of another client's memory. */
static int build(const struct spawn_args *a, const struct elf_info *info, struct child *c,
                 struct startup_info *si)
{
    int dup = a->duplicate != HANDLE_NULL;
    int paged = a->pager != HANDLE_NULL || dup;
    uint32_t stack = c->frames + info->pages * PAGE_SIZE;
    uint32_t page = paged ? c->frames : stack + STACK_PAGES * PAGE_SIZE;
    uint32_t utcb = dup ? a->utcb : UTCB_BASE;
    int err = paged ? ERR_NONE : elf_load(a->image, info, c->task, c->frames);
    if (!err && !paged)
        err = map_stack(c->task, stack);
    if (!err)
        err = pass_images(a, c->task, si);
    if (!err)
        err = thread_create(c->task, dup ? a->eip : info->entry, dup ? a->esp : STACK_TOP, utcb,
                            a->priority, &c->thread);
    si->max_priority = a->max_priority ? a->max_priority : a->priority;
    if (!err)
        err = thread_set_priority(c->thread, a->priority, si->max_priority);
    if (!err && a->pager != HANDLE_NULL)
        err = attach(a->pager, a->pager_image, c);
    else if (!err && dup)
        err = duplicate(a->duplicate, c);
    if (!err)
        err = give_handles(a, c, si);
    if (!err)
        err = give_memory(c, si);
    if (err)
        return err;
    si->main_utcb = utcb;
    err = frame_fill(page, 0, si, sizeof *si);
    if (!err)
        err = page_map(c->task, STARTUP_VADDR, page, 0);
    if (!err)
        err = thread_start(c->thread);
    return err;
}

int spawn(const struct spawn_args *a, struct child *out)
{
    struct startup_info si;
    struct elf_info info;
    memset(&si, 0, sizeof si);
    si.magic = STARTUP_MAGIC;
    si.version = STARTUP_VERSION;
    memset(&info, 0, sizeof info);
    int err = check_args(a);
    if (!err && a->duplicate == HANDLE_NULL)
        err = elf_problem_error(elf_check(a->image, a->image_size, &info));
    if (!err)
        err = startup_set_args(&si, a->cmdline ? a->cmdline : "");
    if (err)
        return err;
    int paged = a->pager != HANDLE_NULL || a->duplicate != HANDLE_NULL;
    struct child c = { .pages = paged ? 1 : info.pages + STACK_PAGES + 1 };
    err = frame_alloc_range(c.pages, &c.frames);
    if (err)
        return err;
    if ((err = take_memory(&c, a->memory_pages)) != ERR_NONE) {
        frame_free_range(c.frames, c.pages);
        return err;
    }
    if (a->kernel_pages)
        err = make_factory(a, &c);
    if (!err)
        err = task_create(c.factory != HANDLE_NULL ? c.factory : a->factory, a->exit_notification,
                          a->exit_bits, &c.task);
    if (err) {
        release_factory(&c);
        free_spans(&c);
        frame_free_range(c.frames, c.pages);
        return err;
    }
    err = build(a, &info, &c, &si);
    if (err) {
        /* Runs not yet given are ours to reuse; those given come back when
           the half-built child has been taken apart, and stay out of the pool. */
        for (uint32_t i = si.memory_count; i < c.span_count; i++)
            frame_free_range(c.spans[i].start, (c.spans[i].end - c.spans[i].start) / PAGE_SIZE);
        undo(a, &info, &c);
        return err;
    }
    *out = c;
    return ERR_NONE;
}

int spawn_paged(const struct spawn_args *a, relay_handle pager_ep, uint32_t pager_image,
                struct child *out)
{
    if (pager_ep == HANDLE_NULL)
        return ERR_INVALID;
    struct spawn_args paged = *a;
    paged.pager = pager_ep;
    paged.pager_image = pager_image;
    return spawn(&paged, out);
}

int spawn_release(struct child *c)
{
    handle_delete(c->thread);
    handle_delete(c->task);
    if (c->pager != HANDLE_NULL)
        handle_delete(c->pager);
    release_factory(c);
    int err = frame_free_range(c->frames, c->pages);
    for (uint32_t i = 0; i < c->span_count && !err; i++)
        err = frame_free_range(c->spans[i].start, (c->spans[i].end - c->spans[i].start) / PAGE_SIZE);
    *c = (struct child){ 0 };
    return err;
}
