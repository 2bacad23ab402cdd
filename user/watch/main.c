/*
 * watch: a write watchpoint, answered from one fault_fn (docs/PAGER.md).
 *
 * It starts a copy of itself as the client and watches the client's page
 * at REGION.  The first touch maps a zeroed frame there read-only.  Each
 * write is then a #PF: the watcher notes the word's value, makes the page
 * writable and resumes the client with the trap flag set, so the store
 * runs one step.  The #DB after it shows the new value: the watcher logs
 * the write, makes the page read-only again and resumes without TF.
 */
#include <relay/libos.h>

#define REGION          0x50000000u     /* the client's watched page */
#define MIRROR          0x60000000u     /* its frame here, read-only: what the watcher reads */
#define PAGER_PRIORITY  14u
#define CLIENT_PRIORITY 9u              /* below ours: the client runs only when we wait */
#define VECTOR_DB       1u
#define VECTOR_PF       14u

/* The client's stores, in assembly so that the log can name each one
   (the client is a copy of this program: its labels are ours). */
void client_stores(volatile uint32_t *page);
extern const char store_1[], store_2[], store_3[];
asm(".pushsection .text\n"
    "client_stores:\n\t"
    "movl 4(%esp), %eax\n"
    "store_1:\tmovl $1, (%eax)\n"
    "store_2:\tmovl $42, 16(%eax)\n"
    "store_3:\taddl $1, (%eax)\n\t"
    "ret\n"
    ".popsection");

static const char *store_name(uint32_t eip)
{
    if (eip == (uint32_t)store_1)
        return "store_1";
    if (eip == (uint32_t)store_2)
        return "store_2";
    return eip == (uint32_t)store_3 ? "store_3" : "?";
}

static struct {
    relay_handle client;        /* its task: map_protect the page there */
    uint32_t frame;             /* the page's frame, also mapped at MIRROR */
    uint32_t addr, old, eip;    /* the write under way */
    uint32_t writes;            /* logged */
} w;

static uint32_t word_at(uint32_t addr)
{
    return ((volatile uint32_t *)MIRROR)[(addr - REGION) / 4];
}

/* Both faults come here: the #PF of each write, and the #DB of its one step. */
static int watch(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    a->verdict = ANSWER_RESUME;
    if (f->vector == VECTOR_DB) {               /* the store has run: log it, protect again */
        printf("watch: write to 0x%08x at %s: 0x%08x -> 0x%08x\n", w.addr, store_name(w.eip),
               w.old, word_at(w.addr));
        w.writes++;
        f->regs.eflags &= ~EFLAGS_TF;
        return map_protect(w.client, REGION, 0);
    }
    if (f->vector != VECTOR_PF || PAGE_DOWN(f->address) != REGION)
        return ERR_RANGE;                       /* not ours: the client dies */
    if (!f->page.protection) {                  /* the first touch: a zeroed frame, read-only */
        printf("watch: 0x%08x mapped read-only\n", REGION);
        a->verdict = ANSWER_MAP;
        a->flags = 0;
        int err = pager_zero_frame(&a->frame);
        if (!err)
            err = page_map(startup_info()->self_task, MIRROR, a->frame, 0);
        w.frame = a->frame;
        return err;
    }
    w.addr = f->address & ~3u;                  /* a write: let it through, one step */
    w.old = word_at(w.addr);
    w.eip = f->regs.eip;
    f->regs.eflags |= EFLAGS_TF;
    return map_protect(w.client, REGION, MAP_WRITABLE);
}

static int client(void)
{
    volatile uint32_t *page = (volatile uint32_t *)REGION;
    client_stores(page);
    return page[0] == 2 && page[4] == 42 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "client") == 0)
        return client();

    const struct startup_info *si = startup_info();
    relay_handle ep, done;
    if (notification_create(si->factory, &done) != ERR_NONE)
        return 3;
    struct spawn_args args = {
        .image = (const void *)si->images[0].vaddr, .image_size = si->images[0].size,
        .cmdline = "watch client", .factory = si->factory,
        .exit_notification = done, .exit_bits = 1,
        .memory_pages = 16, .priority = CLIENT_PRIORITY,
    };
    struct child c;
    if (spawn(&args, &c) != ERR_NONE)
        return 4;
    w.client = c.task;
    /* The client's exception handler takes its #DB, and its #PF too: it has no pager. */
    if (pager_start(watch, 0, PAGER_PRIORITY, &ep) != ERR_NONE
        || fault_set_handler(c.thread, ep) != ERR_NONE)
        return 5;

    uint32_t bits, state = TASK_ALIVE, status = 0;
    if (notify_wait(done, &bits, 1000) == ERR_NONE)
        task_status(c.task, &state, &status);
    page_unmap(si->self_task, MIRROR);
    frame_free(w.frame);
    char how[64];
    status_describe(state, status, how, sizeof how);
    int ok = state == TASK_EXITED && status == 0 && w.writes == 3;
    printf("%s watch: the client %s after %u writes, each logged\n", ok ? "PASS" : "FAIL", how,
           w.writes);
    printf("watch: %d passed, %d failed\n", ok, !ok);
    return !ok;
}
