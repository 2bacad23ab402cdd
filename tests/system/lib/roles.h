/*
 * Roles: a system suite that needs partners in other tasks starts copies of
 * its own program (the root task gives every program its own image as
 * images[0]) with `role=NAME` and arguments; utest_main runs the ROLE.
 */
#ifndef ROLES_H
#define ROLES_H

#include <relay/libos.h>

/*
 * Start a copy of this program running "role=NAME args" at priority, with
 * `parent` (an endpoint or notification, or HANDLE_NULL) given to it with
 * RIGHT_SEND | RIGHT_GRANT, a factory, and `pages` frames of memory.  *exit_n
 * (created here) is signalled when it ends.
 */
int role_spawn(const char *role_and_args, relay_handle parent, uint32_t priority,
               uint32_t pages, struct child *c, relay_handle *exit_n);
/* The same, in a factory of its own made from ours and given kernel_pages of
 * our frames (spawn_args.kernel_pages): its task and all it makes are paid
 * for from there (c->factory, c->kframes); the factory goes with the role
 * when role_wait releases it. */
int role_spawn_paid(const char *role_and_args, relay_handle parent, uint32_t priority,
                    uint32_t pages, uint32_t kernel_pages, struct child *c, relay_handle *exit_n);

/* The same, with handles given by name (spawn_args.handles). */
int role_spawn_with(const char *role_and_args, relay_handle parent, uint32_t priority, uint32_t pages,
                    const struct spawn_handle *handles, uint32_t handle_count, struct child *c,
                    relay_handle *exit_n);
int role_spawn_full(const char *role_and_args, relay_handle parent, uint32_t priority, uint32_t pages,
                    uint32_t kernel_pages, const struct spawn_handle *handles, uint32_t handle_count,
                    struct child *c, relay_handle *exit_n);

/* Wait (up to ticks) for a role to end; returns its task state and its status
 * in *status, and once it has ended releases it. */
uint32_t role_wait(struct child *c, relay_handle exit_n, uint32_t ticks, uint32_t *status);

/* A factory's frames, how many are unused pages, and the objects made from
 * it (factory_status), for a role's budget and the suites' own. */
struct fstatus {
    uint32_t frames, free, objects;
};

static inline struct fstatus fstatus(relay_handle f)
{
    struct fstatus s = { 0, 0, 0 };
    factory_status(f, &s.frames, &s.free, &s.objects);
    return s;
}

#endif
