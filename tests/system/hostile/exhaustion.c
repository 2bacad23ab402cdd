/*
 * Running a budget of kernel memory dry (docs/ARCHITECTURE.md section 7).
 * There is no pool for everyone: each object, and all it grows, is made in
 * the frames of the factory it (or its task) was made from.  The offender
 * is a role made in a small factory of its own, which the suite makes from
 * its own and funds with its own frames (spawn_args.kernel_pages).  The
 * role makes one kind -- endpoints, notifications, tasks, threads,
 * factories, handles, reverse-map entries, or every kind at once -- until
 * ERR_NO_MEMORY, and checks that the refused call made nothing
 * (factory_status and kernel_info as before it).  Meanwhile the suite, paid
 * for by its own factory, goes on creating, mapping and calling the role.
 * When the role ends -- it exits, is killed, or its factory is destroyed
 * under it -- every page comes back to its factory, and with the factory
 * every frame back to the suite; kernel_info is as it was.  A handle table
 * with memory to spare fills to its last slot (ERR_NO_SLOT); a task's page
 * tables are a page of its factory each.
 */
#include "generic.h"

enum exhaust_kind {
    X_ENDPOINTS, X_NOTIFICATIONS, X_TASKS, X_THREADS, X_FACTORIES, X_RMAP, X_HANDLES,
    X_EVERY,                              /* each of the kinds above, in turn, until all are refused */
    X_KINDS
};
static const char *const kind_names[X_KINDS] = { "endpoints", "notifications", "tasks", "threads",
                                                 "factories", "reverse_map", "handles", "every_kind" };

#define EXHAUST_LIMIT  HANDLE_SLOTS       /* nothing takes more: a loop that gets this far is a bug */
#define THREAD_VA      0x20000000u        /* the exhaust role's threads' UTCBs */
#define RMAP_VA        0x10000000u        /* where it maps one frame again and again */
#define TABLE_SPAN     0x00400000u        /* the address space one page table covers */
#define ROLE_BUDGET    64u                /* pages of the role's factory */
#define ROLE_PAGES     4u                 /* frames of memory it is given */
#define HANDLES_PER_PAGE_USED 127u        /* handles in a page of a handle table (128 slots, one a header) */
#define TABLE_PAGES_MAX 1024u             /* pages a handle table can have */


static int fstatus_same(struct fstatus a, struct fstatus b)
{
    return a.frames == b.frames && a.free == b.free && a.objects == b.objects;
}

/* Every count kernel_info has, the caller's free pages among them, is as it was. */
static int kinfo_same(const struct kernel_info *a, const struct kernel_info *b)
{
    return a->tasks == b->tasks && a->threads == b->threads && a->endpoints == b->endpoints
        && a->notifications == b->notifications && a->factories == b->factories
        && a->mappings == b->mappings && a->frames_free == b->frames_free;
}

/* CHECK_NO_LEAK, and the factories and reverse-map entries as well. */
#define CHECK_ALL_BACK(before)                                                 \
    do {                                                                       \
        CHECK_NO_LEAK(before);                                                 \
        struct kernel_info all_ = kinfo();                                     \
        CHECK_EQ(all_.factories, (before).factories);                          \
        CHECK_EQ(all_.mappings, (before).mappings);                            \
    } while (0)

/* How many of pages frames from pa on this task owns (frame_give to oneself
 * changes nothing, but says whether one owns the frame). */
static uint32_t frames_owned(uint32_t pa, uint32_t pages)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < pages; i++)
        n += sys_frame_give(startup_info()->self_task, pa + i * PAGE_SIZE, 1).error == ERR_NONE;
    return n;
}

/* --- The role ---------------------------------------------------------- */

struct maker {
    enum exhaust_kind kind;
    uint32_t pa;                          /* the frame it maps */
    uint32_t threads, maps;               /* made so far: the next UTCB and mapping go after them */
    relay_handle last;                    /* the last handle it made */
};

/* One more of kind k: ERR_NONE, or the refusal.  *object: what it made is an
 * object (a mapping or a handle copy is not). */
static int make_one(struct maker *mk, enum exhaust_kind k, int *object)
{
    const struct startup_info *si = startup_info();
    relay_handle h;
    int err;
    *object = 1;
    switch (k) {
    case X_ENDPOINTS:
        return endpoint_create(si->factory, &h);
    case X_NOTIFICATIONS:
        return notification_create(si->factory, &h);
    case X_TASKS:                         /* empty: a cell and a page directory */
        return task_create(si->factory, HANDLE_NULL, 0, &h);
    case X_THREADS:                       /* in its own task: a cell, a kernel stack, a UTCB */
        err = thread_create(si->self_task, 0x1000, 0, THREAD_VA + mk->threads * PAGE_SIZE, 1, &h);
        mk->threads += err == ERR_NONE;
        return err;
    case X_FACTORIES:
        return factory_create(si->factory, &h);
    case X_RMAP:                          /* one frame again: a reverse-map entry each */
        *object = 0;
        err = page_map(si->self_task, RMAP_VA + mk->maps * PAGE_SIZE, mk->pa, 0);
        mk->maps += err == ERR_NONE;
        return err;
    case X_HANDLES:                       /* its table grows a page at a time */
        *object = 0;
        err = handle_copy(si->self_task, RIGHT_CONTROL, &h);
        if (err == ERR_NONE)
            mk->last = h;
        return err;
    default:
        return ERR_INVALID;
    }
}

/* The kinds mk makes: one, or all of them. */
static uint32_t kinds_of(const struct maker *mk)
{
    return mk->kind == X_EVERY ? (1u << X_EVERY) - 1 : 1u << mk->kind;
}

/*
 * Make what mk makes until every kind of it is refused (X_EVERY: each in
 * turn, so that all share the pages); *made counts what was made, *objects
 * those that were objects.  Returns the refusal: ERR_NO_MEMORY, the first
 * other error, or ERR_NONE if EXHAUST_LIMIT came first.
 */
static int exhaust(struct maker *mk, uint32_t *made, uint32_t *objects)
{
    uint32_t all = kinds_of(mk), refused = 0;
    *made = *objects = 0;
    while (refused != all && *made < EXHAUST_LIMIT)
        for (uint32_t k = 0; k < X_EVERY; k++) {
            if (!(all & ~refused & 1u << k))
                continue;
            int object, err = make_one(mk, (enum exhaust_kind)k, &object);
            if (err != ERR_NONE && err != ERR_NO_MEMORY)
                return err;
            if (err) {
                refused |= 1u << k;
            } else {
                (*made)++;
                *objects += (uint32_t)object;
            }
        }
    return refused == all ? ERR_NO_MEMORY : ERR_NONE;
}

/* What check_refusal found wrong, a bit each. */
enum wrong {
    W_AGAIN = 1,          /* a call refused before was not refused the same way again */
    W_STATUS = 2,         /* a refused call changed factory_status */
    W_KINFO = 4,          /* ... or a count of kernel_info */
    W_OBJECTS = 8,        /* the factory's objects are not what was made */
    W_FREE = 16,          /* refused with pages free that would have done */
    W_MAPPED = 32,        /* a refused thread or map left a mapping */
    W_SLOT_CALLS = 64,    /* a full table: a call needing a slot was not refused */
};

/* Every call needing a handle slot (a full table refuses them all, with the same error). */
static uint32_t slot_calls_refused(int refusal)
{
    const struct startup_info *si = startup_info();
    relay_handle x;
    uint32_t wrong = 0;
    wrong += endpoint_create(si->factory, &x) != refusal;
    wrong += notification_create(si->factory, &x) != refusal;
    wrong += task_create(si->factory, HANDLE_NULL, 0, &x) != refusal;
    wrong += factory_create(si->factory, &x) != refusal;
    wrong += thread_create(si->self_task, 0x1000, 0, THREAD_VA - PAGE_SIZE, 1, &x) != refusal;
    wrong += handle_mint(si->parent, 5, RIGHT_SEND, &x) != refusal;
    wrong += handle_copy(si->factory, RIGHTS_ALL, &x) != refusal;
    wrong += handle_give(si->self_task, si->self_task, RIGHT_CONTROL, &x) != refusal;
    wrong += sys_map_query(si->self_task, THREAD_VA - PAGE_SIZE).error != ERR_NOT_MAPPED;
    return wrong ? W_SLOT_CALLS : 0;
}

/*
 * After the refusal: each kind is tried again and refused the same way, and
 * nothing changes -- not the factory, not kernel_info, no UTCB or page left
 * mapped.  *end is the factory as the refusal left it.
 */
static uint32_t check_refusal(struct maker *mk, int refusal, struct fstatus start, uint32_t objects,
                              struct fstatus *end)
{
    const struct startup_info *si = startup_info();
    uint32_t wrong = 0, all = kinds_of(mk);
    *end = fstatus(si->factory);
    struct kernel_info k0 = kinfo();
    for (uint32_t k = 0; k < X_EVERY; k++) {
        int object;
        if ((all & 1u << k) && make_one(mk, (enum exhaust_kind)k, &object) != refusal)
            wrong |= W_AGAIN;
    }
    if ((all & 1u << X_THREADS)
        && sys_map_query(si->self_task, THREAD_VA + mk->threads * PAGE_SIZE).error != ERR_NOT_MAPPED)
        wrong |= W_MAPPED;
    if ((all & 1u << X_RMAP)
        && sys_map_query(si->self_task, RMAP_VA + mk->maps * PAGE_SIZE).error != ERR_NOT_MAPPED)
        wrong |= W_MAPPED;
    if (mk->kind == X_HANDLES)
        wrong |= slot_calls_refused(refusal);
    struct kernel_info k1 = kinfo();
    if (!fstatus_same(fstatus(si->factory), *end))
        wrong |= W_STATUS;
    if (!kinfo_same(&k0, &k1))
        wrong |= W_KINFO;
    if (end->objects != start.objects + objects)
        wrong |= W_OBJECTS;
    /* A thread needs up to three pages (its cell's, a stack, a UTCB), a task
     * up to three (its cell's, a directory and the directory's tags), a
     * mapping up to three (a page table and its tags, a page of entries):
     * those may be refused with two free; anything else needs at most one. */
    if (refusal == ERR_NO_MEMORY && end->free > (mk->kind == X_THREADS || mk->kind == X_TASKS
                                                 || mk->kind == X_RMAP || mk->kind == X_EVERY ? 2u : 0u))
        wrong |= W_FREE;
    return wrong;
}

/* Messages between the suite and the role. */
enum { EXHAUSTED = 1, PING, FREE_SLOT, QUIT };

/* The report's words. */
enum { R_MADE, R_REFUSAL, R_WRONG, R_START_FREE, R_FRAMES, R_FREE, R_OBJECTS, R_MADE_OBJECTS, R_LAST,
       R_WORDS };

/*
 * role=exhaust kind=N: makes an endpoint to be called on, then kind N until
 * refused, checks the refusal, and sends its parent the report (words R_*)
 * with the endpoint.  Then it serves the suite on it, holding everything:
 * PING (answered with w[0] + 1 and whether a handle came with it),
 * FREE_SLOT (deletes a handle and creates an endpoint in the slot: the
 * error) and QUIT (exits 0).  It gives nothing back before it ends.
 */
ROLE(exhaust)
{
    const struct startup_info *si = startup_info();
    struct maker mk = { (enum exhaust_kind)utest_arg_u32(argc, argv, "kind", 0), 0, 0, 0, HANDLE_NULL };
    relay_handle serve, x;
    uint32_t made, objects;
    struct fstatus end;
    if (mk.kind >= X_KINDS || endpoint_create(si->factory, &serve))
        return 100;
    if ((kinds_of(&mk) & 1u << X_RMAP) && frame_alloc(&mk.pa))
        return 101;
    struct fstatus start = fstatus(si->factory);
    int refusal = exhaust(&mk, &made, &objects);
    uint32_t wrong = check_refusal(&mk, refusal, start, objects, &end);
    struct msg m = { .label = EXHAUSTED, .length = R_WORDS, .flags = MSGINFO_HANDLE, .handle = serve,
                     .w = { made, (uint32_t)refusal, wrong, start.free, end.frames, end.free,
                            end.objects, objects, mk.last } };
    if (ipc_send_msg(si->parent, &m, 3000))
        return 102;
    for (;;) {
        if (ipc_recv(serve, &m, TIMEOUT_FOREVER))
            return 103;
        uint32_t arrived = (m.flags & MSGINFO_HANDLE) || utcb_self()->recv_handle != HANDLE_NULL;
        switch (m.label) {
        case PING:
            m = (struct msg){ .label = PING, .length = 2, .w = { m.w[0] + 1, arrived } };
            break;
        case FREE_SLOT:
            handle_delete(si->parent);
            m = (struct msg){ .label = FREE_SLOT, .length = 1,
                              .w = { (uint32_t)endpoint_create(si->factory, &x) } };
            break;
        case QUIT:
            ipc_reply(&(struct msg){ .label = QUIT });
            return 0;                     /* and everything it holds goes with it */
        default:
            m = (struct msg){ .label = 0 };
        }
        ipc_reply(&m);
    }
}

/* --- The suite's side -------------------------------------------------- */

struct run {
    enum exhaust_kind kind;
    uint32_t budget;                      /* pages of the role's factory */
    struct kernel_info before;
    struct child c;
    relay_handle ep, exit_n, serve;
    uint32_t r[R_WORDS];                  /* the role's report */
};

/* A role that did not report: destroy its factory, which ends it and all
 * it made, and take back the rest. */
static void role_abandon(struct run *x)
{
    uint32_t bits;
    handle_revoke(x->c.factory);
    handle_delete(x->c.factory);
    x->c.factory = HANDLE_NULL;
    notify_wait(x->exit_n, &bits, 3000);
    kinfo();
    frame_free_range(x->c.kframes, x->c.kpages);
    x->c.kpages = 0;
    spawn_release(&x->c);
    handle_delete(x->exit_n);
}

/* Start role=exhaust for kind in a factory of budget pages; take its
 * report.  0 if there is none (then the role is gone). */
static int role_start(struct run *x, enum exhaust_kind kind, uint32_t budget)
{
    const struct startup_info *si = startup_info();
    char role[40];
    struct msg m;
    *x = (struct run){ .kind = kind, .budget = budget };
    x->before = kinfo_base();
    snprintf(role, sizeof role, "role=exhaust kind=%u", (unsigned)kind);
    CHECK_EQ(endpoint_create(si->factory, &x->ep), ERR_NONE);
    int err = role_spawn_paid(role, x->ep, MAIN_PRIORITY - 1, ROLE_PAGES, budget, &x->c, &x->exit_n);
    CHECK_EQ(err, ERR_NONE);
    if (err == ERR_NONE) {
        err = ipc_recv(x->ep, &m, 3000);
        CHECK_EQ(err, ERR_NONE);
        CHECK_EQ(m.label, EXHAUSTED);
        CHECK(m.flags & MSGINFO_HANDLE);
        if (err == ERR_NONE && (m.label != EXHAUSTED || !(m.flags & MSGINFO_HANDLE)))
            err = ERR_INVALID;
        if (err)
            role_abandon(x);
    }
    if (err) {
        handle_delete(x->ep);
        return 0;
    }
    x->serve = m.handle;
    memcpy(x->r, m.w, sizeof x->r);
    utest_note("%s: made %u (%u objects), refused with %s; its factory: %u pages, %u free at the "
               "start, %u free and %u objects at the end; wrong 0x%x", kind_names[kind],
               x->r[R_MADE], x->r[R_MADE_OBJECTS], strerror((int)x->r[R_REFUSAL]), x->r[R_FRAMES],
               x->r[R_START_FREE], x->r[R_FREE], x->r[R_OBJECTS], x->r[R_WRONG]);
    CHECK_EQ(x->r[R_WRONG], 0);           /* the refusal made nothing, changed nothing */
    CHECK(x->r[R_MADE] > 0 && x->r[R_MADE] < EXHAUST_LIMIT);
    CHECK_EQ(x->r[R_FRAMES], budget);
    /* Seen from here too: the factory is as the role left it, its frames not ours. */
    struct fstatus s = fstatus(x->c.factory);
    CHECK_EQ(s.frames, budget);
    CHECK_EQ(s.free, x->r[R_FREE]);
    CHECK_EQ(s.objects, x->r[R_OBJECTS]);
    CHECK_EQ(frames_owned(x->c.kframes, budget), 0);
    return 1;
}

/* While the role holds all its factory has: the suite's own calls -- create
 * each kind, a task with a thread, a map -- succeed, and so does a round
 * trip with the role. */
static void others_go_on(struct run *x)
{
    const struct startup_info *si = startup_info();
    relay_handle ep, n, f;
    struct target t;
    uint32_t pa;
    CHECK_EQ(sys_nop().error, ERR_NONE);
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    CHECK_EQ(notification_create(si->factory, &n), ERR_NONE);
    CHECK_EQ(factory_create(si->factory, &f), ERR_NONE);
    CHECK_EQ(target_make(&t), ERR_NONE);  /* a task and a thread */
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    CHECK_EQ(page_map(t.task, 0x10000000u, pa, 0), ERR_NONE);
    CHECK_EQ(sys_map_query(t.task, 0x10000000u).r[0], pa);
    struct msg m = { .label = PING, .length = 1, .w = { 41 } };
    CHECK_EQ(ipc_call(x->serve, &m, 3000), ERR_NONE);
    CHECK_EQ(m.label, PING);
    CHECK_EQ(m.w[0], 42);
    target_drop(&t);
    frame_free(pa);
    handle_delete(f);
    handle_delete(n);
    handle_delete(ep);
}

enum ending {
    ROLE_EXITS,           /* told to QUIT, it exits */
    ROLE_KILLED,          /* its only thread is killed: the task ends */
    FACTORY_DESTROYED,    /* every handle to its factory deleted: it ends with all made there */
};

/*
 * End the role; then its factory holds nothing but free pages, and once it
 * is destroyed every frame is ours again, and kernel_info is as before.
 */
static void role_end(struct run *x, enum ending ending)
{
    static const char *const endings[] = { "exits", "killed", "reclaimed" };
    uint32_t bits, state = 99, status = 99;
    char name[48];
    path_reset();                         /* its end and teardown, measured */
    if (ending == ROLE_EXITS) {
        struct msg m = { .label = QUIT };
        CHECK_EQ(ipc_call(x->serve, &m, 3000), ERR_NONE);
        CHECK_EQ(m.label, QUIT);
    } else if (ending == ROLE_KILLED) {
        CHECK_EQ(thread_kill(x->c.thread), ERR_NONE);
    } else {
        CHECK_EQ(handle_revoke(x->c.factory), ERR_NONE);   /* the role's own handle to it too */
        CHECK_EQ(handle_delete(x->c.factory), ERR_NONE);   /* the last one */
        x->c.factory = HANDLE_NULL;
    }
    CHECK_EQ(notify_wait(x->exit_n, &bits, 3000), ERR_NONE);
    kinfo();                              /* taken apart */
    if (ending == FACTORY_DESTROYED) {
        /* It ended, and every handle to what was made in the factory --
           its task, its thread, its endpoint -- ours among them, went. */
        CHECK_EQ(task_status(x->c.task, &state, &status), ERR_STALE_HANDLE);
        CHECK_EQ(thread_kill(x->c.thread), ERR_STALE_HANDLE);
        CHECK_EQ(ipc_call(x->serve, &(struct msg){ .label = PING }, 10), ERR_STALE_HANDLE);
    } else {
        CHECK_EQ(task_status(x->c.task, &state, &status), ERR_NONE);
        CHECK_EQ(state, ending == ROLE_EXITS ? TASK_EXITED : TASK_KILLED);
        CHECK_EQ(status, ending == ROLE_EXITS ? 0 : TASK_STATUS_KILLED);
        /* What it made went with it: once our handles to its task, thread
           and endpoint go, its factory has all its pages free. */
        handle_delete(x->serve);
        handle_delete(x->c.thread);
        handle_delete(x->c.task);
        kinfo();
        struct fstatus s = fstatus(x->c.factory);
        CHECK_EQ(s.frames, x->budget);
        CHECK_EQ(s.free, x->budget);
        CHECK_EQ(s.objects, 0);
        CHECK_EQ(handle_delete(x->c.factory), ERR_NONE);   /* destroyed: its frames come home */
        x->c.factory = HANDLE_NULL;
    }
    x->c.task = x->c.thread = HANDLE_NULL;
    kinfo();
    CHECK_EQ(frames_owned(x->c.kframes, x->budget), x->budget);
    frame_free_range(x->c.kframes, x->budget);
    x->c.kpages = 0;
    spawn_release(&x->c);                 /* its program's frames and memory, back to the pool */
    handle_delete(x->exit_n);
    handle_delete(x->ep);
    CHECK_ALL_BACK(x->before);
    snprintf(name, sizeof name, "exhausted_%s_%s",
             x->r[R_REFUSAL] == ERR_NO_SLOT ? "handle_table" : kind_names[x->kind], endings[ending]);
    path_report(name);
}

/* The whole case for one kind: exhaust, check, carry on, end, check. */
static void exhaust_case(enum exhaust_kind kind, uint32_t min_made, enum ending ending)
{
    struct run x;
    if (!role_start(&x, kind, ROLE_BUDGET))
        return;
    CHECK_EQ(x.r[R_REFUSAL], ERR_NO_MEMORY);
    CHECK(x.r[R_MADE] >= min_made);
    others_go_on(&x);
    role_end(&x, ending);
}

TEST(exhaust_endpoints, "a role makes endpoints until its 64-page factory is spent: ERR_NO_MEMORY, changing nothing; the suite goes on; all back when it exits")
{
    exhaust_case(X_ENDPOINTS, 64, ROLE_EXITS);
}

TEST(exhaust_notifications, "a role makes notifications until its factory is spent: ERR_NO_MEMORY, changing nothing; the suite goes on; all back when it is killed")
{
    exhaust_case(X_NOTIFICATIONS, 64, ROLE_KILLED);
}

TEST(exhaust_tasks, "a role makes tasks until its factory is spent: ERR_NO_MEMORY; the suite goes on; destroying the factory ends the role and its tasks, all back")
{
    exhaust_case(X_TASKS, 16, FACTORY_DESTROYED);
}

TEST(exhaust_threads, "a role makes threads until its factory is spent: ERR_NO_MEMORY, no UTCB mapped; the suite goes on; all back when it exits")
{
    exhaust_case(X_THREADS, 8, ROLE_EXITS);
}

TEST(exhaust_factories, "a role makes factories until its factory is spent: ERR_NO_MEMORY; the suite goes on; destroying it takes back the factories made from it")
{
    exhaust_case(X_FACTORIES, 64, FACTORY_DESTROYED);
}

TEST(exhaust_reverse_map, "a role maps one frame until its factory has no page for reverse-map entries: ERR_NO_MEMORY, nothing mapped; killed, all back")
{
    exhaust_case(X_RMAP, 4096, ROLE_KILLED);
}

TEST(exhaust_every_kind, "a role spends its factory on every kind at once until each create, map and handle is ERR_NO_MEMORY, changing nothing; the suite goes on; all back")
{
    exhaust_case(X_EVERY, 64, ROLE_EXITS);
}

/* A role whose table has no room: a handle sent to it is dropped (the
 * message arrives without it); with one handle deleted, creating works. */
static void no_room_for_a_handle(struct run *x)
{
    struct kernel_info full = kinfo();
    struct msg m = { .label = PING, .length = 1, .flags = MSGINFO_HANDLE, .handle = x->ep, .w = { 1 } };
    CHECK_EQ(ipc_call(x->serve, &m, 3000), ERR_NONE);
    CHECK_EQ(m.w[0], 2);                  /* the message arrived ... */
    CHECK_EQ(m.w[1], 0);                  /* ... without the handle */
    struct kernel_info after = kinfo();
    CHECK(kinfo_same(&full, &after));
    m = (struct msg){ .label = FREE_SLOT };
    CHECK_EQ(ipc_call(x->serve, &m, 3000), ERR_NONE);
    CHECK_EQ(m.w[0], ERR_NONE);           /* a slot free again: creating works */
}

TEST(exhaust_handle_slots, "a handle table grows a page of 127 at a time from its task's factory; when none is left every call needing a slot is ERR_NO_MEMORY, a handle sent there dropped")
{
    struct run x;
    if (!role_start(&x, X_HANDLES, ROLE_BUDGET))
        return;
    CHECK_EQ(x.r[R_REFUSAL], ERR_NO_MEMORY);
    /* Every page free at the start became a page of handles. */
    CHECK_EQ(x.r[R_MADE] / HANDLES_PER_PAGE_USED, x.r[R_START_FREE]);
    CHECK(x.r[R_MADE] > 7 * HANDLES_PER_PAGE_USED);
    others_go_on(&x);
    no_room_for_a_handle(&x);
    role_end(&x, ROLE_EXITS);
}

/* Enough for a role and a whole handle table: what it has, and the table's other pages. */
#define FULL_TABLE_BUDGET (ROLE_BUDGET + TABLE_PAGES_MAX)

TEST(handle_table_full, "a handle table with memory to spare fills to its last slot (1,024 pages of 127): then ERR_NO_SLOT for every call needing one, a handle sent there dropped")
{
    struct run x;
    if (!role_start(&x, X_HANDLES, FULL_TABLE_BUDGET))
        return;
    CHECK_EQ(x.r[R_REFUSAL], ERR_NO_SLOT);
    CHECK_EQ(HANDLE_SLOT(x.r[R_LAST]), HANDLE_SLOTS - 1);   /* the last slot there is */
    CHECK_EQ(x.r[R_MADE] / HANDLES_PER_PAGE_USED, TABLE_PAGES_MAX - 1);   /* all but its first page's */
    CHECK(x.r[R_FREE] > 0);               /* the table's limit, not the memory's */
    others_go_on(&x);
    no_room_for_a_handle(&x);
    role_end(&x, ROLE_EXITS);
}

TEST(page_tables_paid, "map 4 MiB apart until ERR_NO_MEMORY: each page table and its tags are two pages of the task's factory, the refusal changes nothing; all back when the task ends")
{
    const struct startup_info *si = startup_info();
    struct kernel_info before = kinfo_base();
    relay_handle f, task;
    uint32_t kframes, pa, tables = 1, odd = 0, va = TABLE_SPAN;
    int err;
    CHECK_EQ(factory_create(si->factory, &f), ERR_NONE);
    CHECK_EQ(frame_alloc_range(ROLE_BUDGET, &kframes), ERR_NONE);
    CHECK_EQ(factory_give_range(f, kframes, ROLE_BUDGET), ERR_NONE);
    CHECK_EQ(task_create(f, HANDLE_NULL, 0, &task), ERR_NONE);   /* its cell, its directory and tags */
    CHECK_EQ(frame_alloc(&pa), ERR_NONE);
    struct fstatus s = fstatus(f), was;
    CHECK_EQ(s.objects, 1);
    CHECK_EQ(s.free, ROLE_BUDGET - 3);
    CHECK_EQ(page_map(task, va, pa, 0), ERR_NONE);   /* a table, its tags, a page of reverse-map entries */
    CHECK_EQ(fstatus(f).free, ROLE_BUDGET - 6);
    for (;;) {
        was = fstatus(f);
        va += TABLE_SPAN;
        if (va >= USER_TOP || (err = page_map(task, va, pa, 0)) != ERR_NONE)
            break;
        tables++;
        odd += fstatus(f).free != was.free - 2;   /* two pages: the table and its tags */
    }
    CHECK_EQ(err, ERR_NO_MEMORY);
    CHECK_EQ(odd, 0);
    CHECK_EQ(tables, 1 + (ROLE_BUDGET - 6) / 2);   /* every page but the task's, its directory, its tags' and the entries' */
    CHECK_EQ(was.free, (ROLE_BUDGET - 6) % 2);
    CHECK(fstatus_same(fstatus(f), was));   /* refused: nothing taken */
    CHECK_EQ(page_map(task, va, pa, 0), ERR_NO_MEMORY);
    CHECK_EQ(page_map(task, va + TABLE_SPAN, pa, 0), ERR_NO_MEMORY);
    CHECK(fstatus_same(fstatus(f), was));
    CHECK_EQ(sys_map_query(task, va).error, ERR_NOT_MAPPED);
    CHECK_EQ(kinfo().mappings, before.mappings + tables);
    CHECK_EQ(page_map(task, TABLE_SPAN + PAGE_SIZE, pa, 0), ERR_NONE);   /* a table it has: fine */
    CHECK(fstatus_same(fstatus(f), was));
    relay_handle ep;                      /* the suite's own factory is another's */
    CHECK_EQ(endpoint_create(si->factory, &ep), ERR_NONE);
    handle_delete(ep);
    CHECK_EQ(handle_delete(task), ERR_NONE);   /* out of reach: it ends */
    kinfo();
    s = fstatus(f);
    CHECK_EQ(s.frames, ROLE_BUDGET);
    CHECK_EQ(s.free, ROLE_BUDGET);        /* every table came back */
    CHECK_EQ(s.objects, 0);
    CHECK_EQ(handle_delete(f), ERR_NONE);
    kinfo();
    CHECK_EQ(frames_owned(kframes, ROLE_BUDGET), ROLE_BUDGET);
    frame_free_range(kframes, ROLE_BUDGET);
    frame_free(pa);
    CHECK_ALL_BACK(before);
}

#define ORPHANS 3

/* role=orphans: makes ORPHANS tasks, each with a thread it never starts, and exits holding them. */
ROLE(orphans)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    for (int i = 0; i < ORPHANS; i++) {
        relay_handle task, thread;
        int err = task_create(si->factory, HANDLE_NULL, 0, &task);
        if (err || (err = thread_create(task, 0x1000, 0, UTCB_BASE, 1, &thread)))
            return 100 + err;
    }
    return 0;
}

TEST(orphans_reclaimed, "3 tasks whose threads never started, left by a role that exits: the kernel takes them back")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=orphans", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_ticks(2);
    CHECK_NO_LEAK(before);
}

/* role=self_held: tasks that hold handles only to themselves -- one empty,
 * one with a thread it never started, one lent frames it lent back in
 * turn -- and exits holding none of them. */
ROLE(self_held)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle empty, task, thread, given;
    uint32_t pa;
    if (task_create(si->factory, HANDLE_NULL, 0, &empty)
        || handle_give(empty, empty, RIGHT_CONTROL, &given)
        || task_create(si->factory, HANDLE_NULL, 0, &task)
        || thread_create(task, 0x1000, 0, UTCB_BASE, 1, &thread)
        || handle_give(task, task, RIGHT_CONTROL, &given)
        || handle_give(task, thread, RIGHT_CONTROL, &given)
        || frame_alloc(&pa) || sys_frame_give(task, pa, 1).error)
        return 100;
    handle_delete(empty);                          /* held now by itself alone */
    handle_delete(thread);
    handle_delete(task);
    return 0;
}

TEST(self_held_reclaimed, "tasks holding handles only to themselves and their unstarted threads end, their frames back")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=self_held", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    struct child lent = c;                         /* role_wait forgets the spans */
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_ticks(2);
    CHECK_NO_LEAK(before);
    for (uint32_t i = 0; i < lent.span_count; i++)   /* the frame it lent on came back through it */
        for (uint32_t pa = lent.spans[i].start; pa < lent.spans[i].end; pa += PAGE_SIZE)
            CHECK_EQ(sys_frame_give(startup_info()->self_task, pa, 1).error, ERR_NONE);
}

/* role=cycle: two tasks, each holding a handle to the other and one of them
 * to a thread of the other it never started, and frames lent to one; then
 * it drops its own handles and exits. */
ROLE(cycle)
{
    (void)argc, (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle a, b, thread, given;
    uint32_t pa;
    if (task_create(si->factory, HANDLE_NULL, 0, &a) || task_create(si->factory, HANDLE_NULL, 0, &b)
        || thread_create(b, 0x1000, 0, UTCB_BASE, 1, &thread)
        || handle_give(a, b, RIGHT_CONTROL, &given) || handle_give(b, a, RIGHT_CONTROL, &given)
        || handle_give(a, thread, RIGHT_CONTROL, &given)
        || frame_alloc(&pa) || sys_frame_give(a, pa, 1).error)
        return 100;
    handle_delete(thread);
    handle_delete(a);
    handle_delete(b);
    sleep_ticks(2);                                  /* alive, out of reach but for each other */
    return 0;
}

TEST(created_end_with_creator, "two tasks holding each other, out of everyone else's reach, end with the task that made them")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99;
    CHECK_EQ(role_spawn("role=cycle", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    struct child lent = c;
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    sleep_ticks(2);
    CHECK_NO_LEAK(before);
    for (uint32_t i = 0; i < lent.span_count; i++)
        for (uint32_t pa = lent.spans[i].start; pa < lent.spans[i].end; pa += PAGE_SIZE)
            CHECK_EQ(sys_frame_give(startup_info()->self_task, pa, 1).error, ERR_NONE);
}

/* role=suspend_self: its only thread suspends itself for good. */
ROLE(suspend_self)
{
    (void)argc, (void)argv;
    sys_thread_suspend(startup_info()->self_thread);
    return 100;                                    /* never: nothing can resume it */
}

TEST(self_suspended_reclaimed, "a program whose only thread suspends itself ends once its parent lets go of it")
{
    struct kernel_info before = kinfo_base();
    relay_handle exit_n;
    struct child c;
    uint32_t bits = 0;
    CHECK_EQ(role_spawn("role=suspend_self", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    sleep_ticks(2);
    CHECK_EQ(notify_wait(exit_n, &bits, TIMEOUT_POLL), ERR_TIMEOUT);   /* held by its parent: alive */
    handle_delete(c.task);                         /* let go: only its own handles hold it now */
    handle_delete(c.thread);
    c.task = c.thread = HANDLE_NULL;
    CHECK_EQ(notify_wait(exit_n, &bits, 500), ERR_NONE);
    spawn_release(&c);
    handle_delete(exit_n);
    sleep_ticks(2);
    CHECK_NO_LEAK(before);
}

#define NOTICES_QUEUED 16u                /* ABI.md section 8: notices that wait in the kernel */
#define FAULTERS       20u

static void fault_unhandled(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)0x0BAD2000u = 1;       /* no handler in this task: killed, with a notice */
}

/* role=faulters: FAULTERS threads, each killed by a #PF nobody handles. */
ROLE(faulters)
{
    (void)argc, (void)argv;
    relay_handle n;
    uint32_t bits;
    if (notification_create(startup_info()->factory, &n))
        return 100;
    for (uint32_t i = 0; i < FAULTERS; i++) {
        struct thread *t;
        struct thread_spec spec = { fault_unhandled, 0, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
        if (thread_spawn(&spec, &t))
            return 101;
    }
    notify_wait(n, &bits, 20);                    /* they run and die meanwhile */
    return 0;
}

TEST(exhaust_notices, "20 unhandled faults, nobody listening: 16 notices wait, 4 counted lost; the queue works again")
{
    struct kernel_info before = kinfo_base();
    struct fault_record n;
    relay_handle exit_n;
    struct child c;
    uint32_t status = 99, lost = 0, taken = 0;
    while (take_notice(&n, TIMEOUT_POLL) == ERR_NONE)
        ;                                         /* notices of earlier tests */
    CHECK_EQ(kinfo().notices_queued, 0);
    CHECK_EQ(role_spawn("role=faulters", HANDLE_NULL, MAIN_PRIORITY - 1, 80, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_EXITED);
    CHECK_EQ(status, 0);
    CHECK_EQ(kinfo().notices_queued, NOTICES_QUEUED);
    while (take_notice(&n, TIMEOUT_POLL) == ERR_NONE) {
        taken++;
        lost += n.lost;
        CHECK_EQ(n.reason, NOTICE_NO_HANDLER);
        CHECK_EQ(n.cr2, 0x0BAD2000u);
    }
    CHECK_EQ(taken, NOTICES_QUEUED);
    CHECK_EQ(lost, 0);                            /* those dropped are told with the next one */
    CHECK_EQ(kinfo().notices_queued, 0);
    CHECK_EQ(role_spawn("role=page_faulter", HANDLE_NULL, MAIN_PRIORITY - 1, 4, &c, &exit_n), ERR_NONE);
    CHECK_EQ(role_wait(&c, exit_n, 500, &status), TASK_KILLED);
    CHECK_EQ(take_notice(&n, 100), ERR_NONE);
    CHECK_EQ(n.cr2, 0x0BAD1000u);
    CHECK_EQ(n.lost, FAULTERS - NOTICES_QUEUED);
    CHECK_NO_LEAK(before);
}
