/* The boot file system's client: see relay/bootfs_client.h. */
#include <relay/bootfs_client.h>
#include <relay/rpc.h>
#include <relay/string.h>
#include <relay/thread.h>
#include <relay/error.h>

int bootfs_list(relay_handle fs, uint32_t index, char name[BOOTFS_NAME_MAX], uint32_t *size,
                uint32_t *files)
{
    struct msg r;
    int err = rpc_call(fs, BOOTFS_LIST, &index, 1, &r);
    if (err)
        return err;
    if (r.length < 2 + BOOTFS_NAME_WORDS)
        return ERR_INVALID;
    *size = r.w[0];
    *files = r.w[1];
    memcpy(name, &r.w[2], BOOTFS_NAME_MAX);
    name[BOOTFS_NAME_MAX - 1] = '\0';
    return ERR_NONE;
}

int bootfs_stat(relay_handle fs, const char *name, uint32_t *index, uint32_t *size)
{
    uint32_t w[BOOTFS_NAME_WORDS];
    struct msg r;
    if (!bootfs_pack_name(w, name))
        return ERR_INVALID;
    int err = rpc_call(fs, BOOTFS_STAT, w, BOOTFS_NAME_WORDS, &r);
    if (err)
        return err;
    if (r.length < 2)
        return ERR_INVALID;
    *index = r.w[0];
    *size = r.w[1];
    return ERR_NONE;
}

int bootfs_read(relay_handle fs, uint32_t index, uint32_t offset, void *buf, uint32_t count,
                uint32_t *got)
{
    uint8_t *p = buf;
    *got = 0;
    while (count) {
        uint32_t in[3] = { index, offset, count < BOOTFS_READ_MAX ? count : BOOTFS_READ_MAX };
        struct msg r;
        int err = rpc_call(fs, BOOTFS_READ, in, 3, &r);
        if (err)
            return err;
        uint32_t n = r.length >= 1 ? r.w[0] : 0;
        if (n > in[2] || r.length < 1 + (n + 3) / 4)
            return ERR_INVALID;               /* a server that breaks the protocol */
        if (n == 0)
            break;                            /* the end of the file */
        memcpy(p, &r.w[1], n);
        p += n, offset += n, count -= n, *got += n;
    }
    return ERR_NONE;
}

int bootfs_map(relay_handle fs, uint32_t index, uint32_t va, uint32_t *pages, uint32_t *offset)
{
    struct utcb *u = utcb_self();
    *pages = 0;
    for (;;) {
        uint32_t in[2] = { index, *pages };
        struct msg r;
        u->recv_map_va = va + *pages * PAGE_SIZE;
        u->recv_map_pages = MSG_MAP_PAGES_MAX;
        int err = rpc_call(fs, BOOTFS_MAP, in, 2, &r);
        u->recv_map_pages = 0;
        if (err == ERR_RANGE && *pages)
            return ERR_NONE;                  /* past the last page: all of it is mapped */
        if (err)
            return err;
        uint32_t got = r.flags & MSGINFO_MAP ? u->recv_mapped : 0;
        if (got == 0 || r.length < 3 || got != r.w[0] || r.w[2] >= PAGE_SIZE)
            return ERR_INVALID;               /* fewer pages than the server sent: the window's fault */
        *pages += got;
        *offset = r.w[2];
    }
}
