/* The startup page's contents, checked, written and read: see relay/start.h. */
#include <relay/start.h>
#include <relay/error.h>
#include <relay/string.h>

static int terminated(const char *s, uint32_t size)
{
    for (uint32_t i = 0; i < size; i++)
        if (!s[i])
            return 1;
    return 0;
}

int startup_check(const struct startup_info *si)
{
    if (si->magic != STARTUP_MAGIC || si->version != STARTUP_VERSION)
        return ERR_INVALID;
    if (si->argc > STARTUP_ARGS_MAX || si->memory_count > STARTUP_RANGES_MAX ||
        si->image_count > STARTUP_IMAGES_MAX || si->device_count > STARTUP_RANGES_MAX ||
        si->handle_count > STARTUP_HANDLES_MAX)
        return ERR_INVALID;
    for (uint32_t i = 0; i < si->image_count; i++)
        if (!terminated(si->images[i].cmdline, STARTUP_NAME_MAX))
            return ERR_INVALID;
    return ERR_NONE;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

int startup_set_args(struct startup_info *si, const char *cmdline)
{
    uint32_t argc = 0, used = 0;
    for (const char *p = cmdline; *p;) {
        if (is_space(*p)) {
            p++;
            continue;
        }
        size_t len = 0;
        while (p[len] && !is_space(p[len]))
            len++;
        if (argc == STARTUP_ARGS_MAX || len + 1 > STARTUP_STRINGS - used)
            return ERR_RANGE;
        si->argv[argc++] = used;
        memcpy(si->strings + used, p, len);
        si->strings[used + len] = '\0';
        used += len + 1;
        p += len;
    }
    si->argc = argc;
    return ERR_NONE;
}

int startup_get_args(const struct startup_info *si, char strings[STARTUP_STRINGS],
                     char *argv[STARTUP_ARGS_MAX + 1], uint32_t *argc)
{
    if (si->argc > STARTUP_ARGS_MAX)
        return ERR_INVALID;
    for (uint32_t i = 0; i < si->argc; i++) {
        uint32_t at = si->argv[i];
        if (at >= STARTUP_STRINGS || !terminated(si->strings + at, STARTUP_STRINGS - at))
            return ERR_INVALID;
    }
    memcpy(strings, si->strings, STARTUP_STRINGS);
    for (uint32_t i = 0; i < si->argc; i++)
        argv[i] = strings + si->argv[i];
    argv[si->argc] = NULL;
    *argc = si->argc;
    return ERR_NONE;
}
