/*
 * The kernel-memory suite: kernel memory is paid for by whoever asks the
 * kernel to hold something (docs/ARCHITECTURE.md section 7).  Every object
 * is made in a factory's frames and goes back there; a factory's end
 * reclaims all that was made from it, cycles included, and gives its frames
 * back; a budget passes down two levels; long runs of creating and
 * destroying leave every count where it was.
 */
#include <relay/libos.h>
#include <relay/kinfo.h>
#include "../lib/roles.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY 10u
#define CODE_VA   0x00400000u        /* the exit stub, in each task of tasks_10000 */
#define CYCLES    10000u

struct budget {
    relay_handle f;
    uint32_t pa, pages;
};

static struct kernel_info kinfo(void)
{
    struct kernel_info k = { 0 };
    kernel_info_settled(&k);
    return k;
}

/* The objects and mappings the kernel holds are as they were. */
static int same_objects(const struct kernel_info *a, const struct kernel_info *b)
{
    int same = a->tasks == b->tasks && a->threads == b->threads && a->endpoints == b->endpoints
        && a->notifications == b->notifications && a->factories == b->factories
        && a->mappings == b->mappings;
    if (!same)
        utest_note("tasks %u -> %u, threads %u -> %u, endpoints %u -> %u, notifications %u -> %u, "
                   "factories %u -> %u, mappings %u -> %u", a->tasks, b->tasks, a->threads, b->threads,
                   a->endpoints, b->endpoints, a->notifications, b->notifications, a->factories,
                   b->factories, a->mappings, b->mappings);
    return same;
}

/* ... and the caller's factory has as many pages free (frames_free is its
 * factory's: its handle table, grown once, stays grown). */
static int same_counts(const struct kernel_info *a, const struct kernel_info *b)
{
    if (a->frames_free != b->frames_free)
        utest_note("the caller's factory had %u pages free, has %u", a->frames_free, b->frames_free);
    return same_objects(a, b) && a->frames_free == b->frames_free;
}


/* A factory made from ours, given `pages` of this task's frames. */
static int budget_make(struct budget *b, uint32_t pages)
{
    b->pages = pages;
    int err = factory_create(startup_info()->factory, &b->f);
    if (!err)
        err = frame_alloc_range(pages, &b->pa);
    if (!err)
        err = factory_give_range(b->f, b->pa, pages);
    return err;
}

/* How many of the budget's frames are this task's again (frame_give to
 * oneself changes nothing but says whether one owns them). */
static uint32_t frames_back(uint32_t pa, uint32_t pages)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < pages; i++)
        n += sys_frame_give(startup_info()->self_task, pa + i * PAGE_SIZE, 1).error == ERR_NONE;
    return n;
}

/* Delete the factory and wait for the kernel to take apart what was made
 * from it: 1 if every frame came back (and went back to the pool). */
static int budget_end(struct budget *b)
{
    handle_delete(b->f);
    kinfo();
    uint32_t back = frames_back(b->pa, b->pages);
    if (back == b->pages)
        frame_free_range(b->pa, b->pages);
    else
        utest_note("%u of %u frames came back", back, b->pages);
    return back == b->pages;
}

TEST(new_factory_is_empty, "factory_create makes an empty factory; factory_give fills it; status counts what it holds")
{
    struct budget b;
    struct kernel_info before = kinfo();
    CHECK_EQ(budget_make(&b, 8), ERR_NONE);
    struct fstatus s = fstatus(b.f);
    CHECK_EQ(s.frames, 8);
    CHECK_EQ(s.free, 8);
    CHECK_EQ(s.objects, 0);
    CHECK_EQ(kinfo().factories, before.factories + 1);
    relay_handle ep;
    CHECK_EQ(endpoint_create(b.f, &ep), ERR_NONE);
    s = fstatus(b.f);
    CHECK_EQ(s.objects, 1);
    CHECK_EQ(s.free, 7);                                  /* a page of cells */
    CHECK_EQ(handle_delete(ep), ERR_NONE);
    kinfo();
    s = fstatus(b.f);
    CHECK_EQ(s.free, 8);
    CHECK_EQ(s.objects, 0);
    CHECK(budget_end(&b));
    struct kernel_info after = kinfo();
    CHECK(same_counts(&before, &after));
}

TEST(give_rules, "factory_give: ERR_MAPPED for a mapped frame, ERR_NOT_OWNER, ERR_RANGE past FRAME_GIVE_MAX; nothing moves")
{
    struct budget b;
    relay_handle self = startup_info()->self_task;
    CHECK_EQ(budget_make(&b, 1), ERR_NONE);
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(self, 0x61000000, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(factory_give(b.f, pa, 1), ERR_MAPPED);
    CHECK_EQ(page_unmap(self, 0x61000000), ERR_NONE);
    CHECK_EQ(factory_give(b.f, startup_info()->images[0].paddr & ~0xFFFu, 1), ERR_NOT_OWNER);
    CHECK_EQ(factory_give(b.f, 0xC0000000u, 1), ERR_NOT_OWNER);
    CHECK_EQ(factory_give(b.f, pa + 1, 1), ERR_RANGE);
    CHECK_EQ(factory_give(b.f, pa, FRAME_GIVE_MAX + 1), ERR_RANGE);
    CHECK_EQ(factory_give(b.f, b.pa, 1), ERR_NOT_OWNER);  /* the factory's already */
    CHECK_EQ(fstatus(b.f).frames, 1);
    CHECK_EQ(frames_back(pa, 1), 1);                      /* still ours */
    frame_free(pa);
    CHECK(budget_end(&b));
}

TEST(exhaustion_is_local, "a factory used up is ERR_NO_MEMORY for it alone: another factory goes on making")
{
    struct budget b;
    struct kernel_info before = kinfo();
    CHECK_EQ(budget_make(&b, 4), ERR_NONE);
    relay_handle ep, other;
    uint32_t made = 0;
    int err;
    while ((err = endpoint_create(b.f, &ep)) == ERR_NONE && made < 10000)
        made++;
    CHECK_EQ(err, ERR_NO_MEMORY);
    CHECK(made > 4);
    struct fstatus full = fstatus(b.f);
    CHECK_EQ(full.free, 0);
    CHECK_EQ(full.objects, made);
    CHECK_EQ(endpoint_create(b.f, &ep), ERR_NO_MEMORY);
    CHECK_EQ(fstatus(b.f).objects, made);               /* a failed call made nothing */
    CHECK_EQ(endpoint_create(startup_info()->factory, &other), ERR_NONE);
    CHECK_EQ(handle_delete(other), ERR_NONE);
    CHECK(budget_end(&b));                                /* the endpoints go with it */
    struct kernel_info after = kinfo();
    CHECK(same_objects(&before, &after));
}

/* Create and destroy one object `CYCLES` times in b: every count as it was. */
static void cycle(const char *kind, int (*once)(relay_handle f, relay_handle task))
{
    struct budget b;
    relay_handle task = HANDLE_NULL, keeper = HANDLE_NULL;
    CHECK_EQ(budget_make(&b, 16), ERR_NONE);
    if (!strcmp(kind, "thread")) {          /* a thread that stays, so the task outlives the others */
        CHECK_EQ(task_create(b.f, HANDLE_NULL, 0, &task), ERR_NONE);
        CHECK_EQ(thread_create(task, CODE_VA, 0, UTCB_BASE + PAGE_SIZE, MAIN_PRIORITY, &keeper), ERR_NONE);
    }
    CHECK_EQ(once(b.f, task), ERR_NONE);              /* what stays made (a page table for the UTCB) */
    struct kernel_info before = kinfo();
    struct fstatus s0 = fstatus(b.f);
    for (uint32_t i = 0; i < CYCLES; i++) {
        int err = once(b.f, task);
        if (err) {
            utest_note("%s: cycle %u: %s", kind, i, strerror(err));
            CHECK_EQ(err, ERR_NONE);
            break;
        }
    }
    struct kernel_info after = kinfo();
    struct fstatus s1 = fstatus(b.f);
    CHECK(same_counts(&before, &after));
    CHECK_EQ(s1.frames, s0.frames);
    CHECK_EQ(s1.free, s0.free);
    CHECK_EQ(s1.objects, s0.objects);
    if (task != HANDLE_NULL) {
        handle_delete(keeper);
        handle_delete(task);
    }
    CHECK(budget_end(&b));
}

static int endpoint_once(relay_handle f, relay_handle task)
{
    relay_handle h;
    (void)task;
    int err = endpoint_create(f, &h);
    return err ? err : handle_delete(h);
}

static int notification_once(relay_handle f, relay_handle task)
{
    relay_handle h;
    (void)task;
    int err = notification_create(f, &h);
    return err ? err : handle_delete(h);
}

static int factory_once(relay_handle f, relay_handle task)
{
    relay_handle h;
    (void)task;
    int err = factory_create(f, &h);
    return err ? err : handle_delete(h);
}

static int task_once(relay_handle f, relay_handle task)
{
    relay_handle h;
    (void)task;
    int err = task_create(f, HANDLE_NULL, 0, &h);
    return err ? err : handle_delete(h);                  /* out of reach: it ends */
}

static int thread_once(relay_handle f, relay_handle task)
{
    relay_handle h;
    (void)f;
    int err = thread_create(task, CODE_VA, 0, UTCB_BASE, MAIN_PRIORITY, &h);
    if (!err)
        err = thread_kill(h);
    return err ? err : handle_delete(h);
}

TEST(endpoint_cycles, "10,000 endpoints created and deleted: the factory and kernel_info as before")
{
    cycle("endpoint", endpoint_once);
}

TEST(notification_cycles, "10,000 notifications created and deleted: the factory and kernel_info as before")
{
    cycle("notification", notification_once);
}

TEST(factory_cycles, "10,000 factories created and deleted: the factory and kernel_info as before")
{
    cycle("factory", factory_once);
}

TEST(task_cycles, "10,000 empty tasks created and dropped: the factory and kernel_info as before")
{
    cycle("task", task_once);
}

TEST(thread_cycles, "10,000 threads created and killed (stack, UTCB and all): the factory and kernel_info as before")
{
    cycle("thread", thread_once);
}

/* mov eax, SYS_exit; mov ebx, 7; int 0x80; jmp $ */
static const uint8_t exit_stub[] = { 0xB8, SYS_exit, 0, 0, 0, 0xBB, 7, 0, 0, 0, 0xCD, 0x80, 0xEB, 0xFE };

TEST(tasks_10000, "10,000 tasks, each with a thread that runs and exits, created and reaped: every count as before")
{
    struct budget b;
    uint32_t code;
    CHECK_EQ(budget_make(&b, 16), ERR_NONE);
    CHECK_EQ(frame_alloc(&code), ERR_NONE);
    CHECK_EQ(frame_fill(code, 0, exit_stub, sizeof exit_stub), ERR_NONE);
    relay_handle done;
    CHECK_EQ(notification_create(startup_info()->factory, &done), ERR_NONE);
    struct kernel_info before = kinfo();
    struct fstatus s0 = fstatus(b.f);
    uint32_t ended = 0;
    for (uint32_t i = 0; i < CYCLES; i++) {
        relay_handle task, thread;
        uint32_t bits, state = 0, st = 0;
        int err = task_create(b.f, done, 1, &task);
        if (!err)
            err = page_map(task, CODE_VA, code, 0);
        if (!err)
            err = thread_create(task, CODE_VA, 0, UTCB_BASE, MAIN_PRIORITY - 1, &thread);
        if (!err)
            err = thread_start(thread);
        if (!err)
            err = notify_wait(done, &bits, TIMEOUT_FOREVER);
        if (!err)
            err = task_status(task, &state, &st);
        if (err) {
            utest_note("task %u: %s", i, strerror(err));
            break;
        }
        ended += state == TASK_EXITED && st == 7;
        handle_delete(thread);
        handle_delete(task);
    }
    CHECK_EQ(ended, CYCLES);
    struct kernel_info after = kinfo();
    struct fstatus s1 = fstatus(b.f);
    CHECK(same_counts(&before, &after));
    CHECK_EQ(s1.free, s0.free);
    CHECK_EQ(s1.objects, s0.objects);
    handle_delete(done);
    frame_free(code);
    CHECK(budget_end(&b));
}

TEST(factory_end_reclaims_cycles, "deleting a factory ends all made from it -- tasks holding each other, endpoints, factories -- and every handle to them")
{
    struct budget b;
    struct kernel_info before = kinfo();
    CHECK_EQ(budget_make(&b, 32), ERR_NONE);
    relay_handle a, c, ep, sub, in_a, in_c;
    CHECK_EQ(task_create(b.f, HANDLE_NULL, 0, &a), ERR_NONE);
    CHECK_EQ(task_create(b.f, HANDLE_NULL, 0, &c), ERR_NONE);
    CHECK_EQ(handle_give(a, c, RIGHTS_ALL, &in_a), ERR_NONE);   /* a holds c, c holds a */
    CHECK_EQ(handle_give(c, a, RIGHTS_ALL, &in_c), ERR_NONE);
    CHECK_EQ(endpoint_create(b.f, &ep), ERR_NONE);
    CHECK_EQ(factory_create(b.f, &sub), ERR_NONE);
    CHECK_EQ(fstatus(b.f).objects, 4);
    CHECK(budget_end(&b));
    uint32_t state, st;
    CHECK_EQ(task_status(a, &state, &st), ERR_STALE_HANDLE);   /* our handles went too */
    CHECK_EQ(sys_send(ep, 0, 0, 0, 0, 0).error, ERR_STALE_HANDLE);
    CHECK_EQ(fstatus(sub).frames, 0);
    CHECK_EQ(factory_status(sub, &st, &st, &st), ERR_STALE_HANDLE);
    struct kernel_info after = kinfo();
    CHECK(same_counts(&before, &after));
}

#define CHAIN 1000u

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

TEST(factory_chain_goes_with_its_root, "1,000 factories each made from the one before and funded with a page, an endpoint in each: deleting the first ends them all, every frame back")
{
    static uint32_t pages[CHAIN];
    struct budget b;
    struct kernel_info before = kinfo();
    CHECK_EQ(budget_make(&b, 1), ERR_NONE);
    relay_handle f = b.f, next, ep;
    uint32_t made = 0;
    for (; made < CHAIN; made++) {
        if (factory_create(f, &next) || frame_alloc(&pages[made])
            || factory_give(next, pages[made], 1) || endpoint_create(next, &ep))
            break;
        f = next;                                 /* (our handles to them go with the first) */
    }
    CHECK_EQ(made, CHAIN);
    CHECK_EQ(kinfo().factories, before.factories + 1 + CHAIN);
    uint64_t t0 = rdtsc();
    CHECK(budget_end(&b));
    printf("  kmem: the chain taken apart in %u guest cycles\n", (uint32_t)(rdtsc() - t0));
    CHECK_EQ(factory_status(f, &made, &made, &made), ERR_STALE_HANDLE);
    made = CHAIN;
    uint32_t back = 0;
    for (uint32_t i = 0; i < made; i++)
        back += frames_back(pages[i], 1);
    CHECK_EQ(back, made);
    for (uint32_t i = 0; i < made; i++)
        frame_free(pages[i]);
    struct kernel_info after = kinfo();
    CHECK(same_objects(&before, &after));
}

/* Spawn a role with a budget of its own. */
static int spawn_budgeted(const char *cmd, relay_handle parent, uint32_t kpages, uint32_t pages,
                          struct child *c, relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    char cmdline[STARTUP_NAME_MAX * 2];
    snprintf(cmdline, sizeof cmdline, "role role=%s", cmd);
    int err = notification_create(si->factory, exit_n);
    if (err)
        return err;
    struct spawn_args a = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = cmdline, .factory = si->factory, .exit_notification = *exit_n, .exit_bits = 1,
        .kernel_pages = kpages, .parent = parent, .memory_pages = pages,
        .images = si->images, .image_count = 1, .priority = MAIN_PRIORITY - 1,
    };
    err = spawn(&a, c);
    if (err)
        handle_delete(*exit_n);
    return err;
}

/* A role that makes what it can of everything, its children's too, then says so and waits. */
ROLE(builder)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle h, sub;
    uint32_t pa;
    for (int i = 0; i < 20; i++)
        endpoint_create(si->factory, &h);
    for (int i = 0; i < 5; i++)
        task_create(si->factory, HANDLE_NULL, 0, &h);
    /* a factory of its own making, funded from its own frames, and a task made in it */
    if (factory_create(si->factory, &sub) || frame_alloc_range(8, &pa) || factory_give_range(sub, pa, 8)
        || task_create(sub, HANDLE_NULL, 0, &h))
        return 1;
    sys_signal(si->parent, 1);
    for (;;)
        yield();
}

TEST(budget_returns_with_children, "a program's budget comes back whole when it is killed, with what its children and factories held")
{
    struct child c;
    relay_handle exit_n, ready;
    uint32_t free_before = frame_free_count(), bits, status;
    struct kernel_info before = kinfo();
    CHECK_EQ(notification_create(startup_info()->factory, &ready), ERR_NONE);
    CHECK_EQ(spawn_budgeted("builder", ready, 64, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(notify_wait(ready, &bits, 500), ERR_NONE);
    struct fstatus s = fstatus(c.factory);
    CHECK_EQ(s.frames, 64);
    CHECK(s.objects >= 20 + 5 + 1 + 1);                   /* its task and thread, endpoints, tasks, factory */
    CHECK_EQ(thread_kill(c.thread), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_KILLED);
    handle_delete(ready);
    struct kernel_info after = kinfo();
    CHECK(same_counts(&before, &after));
    CHECK_EQ(frame_free_count(), free_before);
}

/* A program with a second thread, waiting for ever on a notification of its own. */
static void wait_for_ever(void *arg)
{
    relay_handle n;
    uint32_t bits;
    (void)arg;
    if (notification_create(startup_info()->factory, &n) == ERR_NONE)
        notify_wait(n, &bits, TIMEOUT_FOREVER);
}

ROLE(two_threads)
{
    struct thread *t;
    struct thread_spec spec = { .fn = wait_for_ever, .priority = 5 };
    (void)argc, (void)argv;
    if (thread_spawn(&spec, &t) == ERR_NONE)
        notify_signal(startup_info()->parent, 1);
    wait_for_ever(0);
    return 0;
}

TEST(threads_left_when_factory_goes, "a program whose main thread is killed while another of its threads waits: its task lives on; when its factory goes, every frame and object comes back")
{
    struct child c;
    relay_handle exit_n, ready;
    uint32_t free_before = frame_free_count(), bits;
    struct kernel_info before = kinfo();
    CHECK_EQ(notification_create(startup_info()->factory, &ready), ERR_NONE);
    CHECK_EQ(spawn_budgeted("two_threads", ready, 64, 64, &c, &exit_n), ERR_NONE);
    CHECK_EQ(notify_wait(ready, &bits, 500), ERR_NONE);
    CHECK_EQ(thread_kill(c.thread), ERR_NONE);
    CHECK_EQ(notify_wait(exit_n, &bits, 20), ERR_TIMEOUT);   /* its other thread lives */
    CHECK_EQ(spawn_release(&c), ERR_NONE);                    /* the factory goes with it */
    handle_delete(exit_n);
    handle_delete(ready);
    struct kernel_info after = kinfo();
    CHECK(same_counts(&before, &after));
    CHECK_EQ(frame_free_count(), free_before);
}

/* The middle of a budget passed down twice: it gives a leaf a budget of its own. */
ROLE(middle)
{
    (void)argc, (void)argv;
    struct child c;
    relay_handle exit_n;
    uint32_t status, free_before = frame_free_count(), frames, free, objects;
    struct kernel_info before = kinfo();
    if (spawn_budgeted("leaf", HANDLE_NULL, 32, 0, &c, &exit_n))
        return 2;
    if (factory_status(c.factory, &frames, &free, &objects) || frames != 32)
        return 3;
    if (role_wait(&c, exit_n, 500, &status) != TASK_EXITED || status != 0)
        return 4;
    struct kernel_info after = kinfo();
    if (!same_objects(&before, &after))
        return 5;
    if (frame_free_count() != free_before)
        return 6;
    return 0;
}

/* The leaf: made in a factory its parent funded from what it was given; it makes something there. */
ROLE(leaf)
{
    (void)argc, (void)argv;
    relay_handle ep;
    uint32_t frames, free, objects;
    if (endpoint_create(startup_info()->factory, &ep))
        return 1;
    if (factory_status(startup_info()->factory, &frames, &free, &objects) || frames != 32 || objects < 3)
        return 1;
    return 0;
}

TEST(budget_two_levels, "proc -> this suite -> a program -> its child: each made in a budget its parent passed down, all back at the end")
{
    struct child c;
    relay_handle exit_n;
    uint32_t status, frames, free, objects, free_before = frame_free_count();
    CHECK_EQ(factory_status(startup_info()->factory, &frames, &free, &objects), ERR_NONE);
    CHECK(frames > 0 && frames < 8192);                   /* proc's budget for this program, not all memory */
    CHECK_EQ(spawn_budgeted("middle", HANDLE_NULL, 64, 256, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 1000, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(frame_free_count(), free_before);
}

int main(int argc, char **argv)
{
    return utest_main("kmem", argc, argv);
}
