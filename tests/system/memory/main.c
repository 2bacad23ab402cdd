/*
 * The memory suite: the kernel's mechanism for frames -- ownership, shares
 * with no more rights than their giver's, the reverse map behind revoke and
 * query, page tables paid for by the task's factory -- checked with the
 * system calls themselves.
 */
#include <relay/libos.h>
#include <relay/kinfo.h>
#include "../lib/roles.h"
#include "../lib/utest.h"

#define MAIN_PRIORITY 10u
#define SHARED_VA 0x62000000u

static struct kernel_info kinfo(void)
{
    struct kernel_info k = { 0 };
    kernel_info_settled(&k);
    return k;
}

TEST(query_mapping, "map_query reports the frame and rights at a page, ERR_NOT_MAPPED elsewhere")
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa, got, flags;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(self, 0x60000000, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(page_map(self, 0x60001000, pa, 0), ERR_NONE);
    struct sys_result r = sys_map_query(self, 0x60000000);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(r.r[0], pa);
    CHECK_EQ(r.r[1], MAP_WRITABLE);
    r = sys_map_query(self, 0x60001000);
    CHECK_EQ(r.r[0], pa);
    CHECK_EQ(r.r[1], 0);
    CHECK_EQ(sys_map_query(self, 0x60002000).error, ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(self, 0x60000010).error, ERR_RANGE);
    CHECK_EQ(sys_map_query(self, 0xC0000000).error, ERR_RANGE);
    (void)got, (void)flags;
    CHECK_EQ(page_unmap(self, 0x60000000), ERR_NONE);
    CHECK_EQ(page_unmap(self, 0x60001000), ERR_NONE);
    frame_free(pa);
}

TEST(protect_changes_rights, "map_protect lowers and raises a mapping's rights in place, as far as map would allow")
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(self, 0x60000000, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(map_protect(self, 0x60000000, 0), ERR_NONE);
    struct sys_result r = sys_map_query(self, 0x60000000);
    CHECK_EQ(r.r[0], pa);                                /* the same frame, */
    CHECK_EQ(r.r[1], 0);                                 /* read-only now */
    CHECK_EQ(map_protect(self, 0x60000000, MAP_WRITABLE), ERR_NONE);   /* the owner may raise */
    CHECK_EQ(sys_map_query(self, 0x60000000).r[1], MAP_WRITABLE);
    *(volatile uint32_t *)0x60000000 = 0x1234;           /* and it takes effect at once */
    CHECK_EQ(map_protect(self, 0x60001000, 0), ERR_NOT_MAPPED);
    CHECK_EQ(map_protect(self, 0x60000010, 0), ERR_RANGE);
    CHECK_EQ(map_protect(self, 0xC0000000, 0), ERR_RANGE);
    CHECK_EQ(map_protect(self, 0x60000000, 0x80), ERR_RANGE);
    CHECK_EQ(map_protect(self, STARTUP_VADDR, MAP_WRITABLE), ERR_NOT_OWNER);  /* the kernel's frame */
    CHECK_EQ(page_unmap(self, 0x60000000), ERR_NONE);
    frame_free(pa);
}

/* role=share pa=P: P is mapped read-only at SHARED_VA; pass it on read-only
 * (allowed), then writable (refused), nor raise its own (refused); exit 0 if
 * every answer was right. */
ROLE(share)
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa = utest_arg_u32(argc, argv, "pa", 0);
    int ok = page_map(self, SHARED_VA + 0x1000, pa, 0) == ERR_NONE
          && page_map(self, SHARED_VA + 0x2000, pa, MAP_WRITABLE) == ERR_NOT_OWNER
          && map_protect(self, SHARED_VA, MAP_WRITABLE) == ERR_NOT_OWNER
          && map_protect(self, SHARED_VA + 0x1000, MAP_WRITABLE) == ERR_NOT_OWNER
          && *(volatile uint32_t *)(SHARED_VA + 0x1000) == 0x5151;
    return ok ? 0 : 1;
}

TEST(share_no_more_rights, "a task given a read-only mapping may share it read-only, never writable")
{
    uint32_t pa;
    void *va;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(scratch_map(2, pa, &va), ERR_NONE);
    *(uint32_t *)va = 0x5151;
    scratch_unmap(2);
    char args[48];
    snprintf(args, sizeof args, "role=share pa=%u", pa);
    struct child c;
    relay_handle exit_n;
    /* lower priority: it runs only once the mapping is in place */
    CHECK_EQ(role_spawn(args, HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(page_map(c.task, SHARED_VA, pa, 0), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    frame_free(pa);
}

/* role=hold: wait to be told to read the shared page (then it faults: revoked). */
ROLE(hold)
{
    (void)argc, (void)argv;
    struct msg m;
    ipc_call(startup_info()->parent, &(struct msg){ .label = 1 }, TIMEOUT_FOREVER);
    (void)m;
    return (int)*(volatile uint32_t *)SHARED_VA;   /* revoked: #PF, killed */
}

TEST(revoke_everywhere, "frame_revoke unmaps the owner's frame from every task, its own mappings too")
{
    relay_handle self = startup_info()->self_task, ep;
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(endpoint_create(startup_info()->factory, &ep), ERR_NONE);
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=hold", ep, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    CHECK_EQ(page_map(c.task, SHARED_VA, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(page_map(self, 0x60010000, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(page_map(self, 0x60011000, pa, 0), ERR_NONE);
    struct msg m;
    CHECK_EQ(ipc_recv(ep, &m, 200), ERR_NONE);         /* the child is waiting */
    struct sys_result r = sys_frame_revoke(pa);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(r.r[0], 3);
    CHECK_EQ(sys_map_query(self, 0x60010000).error, ERR_NOT_MAPPED);
    CHECK_EQ(sys_map_query(c.task, SHARED_VA).error, ERR_NOT_MAPPED);
    CHECK_EQ(ipc_reply(&m), ERR_NONE);                 /* now it reads: #PF */
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_KILLED);
    CHECK_EQ(status, 14);
    CHECK_EQ(sys_frame_revoke(pa).r[0], 0);            /* nothing left to revoke */
    CHECK_EQ(sys_frame_revoke(0x00100000).error, ERR_NOT_OWNER);
    frame_free(pa);
    handle_delete(ep);
}


#define TABLES_BUDGET 64u          /* pages of the factory role=tables is made in */
#define TABLES_VA     0x10000000u  /* where it maps, 4 MiB apart */
#define TABLE_SPAN    0x00400000u  /* the address space one page table covers */

/*
 * role=tables, made in a factory of its own: map one frame a page table's
 * worth of address apart until refused.  Each map takes two pages of the
 * factory, for the table and the page of tags beside it (and at most once a
 * page of reverse-map entries with them); the refusal is ERR_NO_MEMORY with
 * less than two pages free, and a refused map changes nothing.  Exits 0 if
 * so, else the first thing wrong.
 */
ROLE(tables)
{
    (void)argc, (void)argv;
    relay_handle self = startup_info()->self_task, f = startup_info()->factory;
    uint32_t pa, va = TABLES_VA, tables = 0, entries_pages = 0;
    int err = ERR_NONE;
    if (frame_alloc(&pa))
        return 100;
    struct fstatus start = fstatus(f), was = start, now = start;
    for (; va < IMAGE_BASE; va += TABLE_SPAN, was = now) {
        err = page_map(self, va, pa, 0);
        now = fstatus(f);
        if (err)
            break;
        tables++;
        if (now.free == was.free - 3)
            entries_pages++;               /* a page of 254 reverse-map entries too */
        else if (now.free != was.free - 2)
            return 101;
    }
    if (err != ERR_NO_MEMORY || now.free != was.free || now.objects != was.objects)
        return 102;                        /* refused, and the refusal took nothing */
    /* Every page free at the start went to a table and its tags (or, once at
     * most, to entries), but for one at most that no table fits in. */
    if (now.free > 1 || now.frames != TABLES_BUDGET || entries_pages > 1
        || 2 * tables + entries_pages + now.free != start.free || tables < TABLES_BUDGET / 4)
        return 103;
    if (page_map(self, va, pa, 0) != ERR_NO_MEMORY || page_map(self, va + TABLE_SPAN, pa, 0) != ERR_NO_MEMORY)
        return 104;
    struct fstatus again = fstatus(f);
    if (again.free != now.free || again.objects != now.objects)
        return 105;                        /* the refusals took nothing */
    if (sys_map_query(self, va).error != ERR_NOT_MAPPED)
        return 106;
    return 0;                              /* and every table goes back when it ends */
}

TEST(task_info_counts, "task_info counts a task's threads and its mapped pages, UTCBs included, and nothing once it has ended")
{
    relay_handle task, thread, exit_n, weak;
    uint32_t threads = 99, pages = 99, bits, pa;
    CHECK_EQ(notification_create(startup_info()->factory, &exit_n), ERR_NONE);
    CHECK_EQ(task_create(startup_info()->factory, exit_n, 1, &task), ERR_NONE);
    CHECK_EQ(task_info(task, &threads, &pages), ERR_NONE);
    CHECK_EQ(threads, 0);
    CHECK_EQ(pages, 0);
    CHECK_EQ(thread_create(task, 0x400000, 0x500000, UTCB_BASE, MAIN_PRIORITY - 1, &thread), ERR_NONE);
    CHECK_EQ(task_info(task, &threads, &pages), ERR_NONE);
    CHECK_EQ(threads, 1);
    CHECK_EQ(pages, 1);                    /* its UTCB */
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(task, 0x60000000, pa, MAP_WRITABLE), ERR_NONE);
    CHECK_EQ(page_map(task, 0x60001000, pa, 0), ERR_NONE);
    CHECK_EQ(task_info(task, &threads, &pages), ERR_NONE);
    CHECK_EQ(pages, 3);
    CHECK_EQ(page_unmap(task, 0x60001000), ERR_NONE);
    CHECK_EQ(task_info(task, &threads, &pages), ERR_NONE);
    CHECK_EQ(pages, 2);
    CHECK_EQ(task_info(exit_n, &threads, &pages), ERR_WRONG_TYPE);
    CHECK_EQ(handle_copy(task, RIGHT_SEND, &weak), ERR_NONE);
    CHECK_EQ(task_info(weak, &threads, &pages), ERR_NO_RIGHTS);
    CHECK_EQ(thread_kill(thread), ERR_NONE);   /* its only thread: the task ends */
    CHECK_EQ(notify_wait(exit_n, &bits, 300), ERR_NONE);
    CHECK_EQ(task_info(task, &threads, &pages), ERR_NONE);
    CHECK_EQ(threads, 0);
    CHECK_EQ(pages, 0);
    handle_delete(weak);
    handle_delete(thread);
    handle_delete(task);
    handle_delete(exit_n);
    kinfo();
    frame_free(pa);
}

TEST(page_tables_paid, "page tables are paid for by the task's factory: ERR_NO_MEMORY when it is empty, all back when the task ends")
{
    struct child c;
    relay_handle exit_n;
    uint32_t bits, state = 99, status = 99, pa;
    void *va;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);  /* the loader's scratch page table, made first: it stays */
    CHECK_EQ(scratch_map(SCRATCH_SLOT_LOADER, pa, &va), ERR_NONE);
    scratch_unmap(SCRATCH_SLOT_LOADER);
    frame_free(pa);
    struct kernel_info before = kinfo();
    CHECK_EQ(role_spawn_paid("role=tables", HANDLE_NULL, MAIN_PRIORITY - 1, 16, TABLES_BUDGET, &c, &exit_n),
             ERR_NONE);
    CHECK_EQ(notify_wait(exit_n, &bits, 300), ERR_NONE);
    CHECK_EQ(task_status(c.task, &state, &status), ERR_NONE);
    CHECK_EQ(state, TASK_EXITED);
    CHECK_EQ(status, 0);
    handle_delete(c.thread);               /* nothing made in the factory is held now */
    handle_delete(c.task);
    c.task = c.thread = HANDLE_NULL;
    kinfo();
    struct fstatus s = fstatus(c.factory);
    CHECK_EQ(s.frames, TABLES_BUDGET);
    CHECK_EQ(s.free, TABLES_BUDGET);       /* every table, and everything else, came back */
    CHECK_EQ(s.objects, 0);
    CHECK_EQ(handle_delete(c.factory), ERR_NONE);
    c.factory = HANDLE_NULL;
    kinfo();
    uint32_t ours = 0;                     /* and with the factory, its frames to us */
    for (uint32_t i = 0; i < TABLES_BUDGET; i++)
        ours += sys_frame_give(startup_info()->self_task, c.kframes + i * PAGE_SIZE, 1).error == ERR_NONE;
    CHECK_EQ(ours, TABLES_BUDGET);
    frame_free_range(c.kframes, TABLES_BUDGET);
    c.kpages = 0;
    spawn_release(&c);
    handle_delete(exit_n);
    struct kernel_info after = kinfo();
    CHECK_EQ(after.tasks, before.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.factories, before.factories);
    CHECK_EQ(after.mappings, before.mappings);
    CHECK_EQ(after.frames_free, before.frames_free);
}

TEST(map_unmap_no_leak, "10,000 map/unmap cycles leave the kernel's frames where they were")
{
    relay_handle self = startup_info()->self_task;
    uint32_t pa;
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(self, 0x64000000, pa, 0), ERR_NONE);   /* the page table exists first */
    struct kernel_info before = kinfo();
    int bad = 0;
    for (int i = 0; i < 10000; i++) {
        bad += page_map(self, 0x64001000, pa, MAP_WRITABLE) != ERR_NONE;
        bad += page_unmap(self, 0x64001000) != ERR_NONE;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(kinfo().frames_free, before.frames_free);
    CHECK_EQ(page_unmap(self, 0x64000000), ERR_NONE);
    frame_free(pa);
}

int main(int argc, char **argv)
{
    return utest_main("memory", argc, argv);
}

ROLE(nothing)
{
    (void)argc, (void)argv;
    return 0;
}

TEST(spawn_leaves_nothing, "a child started and released leaves no task, thread, notification or frame behind")
{
    struct child c;
    relay_handle exit_n;
    CHECK_EQ(role_spawn("role=nothing", HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
    uint32_t status;
    CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_EXITED);   /* warm-up: libos' pools exist */
    struct kernel_info before = kinfo();
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(role_spawn("role=nothing", HANDLE_NULL, MAIN_PRIORITY - 1, 16, &c, &exit_n), ERR_NONE);
        CHECK_EQ(role_wait(&c, exit_n, 200, &status), TASK_EXITED);
    }
    struct kernel_info after = kinfo();
    CHECK_EQ(after.tasks, before.tasks);
    CHECK_EQ(after.threads, before.threads);
    CHECK_EQ(after.notifications, before.notifications);
    CHECK_EQ(after.endpoints, before.endpoints);
    CHECK_EQ(after.frames_free, before.frames_free);
}
