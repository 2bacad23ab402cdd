/* Roles: see roles.h. */
#include "roles.h"

int role_spawn(const char *role_and_args, relay_handle parent, uint32_t priority,
               uint32_t pages, struct child *c, relay_handle *exit_n)
{
    return role_spawn_paid(role_and_args, parent, priority, pages, 0, c, exit_n);
}

int role_spawn_paid(const char *role_and_args, relay_handle parent, uint32_t priority,
                    uint32_t pages, uint32_t kernel_pages, struct child *c, relay_handle *exit_n)
{
    return role_spawn_full(role_and_args, parent, priority, pages, kernel_pages, 0, 0, c, exit_n);
}

int role_spawn_with(const char *role_and_args, relay_handle parent, uint32_t priority, uint32_t pages,
                    const struct spawn_handle *handles, uint32_t handle_count, struct child *c,
                    relay_handle *exit_n)
{
    return role_spawn_full(role_and_args, parent, priority, pages, 0, handles, handle_count, c, exit_n);
}

int role_spawn_full(const char *role_and_args, relay_handle parent, uint32_t priority, uint32_t pages,
                    uint32_t kernel_pages, const struct spawn_handle *handles, uint32_t handle_count,
                    struct child *c, relay_handle *exit_n)
{
    const struct startup_info *si = startup_info();
    if (si->image_count == 0)                 /* started other than by proc */
        return ERR_INVALID;
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
        .give_factory = kernel_pages ? HANDLE_NULL : si->factory,
        .kernel_pages = kernel_pages,
        .parent = parent,
        .memory_pages = pages,
        .priority = priority,
        .handles = handles,
        .handle_count = handle_count,
    };
    err = spawn(&a, c);
    if (err)
        handle_delete(*exit_n);
    return err;
}

uint32_t role_wait(struct child *c, relay_handle exit_n, uint32_t ticks, uint32_t *status)
{
    uint32_t bits, state = TASK_ALIVE;
    *status = 0;
    if (notify_wait(exit_n, &bits, ticks) == ERR_NONE)
        task_status(c->task, &state, status);
    if (state != TASK_ALIVE) {
        spawn_release(c);
        handle_delete(exit_n);
    }
    return state;
}
