/*
 * bootfs: the boot file system (ipc/relay/bootfs.h; docs/DRIVERS.md, "The
 * boot file system").  proc's manager starts it with every boot module as
 * an image, mapped read-only here, and the endpoint "serve"; it answers
 * LIST, STAT, READ and MAP on it for ever.  It keeps no state a client can
 * change: a restart loses nothing.
 */
#include <relay/libos.h>
#include <relay/bootfs.h>

static const struct startup_info *si;
static char names[STARTUP_IMAGES_MAX][BOOTFS_NAME_MAX];

/* The last path part of the first word of a module's command line. */
static void file_name(const char *cmdline, char name[BOOTFS_NAME_MAX])
{
    const char *start = cmdline, *end;
    while (*start == ' ')
        start++;
    for (end = start; *end && *end != ' '; end++)
        if (*end == '/')
            start = end + 1;
    uint32_t n = (uint32_t)(end - start) < BOOTFS_NAME_MAX - 1 ? (uint32_t)(end - start) : BOOTFS_NAME_MAX - 1;
    memcpy(name, start, n);
    name[n] = '\0';
}

static int op_list(const struct msg *in, struct msg *reply)
{
    if (in->length < 1 || in->w[0] >= si->image_count)
        return ERR_RANGE;
    reply->w[0] = si->images[in->w[0]].size;
    reply->w[1] = si->image_count;
    bootfs_pack_name(&reply->w[2], names[in->w[0]]);
    reply->length = 2 + BOOTFS_NAME_WORDS;
    return ERR_NONE;
}

static int op_stat(const struct msg *in, struct msg *reply)
{
    char name[BOOTFS_NAME_MAX];
    if (in->length < BOOTFS_NAME_WORDS)
        return ERR_INVALID;
    memcpy(name, in->w, BOOTFS_NAME_MAX);
    uint32_t len = 0;
    while (len < BOOTFS_NAME_MAX && name[len])
        len++;
    if (len == BOOTFS_NAME_MAX)
        return ERR_INVALID;                      /* no NUL within the name's bytes */
    for (uint32_t i = 0; i < si->image_count; i++)
        if (!strcmp(names[i], name)) {
            reply->w[0] = i;
            reply->w[1] = si->images[i].size;
            reply->length = 2;
            return ERR_NONE;
        }
    return ERR_NOT_FOUND;
}

static int op_read(const struct msg *in, struct msg *reply)
{
    if (in->length < 3 || in->w[0] >= si->image_count)
        return in->length < 3 ? ERR_INVALID : ERR_RANGE;
    const struct startup_image *im = &si->images[in->w[0]];
    uint32_t offset = in->w[1], count = in->w[2];
    if (count > BOOTFS_READ_MAX)
        return ERR_INVALID;
    uint32_t n = offset >= im->size ? 0 : im->size - offset < count ? im->size - offset : count;
    memcpy(&reply->w[1], (const uint8_t *)im->vaddr + offset, n);
    reply->w[0] = n;
    reply->length = 1 + (n + 3) / 4;
    return ERR_NONE;
}

static int op_map(const struct msg *in, struct msg *reply)
{
    if (in->length < 2 || in->w[0] >= si->image_count)
        return in->length < 2 ? ERR_INVALID : ERR_RANGE;
    const struct startup_image *im = &si->images[in->w[0]];
    uint32_t base = im->vaddr & ~(PAGE_SIZE - 1);
    uint32_t pages = (im->vaddr + im->size - base + PAGE_SIZE - 1) / PAGE_SIZE;
    if (in->w[1] >= pages)
        return ERR_RANGE;
    struct utcb *u = utcb_self();
    u->send_map_va = base + in->w[1] * PAGE_SIZE;
    u->send_map_pages = pages - in->w[1] < MSG_MAP_PAGES_MAX ? pages - in->w[1] : MSG_MAP_PAGES_MAX;
    u->send_map_flags = 0;                       /* read-only */
    reply->flags = MSGINFO_MAP;
    reply->w[0] = u->send_map_pages;
    reply->w[1] = im->size;
    reply->w[2] = im->vaddr - base;
    reply->length = 3;
    return ERR_NONE;
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    static const struct rpc_op ops[] = {
        { BOOTFS_LIST, op_list }, { BOOTFS_STAT, op_stat },
        { BOOTFS_READ, op_read }, { BOOTFS_MAP, op_map },
    };
    si = startup_info();
    relay_handle serve = startup_handle("serve");
    if (serve == HANDLE_NULL) {
        printf("bootfs: not given \"serve\": nothing to serve on\n");
        return 1;
    }
    for (uint32_t i = 0; i < si->image_count; i++)
        file_name(si->images[i].cmdline, names[i]);
    printf("bootfs: %u files\n", si->image_count);
    int err = rpc_serve(serve, ops, sizeof ops / sizeof ops[0]);
    printf("bootfs: its endpoint is gone: %s\n", strerror(err));
    return 1;
}
