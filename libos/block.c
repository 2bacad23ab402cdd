/* The block client: see relay/block_client.h. */
#include <relay/block_client.h>
#include <relay/error.h>
#include <relay/msg.h>
#include <relay/string.h>
#include <relay/sys.h>
#include <relay/thread.h>

/* Map the buffer's pages into the driver: BLOCK_ATTACH with MSGINFO_MAP. */
static int share(struct block_client *c)
{
    struct utcb *u = utcb_self();
    u->send_map_va = (uint32_t)c->buffer;
    u->send_map_pages = c->bytes / PAGE_SIZE;
    u->send_map_flags = c->share;                 /* pages this task may not write go read-only */
    struct sys_result r = sys_call(c->driver, msginfo(BLOCK_ATTACH, 0, 0) | MSGINFO_MAP, 0, 0, 0, 0);
    if (r.error)
        return (int)r.error;
    int err = (int)msginfo_label(r.r[1]);
    if (!err)
        c->flags = r.r[3];
    return err;
}

/* The errors that say the driver was restarted: during the call, or since the buffer was shared. */
static int restarted(int err, int attached)
{
    return err == ERR_NO_PARTNER || (err == ERR_STATE && attached);
}

/* One request, repeated after a restart (sharing the buffer again first if c is attached). */
static int request(struct block_client *c, uint32_t label, const uint32_t *words, uint32_t n,
                   struct msg *reply)
{
    int attached = c->buffer != NULL, err = ERR_NONE;
    for (uint32_t tries = 0;; tries++) {
        if (!err) {
            msg_set(reply, label, words, n);
            err = ipc_call(c->driver, reply, TIMEOUT_FOREVER);
            if (!err)
                err = (int)reply->label;
        }
        if (!restarted(err, attached) || tries == BLOCK_RETRIES)
            return err;
        c->restarts++;
        err = attached ? share(c) : ERR_NONE;     /* a share that fails is tried again too */
    }
}

static int attach(struct block_client *c, relay_handle driver, void *buffer, uint32_t bytes,
                  uint32_t share_flags)
{
    if ((uint32_t)buffer % PAGE_SIZE || bytes == 0 || bytes % PAGE_SIZE)
        return ERR_INVALID;
    if (bytes > BLOCK_BUFFER_MAX)
        return ERR_RANGE;
    *c = (struct block_client){ .driver = driver, .buffer = buffer, .bytes = bytes,
                                .share = share_flags };
    for (uint32_t off = 0; off < bytes; off += PAGE_SIZE) {   /* so that each page is mapped */
        volatile uint8_t *p = c->buffer + off;
        (void)*p;
    }
    int err = share(c);
    for (uint32_t tries = 0; err == ERR_NO_PARTNER && tries < BLOCK_RETRIES; tries++) {
        c->restarts++;
        err = share(c);
    }
    if (err)
        c->buffer = NULL;
    return err;
}

int block_attach(struct block_client *c, relay_handle driver, void *buffer, uint32_t bytes)
{
    return attach(c, driver, buffer, bytes, MAP_WRITABLE);
}

int block_attach_read_only(struct block_client *c, relay_handle driver, const void *buffer,
                           uint32_t bytes)
{
    return attach(c, driver, (void *)buffer, bytes, 0);
}

int block_detach(struct block_client *c)
{
    if (!c->buffer)
        return ERR_STATE;
    struct msg reply;
    msg_set(&reply, BLOCK_DETACH, NULL, 0);
    int err = ipc_call(c->driver, &reply, TIMEOUT_FOREVER);
    if (!err)
        err = (int)reply.label;
    if (err == ERR_NO_PARTNER || err == ERR_STATE)   /* a driver that restarted holds nothing */
        err = ERR_NONE;
    if (!err)
        c->buffer = NULL;
    return err;
}

int block_info(struct block_client *c, struct block_info *info)
{
    struct msg reply;
    int err = request(c, BLOCK_INFO, NULL, 0, &reply);
    if (!err && reply.length < BLOCK_INFO_WORDS)
        err = ERR_INVALID;
    if (!err)
        memcpy(info, reply.w, sizeof *info);
    return err;
}

static int transfer(struct block_client *c, uint32_t label, uint32_t lba, uint32_t count,
                    uint32_t offset)
{
    if (!c->buffer)
        return ERR_STATE;
    struct block_request r = { .lba = lba, .count = count, .offset = offset };
    uint32_t words[BLOCK_REQUEST_WORDS];
    memcpy(words, &r, sizeof r);
    struct msg reply;
    return request(c, label, words, BLOCK_REQUEST_WORDS, &reply);
}

int block_read(struct block_client *c, uint32_t lba, uint32_t count, uint32_t offset)
{
    return transfer(c, BLOCK_READ, lba, count, offset);
}

int block_write(struct block_client *c, uint32_t lba, uint32_t count, uint32_t offset)
{
    return transfer(c, BLOCK_WRITE, lba, count, offset);
}

/* Sectors a request can move through the buffer from offset 0. */
static uint32_t chunk(const struct block_client *c, uint32_t left)
{
    uint32_t most = c->bytes / BLOCK_SECTOR_SIZE;
    if (most > BLOCK_SECTORS_MAX)
        most = BLOCK_SECTORS_MAX;
    return left < most ? left : most;
}

int block_load(struct block_client *c, uint32_t lba, uint32_t count, void *dst)
{
    if (!c->buffer)
        return ERR_STATE;
    for (uint32_t done = 0; done < count;) {
        uint32_t n = chunk(c, count - done);
        int err = block_read(c, lba + done, n, 0);
        if (err)
            return err;
        memcpy((uint8_t *)dst + done * BLOCK_SECTOR_SIZE, c->buffer, n * BLOCK_SECTOR_SIZE);
        done += n;
    }
    return ERR_NONE;
}

int block_store(struct block_client *c, uint32_t lba, uint32_t count, const void *src)
{
    if (!c->buffer)
        return ERR_STATE;
    for (uint32_t done = 0; done < count;) {
        uint32_t n = chunk(c, count - done);
        memcpy(c->buffer, (const uint8_t *)src + done * BLOCK_SECTOR_SIZE, n * BLOCK_SECTOR_SIZE);
        int err = block_write(c, lba + done, n, 0);
        if (err)
            return err;
        done += n;
    }
    return ERR_NONE;
}
