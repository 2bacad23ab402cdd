/* The kernel's own messages -- fault records, notices -- cannot be forged. */
#include "hostile.h"

static relay_handle rendezvous;

static void raise_bp(void)
{
    RAISE("", "int3", "memory");
}

static void forger(void *arg)
{
    (void)arg;
    /* every reserved bit of the info word set, as a fault record would be labelled */
    sys_send(rendezvous, LABEL_FAULT << MSGINFO_LABEL_SHIFT | 0xF80u | FAULT_WORDS, 1, 2, 3, 4);
}

TEST(kernel_mark_unforgeable, "a user message labelled as a fault record arrives without the kernel's mark")
{
    const struct startup_info *si = startup_info();
    CHECK_EQ(endpoint_create(si->factory, &rendezvous), ERR_NONE);
    struct thread *t;
    struct thread_spec spec = { forger, 0, MAIN_PRIORITY - 1, HANDLE_NULL, 0 };
    CHECK_EQ(thread_spawn(&spec, &t), ERR_NONE);
    struct sys_result r = sys_recv_timeout(100, rendezvous);
    CHECK_EQ(r.error, ERR_NONE);
    CHECK_EQ(msginfo_label(r.r[1]), LABEL_FAULT);     /* the label is the sender's to choose */
    CHECK_EQ(r.r[1] & 0xF80u, 0);                      /* the kernel's marks are not */
    thread_release(t);
    uint32_t before = fault_log.count;
    answer = REPLY_SKIP;
    CHECK(run_victim(raise_bp, 100));                  /* a real record does carry it */
    CHECK_EQ(fault_log.count, before + 1);
    CHECK(fault_log.info & MSGINFO_KERNEL);
    handle_delete(rendezvous);
}
