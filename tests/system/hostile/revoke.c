/*
 * A derivation chain over 10,000 deep, spread over 41 tasks (a table has 256
 * slots): each role is given the chain's end (handle_give), copies it 245
 * times with handle_copy, and passes its last copy back in a message for
 * the next role.  Then the suite revokes the root: every handle of every
 * role must be stale (each role checks its own and reports), nothing else
 * may change, and the kernel's counts come back when the roles end.
 */
#include "generic.h"

#define CHAIN_ROLES  41
#define CHAIN_COPIES 245                  /* per role: its table also holds 6 others */
#define CHAIN_DEPTH  (CHAIN_ROLES * (CHAIN_COPIES + 1))
_Static_assert(CHAIN_DEPTH >= 10000, "ten thousand deep");

enum { LINK_READY = 1, LINK_PASSED, LINK_WAITING };

/*
 * role=chain_link: asks its parent for the chain's end (the reply's w[0] is
 * its number here, and carries an endpoint to wait on), copies it
 * CHAIN_COPIES times, sends the last copy back, waits on that endpoint for
 * the revoke, and exits with the number of its handles still alive.  With
 * early=1 it exits as soon as it has passed its copy on.
 */
ROLE(chain_link)
{
    static relay_handle h[CHAIN_COPIES + 1];
    const struct startup_info *si = startup_info();
    struct msg m = { .label = LINK_READY };
    if (ipc_call(si->parent, &m, 1000) || !(m.flags & MSGINFO_HANDLE))
        return 1000;
    relay_handle wait_ep = m.handle;
    uint32_t n = 0, unusable = 0, alive = 0;
    h[0] = m.w[0];
    while (n < CHAIN_COPIES && handle_copy(h[n], RIGHTS_ALL, &h[n + 1]) == ERR_NONE)
        n++;
    for (uint32_t i = 0; i <= n; i++)               /* each names the endpoint: not a task */
        unusable += sys_task_status(h[i]).error != ERR_WRONG_TYPE;
    m = (struct msg){ .label = LINK_PASSED, .length = 2, .w = { n, unusable },
                      .flags = MSGINFO_HANDLE, .handle = h[n] };
    if (ipc_call(si->parent, &m, 1000))
        return 1001;
    if (utest_arg_u32(argc, argv, "early", 0))
        return 0;                                   /* gone before the revoke, its handles with it */
    m = (struct msg){ .label = LINK_WAITING };
    if (ipc_call(wait_ep, &m, 6000))                /* answered once the root was revoked */
        return 1002;
    for (uint32_t i = 0; i <= n; i++)
        alive += sys_task_status(h[i]).error != ERR_STALE_HANDLE;
    return (int)alive;
}

static struct child links[CHAIN_ROLES];
static relay_handle link_exit[CHAIN_ROLES];

/*
 * Build a chain through `roles` roles (role `early` leaves as soon as it has
 * passed its copy on, -1 for none), revoke its root, and check that every
 * role's handles went.
 */
static void chain_then_revoke(int roles, int early)
{
    const struct startup_info *si = startup_info();
    handle_table_grow(256);                           /* what the roles' handles need, grown once */
    struct kernel_info before = kinfo_base();
    relay_handle setup, wait_ep, wait_send, root, end;
    uint32_t depth = 0, unusable = 0, waiting = 0;
    int spawned = 0;
    struct msg m;
    CHECK_EQ(endpoint_create(si->factory, &setup), ERR_NONE);
    CHECK_EQ(endpoint_create(si->factory, &wait_ep), ERR_NONE);
    CHECK_EQ(handle_copy(wait_ep, RIGHT_SEND, &wait_send), ERR_NONE);
    CHECK_EQ(endpoint_create(si->factory, &root), ERR_NONE);
    end = root;
    for (int k = 0; k < roles; k++) {
        relay_handle theirs;
        if (role_spawn(k == early ? "role=chain_link early=1" : "role=chain_link", setup,
                       MAIN_PRIORITY - 1, 0, &links[k], &link_exit[k])) {
            printf("  chain: role %d could not be started (%u frames left here)\n", k, frame_free_count());
            break;
        }
        spawned++;
        CHECK_EQ(ipc_recv(setup, &m, 1000), ERR_NONE);
        CHECK_EQ(m.label, LINK_READY);
        CHECK_EQ(handle_give(links[k].task, end, RIGHTS_ALL, &theirs), ERR_NONE);
        if (end != root)
            handle_delete(end);                       /* the chain goes on through the role's copy */
        CHECK_EQ(ipc_reply(&(struct msg){ .length = 1, .w = { theirs }, .flags = MSGINFO_HANDLE,
                                          .handle = wait_send }), ERR_NONE);
        CHECK_EQ(ipc_recv(setup, &m, 1000), ERR_NONE);
        CHECK_EQ(m.label, LINK_PASSED);
        CHECK(m.flags & MSGINFO_HANDLE);
        depth += m.w[0] + 1;
        unusable += m.w[1];
        end = m.handle;
        CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
        if (k == early) {                             /* its links went: the chain closed over them */
            uint32_t status = 99;
            CHECK_EQ(role_wait(&links[k], link_exit[k], 1000, &status), TASK_EXITED);
            CHECK_EQ(status, 0);
        }
    }
    CHECK_EQ(spawned, roles);
    CHECK_EQ(depth, (uint32_t)roles * (CHAIN_COPIES + 1));
    CHECK_EQ(unusable, 0);
    CHECK_EQ(handle_delete(end), ERR_NONE);
    path_reset();
    CHECK_EQ(handle_revoke(root), ERR_NONE);
    if (roles == CHAIN_ROLES)
        CHECK(path_report("revoke_chain") <= LONGEST_PATH_BOUND || !path_bounded);
    CHECK_EQ(sys_task_status(root).error, ERR_WRONG_TYPE);   /* the root itself stays */
    CHECK_EQ(sys_nop().error, ERR_NONE);
    for (int k = 0; k < spawned; k++) {
        if (k == early)
            continue;
        CHECK_EQ(ipc_recv(wait_ep, &m, 1000), ERR_NONE);
        CHECK_EQ(ipc_reply(&(struct msg){ 0 }), ERR_NONE);
        waiting++;
    }
    for (int k = 0; k < spawned; k++) {
        uint32_t status = 99;
        if (k == early)
            continue;
        CHECK_EQ(role_wait(&links[k], link_exit[k], 1000, &status), TASK_EXITED);
        CHECK_EQ(status, 0);                          /* handles of its chain still alive */
    }
    CHECK_EQ(waiting, (uint32_t)(early >= 0 && early < spawned ? spawned - 1 : spawned));
    handle_delete(root);
    handle_delete(wait_send);
    handle_delete(wait_ep);
    handle_delete(setup);
    CHECK_NO_LEAK(before);
}

TEST(revoke_deep_chain, "a handle chain 10,086 deep across 41 tasks, root revoked: every derived handle stale, counts back")
{
    chain_then_revoke(CHAIN_ROLES, -1);
}

TEST(revoke_chain_link_gone, "a chain across 5 tasks whose middle one ends first: revoke of the root still reaches every handle")
{
    chain_then_revoke(5, 2);
}
