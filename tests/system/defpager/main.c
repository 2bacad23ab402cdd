/*
 * The default pager suite: servers/pager run as a role of this program (the
 * same code as build/servers/pager.elf), with clients that are this task
 * (heap_attach) or other roles.  Demand-zero memory, a heap, growing stacks
 * and their guard pages, copy-on-write duplication, running out of frames,
 * and a pager that dies under its clients.
 */
#include <relay/libos.h>
#include <relay/heap.h>
#include "../lib/roles.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY  10u
#define PAGER_PRIORITY 20u
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

/* Start a pager owning frames frames; 0 on success. */
static int pager_up(struct pager *p, uint32_t frames)
{
    relay_handle hello;
    struct msg m;
    if (endpoint_create(startup_info()->factory, &hello))
        return 1;
    int bad = role_spawn("role=pager", hello, PAGER_PRIORITY, frames, &p->c, &p->exit_n) ||
              ipc_recv(hello, &m, 300) || m.label != PAGER_HELLO || !(m.flags & MSGINFO_HANDLE);
    if (!bad) {
        p->ep = m.handle;
        ipc_reply(&(struct msg){ 0 });
    }
    handle_delete(hello);
    return bad;
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

static void sleep_ticks(uint32_t ticks)
{
    static relay_handle never;
    uint32_t bits;
    if (!never)
        notification_create(startup_info()->factory, &never);
    notify_wait(never, &bits, ticks);
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

static uint32_t run_toucher(struct pager *p, const char *what, uint32_t *status)
{
    char args[64];
    struct child c;
    relay_handle exit_n;
    snprintf(args, sizeof args, "role=toucher what=%s", what);
    if (role_spawn(args, p->ep, MAIN_PRIORITY - 1, 16, &c, &exit_n))
        return 99;
    return role_wait(&c, exit_n, 600, status);
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

int main(int argc, char **argv)
{
    return utest_main("defpager", argc, argv);
}
