/*
 * The default pager suite: servers/pager run as a role of this program (the
 * same code as build/servers/pager.elf), with clients that are this task
 * (heap_attach) or other roles.  Demand-zero memory, a heap, growing stacks
 * and their guard pages, copy-on-write duplication, running out of frames,
 * a pager that dies under its clients, and ELF segments paged in from this
 * program's own image (image_map, spawn_paged).
 */
#include <relay/libos.h>
#include <relay/heap.h>
#include <relay/elf.h>
#include <relay/spawn_paged.h>
#include "../lib/roles.h"
#include "../lib/objects.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY  10u
#define PAGER_PRIORITY 14u
#define PAGE_WORDS     (PAGE_SIZE / 4)
#define STACK_TOP_VA   0x70000000u
#define STACK_PAGES    16u

int defpager_main(void);           /* servers/pager/serve.c */

ROLE(pager)
{
    (void)argc, (void)argv;
    return defpager_main();
}

struct pager {
    struct child c;
    relay_handle exit_n, ep;       /* ep: unbadged, for REGISTER */
};

/* role_spawn, giving the pager this program's own image (images[0]) too. */
static int pager_spawn_with_image(relay_handle hello, uint32_t frames, struct child *c, relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    if (si->image_count == 0)
        return ERR_INVALID;
    int err = notification_create(si->factory, exit_n);
    if (err)
        return err;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr,
        .image_size = si->images[0].size,
        .cmdline = "role role=pager",
        .factory = si->factory,
        .exit_notification = *exit_n,
        .exit_bits = 1,
        .give_factory = si->factory,
        .parent = hello,
        .memory_pages = frames,
        .images = si->images,
        .image_count = 1,
        .priority = PAGER_PRIORITY,
    };
    err = spawn(&a, c);
    if (err)
        handle_delete(*exit_n);
    return err;
}

/* Start a pager owning frames frames (and, if image, this program's image); 0 on success. */
static int pager_up_image(struct pager *p, uint32_t frames, int image)
{
    relay_handle hello;
    struct msg m;
    if (endpoint_create(startup_info()->factory, &hello))
        return 1;
    int bad = (image ? pager_spawn_with_image(hello, frames, &p->c, &p->exit_n)
                     : role_spawn("role=pager", hello, PAGER_PRIORITY, frames, &p->c, &p->exit_n)) ||
              ipc_recv(hello, &m, 300) || m.label != PAGER_HELLO || !(m.flags & MSGINFO_HANDLE);
    if (!bad) {
        p->ep = m.handle;
        ipc_reply(&(struct msg){ 0 });
    }
    handle_delete(hello);
    return bad;
}

static int pager_up(struct pager *p, uint32_t frames)
{
    return pager_up_image(p, frames, 0);
}

static void pager_down(struct pager *p)
{
    uint32_t status;
    thread_kill(p->c.thread);
    role_wait(&p->c, p->exit_n, 300, &status);
    handle_delete(p->ep);
}

static struct defpager_stats stats_of(struct pager *p)
{
    struct defpager_stats s = { 0 };
    defpager_stats(p->ep, &s);
    return s;
}


TEST(demand_zero, "pages of an anonymous region read as zero, each mapped on its first touch")
{
    struct pager p;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    uint32_t *a = anon_map(8);
    CHECK(a != NULL);
    uint32_t nonzero = 0;
    for (uint32_t i = 0; a && i < 8 * PAGE_WORDS; i++)
        nonzero += a[i] != 0;
    CHECK_EQ(nonzero, 0);
    CHECK_EQ(stats_of(&p).faults, 8);
    CHECK(anon_map(0) == NULL);
    CHECK_EQ(anon_map_at((void *)0x40000000, 1), ERR_RANGE);     /* overlaps the first */
    CHECK_EQ(anon_unmap(a, 8), ERR_NONE);
    CHECK_EQ(anon_unmap(a, 8), ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(startup_info()->self_task, (uint32_t)a).error, ERR_NOT_MAPPED);
    CHECK_EQ(stats_of(&p).frames_free, 64);                      /* every frame back */
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
}

TEST(forged_fault, "a client calling with a made-up fault record is refused: no frame, no fault counted")
{
    struct pager p;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    uint32_t *a = anon_map(4);
    CHECK(a != NULL);
    struct defpager_stats before = stats_of(&p);
    struct fault_record r = { .version = FAULT_RECORD_VERSION, .vector = 14, .cr2 = (uint32_t)a,
                              .error_code = 6 };
    struct msg m = { .label = LABEL_FAULT, .length = FAULT_WORDS };
    memcpy(m.w, &r, sizeof r);
    CHECK_EQ(ipc_call(heap_pager(), &m, 100), ERR_NONE);
    CHECK_EQ(m.label, ERR_INVALID);
    struct defpager_stats after = stats_of(&p);
    CHECK_EQ(after.faults, before.faults);
    CHECK_EQ(after.frames_free, before.frames_free);
    CHECK_EQ(sys_map_query(startup_info()->self_task, (uint32_t)a).error, ERR_NOT_MAPPED);
    CHECK_EQ(anon_unmap(a, 4), ERR_NONE);
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
}

TEST(thousand_pages, "writes to 1,000 demand-zero pages read back, and detaching frees every frame")
{
    struct pager p;
    CHECK_EQ(pager_up(&p, 1100), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    uint32_t free0 = stats_of(&p).frames_free;
    volatile uint32_t *a = anon_map(1000);
    CHECK(a != NULL);
    for (uint32_t i = 0; a && i < 1000; i++) {
        a[i * PAGE_WORDS] = i * 7 + 1;
        a[i * PAGE_WORDS + PAGE_WORDS - 1] = ~i;
    }
    uint32_t bad = 0;
    for (uint32_t i = 0; a && i < 1000; i++)
        bad += a[i * PAGE_WORDS] != i * 7 + 1 || a[i * PAGE_WORDS + PAGE_WORDS - 1] != ~i;
    CHECK_EQ(bad, 0);
    CHECK_EQ(stats_of(&p).frames_free, free0 - 1000);
    CHECK_EQ(heap_detach(), ERR_NONE);
    CHECK_EQ(stats_of(&p).frames_free, free0);
    CHECK_EQ(stats_of(&p).clients, 0);
    pager_down(&p);
}

TEST(heap_growth, "sbrk moves the break, the heap below it is demand-zero, shrinking frees its pages")
{
    struct pager p;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    char *base = sbrk(0);
    CHECK_EQ((uint32_t)base, PAGER_HEAP_BASE);
    CHECK(sbrk(3 * PAGE_SIZE + 100) == base);
    CHECK(sbrk(0) == base + 3 * PAGE_SIZE + 100);
    base[0] = 1;
    base[3 * PAGE_SIZE + 99] = 2;                                /* the fourth page, partly */
    CHECK_EQ(base[3 * PAGE_SIZE + 99] + base[0], 3);
    CHECK_EQ(base[PAGE_SIZE], 0);
    CHECK_EQ(stats_of(&p).frames_free, 64 - 3);
    CHECK(sbrk(-(intptr_t)(2 * PAGE_SIZE + 100)) == base + 3 * PAGE_SIZE + 100);
    CHECK_EQ(stats_of(&p).frames_free, 64 - 1);                  /* pages 1 and 3 went */
    CHECK(sbrk(-(intptr_t)PAGE_SIZE) == base + PAGE_SIZE);       /* back to the base */
    CHECK(sbrk(-1) == (void *)-1);                               /* below the base */
    CHECK(sbrk(PAGER_HEAP_MAX + 1) == (void *)-1);
    CHECK_EQ(stats_of(&p).frames_free, 64);
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
}

/* role=toucher what=W: a client of the pager (its parent endpoint) that touches
 * memory: beyond the break, outside every region, or much more than there is. */
ROLE(toucher)
{
    const char *what = utest_arg(argc, argv, "what");
    if (heap_attach(startup_info()->parent))
        return 100;
    if (!strcmp(what, "brk")) {
        char *b = sbrk(PAGE_SIZE);
        b[0] = 1;
        b[PAGE_SIZE] = 1;                                        /* past the break */
    } else if (!strcmp(what, "nowhere")) {
        *(volatile uint32_t *)0x30000000 = 1;
    } else if (!strcmp(what, "greedy")) {
        volatile uint32_t *a = anon_map(4096);
        for (uint32_t i = 0; a && i < 4096; i++)
            a[i * PAGE_WORDS] = i;
    } else if (!strcmp(what, "slowly")) {                         /* a page every 5 ticks */
        volatile uint32_t *a = anon_map(64);
        for (uint32_t i = 0; a && i < 64; i++) {
            a[i * PAGE_WORDS] = i;
            sleep_ticks(5);
        }
    }
    return 0;
}

static uint32_t run_toucher_role(struct pager *p, const char *args, uint32_t *status)
{
    struct child c;
    relay_handle exit_n;
    if (role_spawn(args, p->ep, MAIN_PRIORITY - 1, 16, &c, &exit_n))
        return 99;
    return role_wait(&c, exit_n, 600, status);
}

static uint32_t run_toucher(struct pager *p, const char *what, uint32_t *status)
{
    char args[64];
    snprintf(args, sizeof args, "role=toucher what=%s", what);
    return run_toucher_role(p, args, status);
}

TEST(outside_regions, "a touch past the break or outside every region kills the task with 139")
{
    struct pager p;
    uint32_t status;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(run_toucher(&p, "brk", &status), TASK_KILLED);
    CHECK_EQ(status, 139);
    CHECK_EQ(run_toucher(&p, "nowhere", &status), TASK_KILLED);
    CHECK_EQ(status, 139);
    CHECK_EQ(stats_of(&p).frames_free, 64);                      /* the brk page came back */
    CHECK_EQ(stats_of(&p).clients, 0);
    pager_down(&p);
}

/* Run fn(arg) with ESP = top. */
static uint32_t on_stack(uint32_t top, uint32_t (*fn)(uint32_t), uint32_t arg)
{
    uint32_t r;
    asm volatile("mov %%esp, %%ebx\n\t"
                 "mov %1, %%esp\n\t"
                 "push %3\n\t"
                 "call *%2\n\t"
                 "mov %%ebx, %%esp"
                 : "=a"(r) : "r"(top), "r"(fn), "r"(arg) : "ebx", "ecx", "edx", "memory");
    return r;
}

/* About 1 KiB of stack a level. */
static __attribute__((noinline)) uint32_t dig(uint32_t depth)
{
    volatile uint8_t frame[1024];
    frame[0] = (uint8_t)depth;
    frame[sizeof frame - 1] = 1;
    if (depth == 0)
        return 1;
    return dig(depth - 1) + frame[sizeof frame - 1] + frame[0] - (uint8_t)depth;
}

/* role=stack depth=N: recurse N levels on a pager stack of STACK_PAGES pages. */
ROLE(stack)
{
    uint32_t depth = utest_arg_u32(argc, argv, "depth", 1);
    if (heap_attach(startup_info()->parent) || stack_region(STACK_TOP_VA, STACK_PAGES))
        return 100;
    return on_stack(STACK_TOP_VA, dig, depth) == depth + 1 ? 0 : 101;
}

TEST(stack_growth, "a stack region grows as it faults; past its limit the guard page kills with 139")
{
    struct pager p;
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(role_spawn("role=stack depth=40", p.ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK(stats_of(&p).faults >= 10);
    CHECK_EQ(role_spawn("role=stack depth=200", p.ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 300, &status), TASK_KILLED);
    CHECK_EQ(status, 139);
    CHECK_EQ(stats_of(&p).frames_free, 64);
    pager_down(&p);
}

/* role=cowchild at=A: a duplicate of the test's region at A (pages 0..3 say
 * 0x100 + i): it must see the values from before the parent's writes, and
 * its own writes. */
ROLE(cowchild)
{
    volatile uint32_t *a = (volatile uint32_t *)utest_arg_u32(argc, argv, "at", 0);
    for (uint32_t i = 0; i < 4; i++)
        if (a[i * PAGE_WORDS] != 0x100 + i)
            return 10 + (int)i;
    a[1 * PAGE_WORDS] = 0xC1;                                    /* copy on write */
    return a[1 * PAGE_WORDS] == 0xC1 && a[0] == 0x100 ? 0 : 20;
}

TEST(copy_on_write, "after duplication each side sees only its own writes; unwritten pages stay shared")
{
    struct pager p;
    relay_handle self = startup_info()->self_task;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    volatile uint32_t *a = anon_map(4);
    CHECK(a != NULL);
    uint32_t at = (uint32_t)a;
    for (uint32_t i = 0; a && i < 4; i++)
        a[i * PAGE_WORDS] = 0x100 + i;
    char args[48];
    struct child c;
    relay_handle exit_n;
    snprintf(args, sizeof args, "role=cowchild at=%u", at);
    CHECK_EQ(role_spawn(args, HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(pager_duplicate(c.task, c.thread, NULL), ERR_NONE);
    struct sys_result mine = sys_map_query(self, at + 3 * PAGE_SIZE),
                      theirs = sys_map_query(c.task, at + 3 * PAGE_SIZE);
    CHECK_EQ(mine.error, ERR_NONE);
    CHECK_EQ(mine.r[0], theirs.r[0]);                            /* one frame ... */
    CHECK_EQ(mine.r[1], 0);                                      /* ... read-only in both */
    CHECK_EQ(theirs.r[1], 0);
    a[0] = 0xA0;                                                 /* ours: a copy */
    CHECK(sys_map_query(self, at).r[0] != sys_map_query(c.task, at).r[0]);
    CHECK_EQ(stats_of(&p).copies, 1);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(a[0], 0xA0);
    CHECK_EQ(a[PAGE_WORDS], 0x101);                              /* the child's write is its own */
    CHECK_EQ(stats_of(&p).copies, 2);                            /* the child's copy; it is gone now */
    uint32_t shared = sys_map_query(self, at + 3 * PAGE_SIZE).r[0];
    a[3 * PAGE_WORDS] = 0xA3;                                    /* the last holder: no copy */
    CHECK_EQ(sys_map_query(self, at + 3 * PAGE_SIZE).r[0], shared);
    CHECK_EQ(sys_map_query(self, at + 3 * PAGE_SIZE).r[1], MAP_WRITABLE);
    CHECK_EQ(stats_of(&p).copies, 2);
    CHECK_EQ(a[3 * PAGE_WORDS] + a[2 * PAGE_WORDS], 0xA3 + 0x102);
    CHECK_EQ(heap_detach(), ERR_NONE);
    CHECK_EQ(stats_of(&p).frames_free, 64);
    pager_down(&p);
}

TEST(out_of_memory, "a task touching more pages than the pager has is killed with 137; others go on")
{
    struct pager p;
    uint32_t status;
    CHECK_EQ(pager_up(&p, 48), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    volatile uint32_t *a = anon_map(8);
    CHECK(a != NULL);
    for (uint32_t i = 0; a && i < 4; i++)
        a[i * PAGE_WORDS] = 0x200 + i;
    CHECK_EQ(run_toucher(&p, "greedy", &status), TASK_KILLED);
    CHECK_EQ(status, PAGER_STATUS_OOM);
    CHECK_EQ(stats_of(&p).frames_free, 48 - 4);                  /* the greedy one's came back */
    for (uint32_t i = 4; a && i < 8; i++)
        a[i * PAGE_WORDS] = 0x200 + i;
    uint32_t bad = 0;
    for (uint32_t i = 0; a && i < 8; i++)
        bad += a[i * PAGE_WORDS] != 0x200 + i;
    CHECK_EQ(bad, 0);
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
}

TEST(pager_dies, "when its pager dies, a client's next fault kills it: TASK_KILLED with 14")
{
    struct pager p;
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(pager_up(&p, 64), 0);
    CHECK_EQ(role_spawn("role=toucher what=slowly", p.ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    for (int i = 0; i < 100 && stats_of(&p).faults < 2; i++)
        sleep_ticks(2);
    CHECK(stats_of(&p).faults >= 2);
    CHECK_EQ(thread_kill(p.c.thread), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 600, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    pager_down(&p);
}

/*
 * Demand paging from an image: the pager pages this program's own image
 * (its images[0]) into clients at IMG_DELTA above where spawn loaded it, so
 * the moved copy can be checked against the loaded one.
 */
#define IMG_DELTA 0x47C00000u                   /* PROGRAM_BASE -> 0x48000000 */
#define MOVED(p)  ((volatile uint32_t *)((uint32_t)(p) + IMG_DELTA))

static volatile uint32_t img_data = 0x5EED1234u; /* .data: this is its file value */
static volatile uint32_t img_bss;                /* .bss */

/* This program's entry point, from its ELF header. */
static uint32_t info_entry(void)
{
    const struct startup_info *si = startup_info();
    struct elf_info info;
    if (elf_check((const void *)si->images[0].vaddr, si->images[0].size, &info) != ELF_OK)
        return 0;
    return info.entry;
}

/* This program's writable segment, from its ELF headers. */
static struct elf_segment data_segment(void)
{
    const struct startup_info *si = startup_info();
    struct elf_info info;
    struct elf_segment none = { 0 };
    if (elf_check((const void *)si->images[0].vaddr, si->images[0].size, &info) != ELF_OK)
        return none;
    for (uint32_t i = 0; i < info.load_count; i++)
        if (info.loads[i].flags & PF_W)
            return info.loads[i];
    return none;
}

/* role=imgclient what=W: pages this program in at IMG_DELTA through the pager
 * (its parent) and reads the moved text; "data": checks and writes its data
 * and bss, then waits to be killed; "text": writes to the moved text. */
ROLE(imgclient)
{
    const char *what = utest_arg(argc, argv, "what");
    if (heap_attach(startup_info()->parent) || image_map(0, IMG_DELTA, NULL))
        return 100;
    if (memcmp((const void *)(PROGRAM_BASE + IMG_DELTA), (const void *)PROGRAM_BASE, PAGE_SIZE))
        return 101;
    if (!strcmp(what, "text")) {
        *MOVED(PROGRAM_BASE) = 0xCC;
        return 102;
    }
    if (*MOVED(&img_data) != 0x5EED1234u || *MOVED(&img_bss) != 0)
        return 103;
    *MOVED(&img_data) = 0xC1;
    *MOVED(&img_bss) = 0xC2;
    if (*MOVED(&img_data) != 0xC1 || *MOVED(&img_bss) != 0xC2)
        return 104;
    for (;;)
        sleep_ticks(100);
}

TEST(image_segments, "an image's segments page in on demand: text is the image's frame, data and bss private")
{
    struct pager p;
    relay_handle self = startup_info()->self_task;
    const struct startup_image *im = &startup_info()->images[0];
    struct elf_info info;
    CHECK_EQ(elf_check((const void *)im->vaddr, im->size, &info), ELF_OK);
    CHECK_EQ(pager_up_image(&p, 64, 1), 0);
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    uint32_t entry = 0;
    CHECK_EQ(image_map(0, IMG_DELTA, &entry), ERR_NONE);
    CHECK_EQ(entry, info.entry + IMG_DELTA);
    CHECK_EQ(sys_map_query(self, PROGRAM_BASE + IMG_DELTA).error, ERR_NOT_MAPPED);   /* not yet */
    /* Text: the same bytes spawn loaded, in the image's own frame, read-only. */
    CHECK_EQ(memcmp((const void *)(PROGRAM_BASE + IMG_DELTA), (const void *)PROGRAM_BASE, PAGE_SIZE), 0);
    struct sys_result t = sys_map_query(self, PROGRAM_BASE + IMG_DELTA);
    CHECK_EQ(t.error, ERR_NONE);
    CHECK_EQ(t.r[1], 0);
    CHECK(t.r[0] >= (im->paddr & ~(PAGE_SIZE - 1)) && t.r[0] < im->paddr + im->size);
    CHECK(t.r[0] != sys_map_query(self, PROGRAM_BASE).r[0]);    /* not spawn's copy */
    /* Data and bss: their file values and zero, private and writable. */
    uint32_t free0 = stats_of(&p).frames_free;
    CHECK_EQ(*MOVED(&img_data), 0x5EED1234u);
    CHECK_EQ(*MOVED(&img_bss), 0);
    CHECK_EQ(stats_of(&p).frames_free, free0 - (((uint32_t)&img_data ^ (uint32_t)&img_bss) < PAGE_SIZE ? 1 : 2));
    *MOVED(&img_data) = 0xAB;
    CHECK_EQ(*MOVED(&img_data), 0xAB);
    CHECK_EQ(img_data, 0x5EED1234u);                            /* the loaded one is apart */
    CHECK_EQ(sys_map_query(self, (uint32_t)MOVED(&img_data) & ~(PAGE_SIZE - 1)).r[1], MAP_WRITABLE);
    struct elf_segment d = data_segment();
    CHECK(d.memsz > d.filesz);
    uint32_t last = (d.vaddr + d.memsz - 4) & ~3u;              /* the bss's last word */
    CHECK_EQ(*MOVED(last), 0);
    CHECK_EQ(*MOVED(d.vaddr + d.filesz), 0);                    /* just past the file bytes */
    /* Another client paging the same image: the same text frame, its own data frame. */
    struct child c;
    relay_handle exit_n;
    uint32_t status;
    CHECK_EQ(role_spawn("role=imgclient what=data", p.ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t data_page = (uint32_t)MOVED(&img_data) & ~(PAGE_SIZE - 1);
    uint32_t bss_page = (uint32_t)MOVED(&img_bss) & ~(PAGE_SIZE - 1);
    struct sys_result ct = { 0 }, cd = { 0 }, cb = { 0 };
    for (int i = 0; i < 150; i++) {
        ct = sys_map_query(c.task, PROGRAM_BASE + IMG_DELTA);
        cd = sys_map_query(c.task, data_page);
        cb = sys_map_query(c.task, bss_page);
        if (!ct.error && !cd.error && !cb.error)
            break;
        sleep_ticks(2);
    }
    sleep_ticks(5);
    uint32_t state, st;
    CHECK_EQ(task_status(c.task, &state, &st), ERR_NONE);
    CHECK_EQ(state, TASK_ALIVE);                                /* its checks passed */
    CHECK_EQ(ct.error, ERR_NONE);
    CHECK_EQ(ct.r[0], t.r[0]);                                  /* one text frame for both */
    CHECK_EQ(ct.r[1], 0);
    CHECK_EQ(cd.error, ERR_NONE);
    CHECK(cd.r[0] != sys_map_query(self, data_page).r[0]);      /* data: each its own */
    CHECK_EQ(*MOVED(&img_data), 0xAB);                          /* the child's write is its own */
    CHECK_EQ(*MOVED(&img_bss), 0);
    CHECK_EQ(thread_kill(c.thread), ERR_NONE);
    CHECK(role_wait(&c, exit_n, 300, &status) != TASK_ALIVE);
    /* A write to text kills. */
    CHECK_EQ(run_toucher_role(&p, "role=imgclient what=text", &status), TASK_KILLED);
    CHECK_EQ(status, PAGER_STATUS_SEGV);
    /* Detaching unmaps the shared text (the image's, not the pager's) and frees the rest. */
    CHECK_EQ(heap_detach(), ERR_NONE);
    CHECK_EQ(sys_map_query(self, PROGRAM_BASE + IMG_DELTA).error, ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(self, data_page).error, ERR_NOT_MAPPED);
    CHECK_EQ(stats_of(&p).frames_free, 64);
    CHECK_EQ(stats_of(&p).clients, 0);
    pager_down(&p);
}

TEST(image_errors, "IMAGE needs an image the pager has, an aligned delta and room for every segment")
{
    struct pager p;
    CHECK_EQ(pager_up_image(&p, 16, 1), 0);
    CHECK_EQ(image_map(0, IMG_DELTA, NULL), ERR_STATE);         /* not attached */
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    CHECK_EQ(image_map(1, IMG_DELTA, NULL), ERR_INVALID);       /* no such image */
    CHECK_EQ(image_map(0, IMG_DELTA + 0x10, NULL), ERR_INVALID);
    CHECK_EQ(image_map(0, IMG_DELTA, NULL), ERR_NONE);
    CHECK_EQ(image_map(0, IMG_DELTA, NULL), ERR_RANGE);         /* there already */
    CHECK_EQ(image_map(0, PAGER_HEAP_BASE - PROGRAM_BASE, NULL), ERR_RANGE);   /* on the heap */
    CHECK(anon_map(1) != NULL);                                 /* the failed ones left nothing */
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
    CHECK_EQ(pager_up(&p, 16), 0);                              /* a pager without images */
    CHECK_EQ(heap_attach(p.ep), ERR_NONE);
    CHECK_EQ(image_map(0, IMG_DELTA, NULL), ERR_INVALID);
    CHECK_EQ(heap_detach(), ERR_NONE);
    pager_down(&p);
}

static uint32_t paged_tail[2048];              /* .bss, eight pages: its last page too */

/* role=paged what=W, started by spawn_paged: its whole program is paged in
 * by the pager.  "run": checks its data and bss and exits 42; "wait": writes
 * its data, then waits to be killed; "text": writes to its own text. */
ROLE(paged)
{
    const char *what = utest_arg(argc, argv, "what");
    if (img_data != 0x5EED1234u || img_bss != 0 || paged_tail[0] != 0 || paged_tail[2047] != 0)
        return 10;
    img_data = 1;
    img_bss = 2;
    paged_tail[2047] = 3;
    if (img_data + img_bss + paged_tail[2047] != 6)
        return 11;
    if (!strcmp(what, "text")) {
        *(volatile uint32_t *)PROGRAM_BASE = 0xCC;
        return 12;
    }
    if (!strcmp(what, "wait"))
        for (;;)
            sleep_ticks(100);
    return 42;
}

static int paged_spawn(struct pager *p, const char *role_and_args, struct child *c, relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    char cmdline[STARTUP_NAME_MAX * 2];
    snprintf(cmdline, sizeof cmdline, "role %s", role_and_args);
    int err = notification_create(si->factory, exit_n);
    if (err)
        return err;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr,
        .image_size = si->images[0].size,
        .cmdline = cmdline,
        .factory = si->factory,
        .exit_notification = *exit_n,
        .exit_bits = 1,
        .give_factory = si->factory,
        .memory_pages = 4,
        .priority = MAIN_PRIORITY - 1,
    };
    err = spawn_paged(&a, p->ep, 0, c);
    if (err)
        handle_delete(*exit_n);
    return err;
}

TEST(spawn_paged, "spawn_paged runs a program the pager pages in: shared text, private data, text writes kill")
{
    struct pager p;
    struct child c, d;
    relay_handle exit_c, exit_d;
    uint32_t status;
    CHECK_EQ(pager_up_image(&p, 64, 1), 0);
    CHECK_EQ(paged_spawn(&p, "role=paged what=run", &c, &exit_c), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_c, 300, &status), TASK_EXITED);
    CHECK_EQ(status, 42);
    CHECK(stats_of(&p).faults >= 3);
    CHECK_EQ(stats_of(&p).frames_free, 64);                     /* reaped: every frame back */
    /* Two at once: one text frame (the image's), each its own data. */
    CHECK_EQ(paged_spawn(&p, "role=paged what=wait", &c, &exit_c), ERR_NONE);
    CHECK_EQ(paged_spawn(&p, "role=paged what=wait", &d, &exit_d), ERR_NONE);
    uint32_t text = PAGE_DOWN(info_entry());
    uint32_t data = PAGE_DOWN((uint32_t)&img_data);
    struct sys_result ct = { 0 }, dt = { 0 }, cd = { 0 }, dd = { 0 };
    for (int i = 0; i < 150; i++) {
        ct = sys_map_query(c.task, text), dt = sys_map_query(d.task, text);
        cd = sys_map_query(c.task, data), dd = sys_map_query(d.task, data);
        if (!ct.error && !dt.error && !cd.error && !dd.error && stats_of(&p).faults >= 6)
            break;
        sleep_ticks(2);
    }
    sleep_ticks(5);
    uint32_t state, st;
    CHECK_EQ(task_status(c.task, &state, &st), ERR_NONE);
    CHECK_EQ(state, TASK_ALIVE);
    CHECK_EQ(task_status(d.task, &state, &st), ERR_NONE);
    CHECK_EQ(state, TASK_ALIVE);
    CHECK_EQ(ct.error, ERR_NONE);
    CHECK_EQ(ct.r[0], dt.r[0]);
    CHECK_EQ(ct.r[1], 0);
    const struct startup_image *im = &startup_info()->images[0];
    CHECK(ct.r[0] >= PAGE_DOWN(im->paddr) && ct.r[0] < im->paddr + im->size);
    CHECK_EQ(cd.error, ERR_NONE);
    CHECK_EQ(dd.error, ERR_NONE);
    CHECK(cd.r[0] != dd.r[0]);
    CHECK_EQ(cd.r[1], MAP_WRITABLE);
    CHECK_EQ(thread_kill(c.thread), ERR_NONE);
    CHECK_EQ(thread_kill(d.thread), ERR_NONE);
    CHECK(role_wait(&c, exit_c, 300, &status) != TASK_ALIVE);
    CHECK(role_wait(&d, exit_d, 300, &status) != TASK_ALIVE);
    /* A write to its own text. */
    CHECK_EQ(paged_spawn(&p, "role=paged what=text", &c, &exit_c), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_c, 300, &status), TASK_KILLED);
    CHECK_EQ(status, PAGER_STATUS_SEGV);
    CHECK_EQ(stats_of(&p).frames_free, 64);
    CHECK_EQ(stats_of(&p).clients, 0);
    pager_down(&p);
}

int main(int argc, char **argv)
{
    return utest_main("defpager", argc, argv);
}
