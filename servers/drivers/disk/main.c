/*
 * disk: the ATA disk driver (docs/DRIVERS.md "Disk").  proc's driver
 * manager starts it with the handles "irq" (IRQ 14), "ports"
 * (0x1F0..0x1F7), "ports2" (0x3F6) and "serve", the endpoint clients call
 * with the block protocol (ipc/relay/block.h); disk.h says how the parts
 * fit.  It answers one request at a time, in this one thread, whose bound
 * notification brings the disk's interrupts.
 */
#include "disk.h"
#include <relay/libos.h>

static struct clients clients;
static struct disk disk;
static relay_handle self_task;

static void unmap_window(uint32_t window, uint32_t bytes)
{
    for (uint32_t off = 0; off < bytes; off += PAGE_SIZE)
        page_unmap(self_task, window_va(window) + off);   /* ERR_NOT_MAPPED if the client revoked it */
}

/* Before every receive: pages a message brings land in the landing window. */
static void expect_pages(void)
{
    struct utcb *u = utcb_self();
    u->recv_map_va = window_va(clients.landing);
    u->recv_map_pages = BLOCK_BUFFER_PAGES;
    u->recv_mapped = 0;
}

/* Whether each of the pages [va, va + bytes) is mapped here, and writable if asked. */
static int mapped(uint32_t va, uint32_t bytes, uint32_t want_writable)
{
    for (uint32_t off = 0; off < bytes; off += PAGE_SIZE) {
        struct sys_result r = sys_map_query(self_task, va + off);
        if (r.error || (want_writable && !(r.r[1] & MAP_WRITABLE)))
            return 0;
    }
    return 1;
}

static int op_attach(uint32_t badge, uint32_t pages, struct msg *reply)
{
    uint32_t bytes = pages * PAGE_SIZE;
    uint32_t writable = mapped(window_va(clients.landing), bytes, 1);
    struct window_release gone;
    int err = clients_attach(&clients, badge, bytes, writable, &gone);
    if (err)
        return err;
    if (gone.window != NO_WINDOW)
        unmap_window(gone.window, gone.bytes);
    reply->w[0] = bytes;
    reply->w[1] = writable ? BLOCK_SHARED_WRITABLE : 0;
    reply->length = 2;
    return ERR_NONE;
}

static int op_detach(uint32_t badge)
{
    struct window_release gone;
    int err = clients_detach(&clients, badge, &gone);
    if (!err)
        unmap_window(gone.window, gone.bytes);
    return err;
}

static int op_info(struct msg *reply)
{
    struct block_info info = { .sectors = disk.sectors, .sector_size = BLOCK_SECTOR_SIZE };
    memcpy(info.model, disk.model, BLOCK_MODEL_MAX);
    memcpy(reply->w, &info, sizeof info);
    reply->length = BLOCK_INFO_WORDS;
    return ERR_NONE;
}

static int op_transfer(const struct msg *in, enum block_direction dir, struct msg *reply)
{
    struct block_request r;
    memcpy(&r, in->w, sizeof r);
    struct client *cl = clients_find(&clients, in->badge);
    int err = block_check(&r, cl, disk.sectors, dir);
    if (err)
        return err;
    uint32_t va = window_va(cl->window) + r.offset, bytes = r.count * BLOCK_SECTOR_SIZE;
    if (!mapped(PAGE_DOWN(va), va + bytes - PAGE_DOWN(va), dir == BLOCK_TO_BUFFER)) {
        op_detach(in->badge);                     /* the client took its frames back */
        return ERR_STATE;
    }
    guard_lost();
    err = dir == BLOCK_TO_BUFFER ? ata_read(&disk, r.lba, r.count, (void *)va)
                                 : ata_write(&disk, r.lba, r.count, (const void *)va);
    if (guard_lost()) {                           /* ... during the transfer (guard.c) */
        op_detach(in->badge);
        return ERR_STATE;
    }
    if (err) {
        reply->w[0] = disk.error;
        reply->length = 1;
        return err;
    }
    reply->w[0] = r.count;
    reply->length = 1;
    return ERR_NONE;
}

/* The answer to one request; pages is how many it brought (MSGINFO_MAP). */
static int handle(const struct msg *in, uint32_t pages, struct msg *reply)
{
    if (!disk.present)
        return ERR_NO_DEVICE;
    switch (in->label) {
    case BLOCK_ATTACH: return pages ? op_attach(in->badge, pages, reply) : ERR_INVALID;
    case BLOCK_DETACH: return op_detach(in->badge);
    case BLOCK_INFO:   return op_info(reply);
    case BLOCK_READ:   return op_transfer(in, BLOCK_TO_BUFFER, reply);
    case BLOCK_WRITE:  return op_transfer(in, BLOCK_TO_DISK, reply);
    default:           return ERR_INVALID;
    }
}

/* The errors that mean the endpoint itself is gone or unusable. */
static int endpoint_gone(int err)
{
    return err == ERR_BAD_HANDLE || err == ERR_STALE_HANDLE || err == ERR_DELETED ||
           err == ERR_WRONG_TYPE || err == ERR_NO_RIGHTS;
}

static int serve(relay_handle ep)
{
    struct msg in, reply;
    int owed = 0;
    for (;;) {
        expect_pages();
        int err = owed ? ipc_reply_recv(ep, &reply, &in, TIMEOUT_FOREVER)
                       : ipc_recv(ep, &in, TIMEOUT_FOREVER);
        owed = 0;
        if (endpoint_gone(err))
            return err;
        if (err)
            continue;                             /* a caller that went away */
        if (in.flags & MSGINFO_NOTIFY) {
            if (in.w[0] & IRQ_BIT)
                ata_stray_interrupt(&disk);
            continue;
        }
        uint32_t pages = utcb_self()->recv_mapped, landing = clients.landing;
        msg_set(&reply, ERR_NONE, NULL, 0);
        int result = handle(&in, pages, &reply);
        reply.label = (uint32_t)result;
        if (result != ERR_NONE && result != ERR_TIMEOUT)
            reply.length = 0;
        if (pages && clients.landing == landing)  /* they landed and nobody took them */
            unmap_window(landing, pages * PAGE_SIZE);
        owed = 1;
    }
}

/* The disk's interrupts to a notification bound to this thread, then IDENTIFY. */
static void start_disk(const struct startup_info *si)
{
    disk.irq = startup_handle("irq");
    if (disk.irq == HANDLE_NULL || startup_handle("ports") == HANDLE_NULL
        || startup_handle("ports2") == HANDLE_NULL) {
        printf("disk: not given \"irq\", \"ports\" and \"ports2\": no disk\n");
        return;
    }
    int err = notification_create(si->factory, &disk.notification);
    if (!err)
        err = notify_bind(si->self_thread, disk.notification);
    if (!err)
        err = irq_bind(disk.irq, disk.notification, IRQ_BIT);
    if (err) {
        printf("disk: cannot take IRQ 14: %s: no disk\n", strerror(err));
        return;
    }
    ata_start(&disk);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct startup_info *si = startup_info();
    relay_handle ep = startup_handle("serve");
    self_task = si->self_task;
    if (ep == HANDLE_NULL) {
        printf("disk: not given a \"serve\" endpoint: start it as a driver\n");
        return 1;
    }
    clients_init(&clients);
    int err = guard_start();
    if (err)
        printf("disk: no guard for the windows (%s): a client that takes its buffer back "
               "mid-transfer will kill the driver\n", strerror(err));
    start_disk(si);
    if (disk.present) {
        int n = BLOCK_MODEL_MAX;
        while (n > 0 && disk.model[n - 1] == ' ')
            n--;
        printf("disk: %.*s, %u sectors (%u KiB)\n", n, disk.model, disk.sectors, disk.sectors / 2);
    } else {
        printf("disk: no ATA disk on the primary IDE channel: every request gets ERR_NO_DEVICE\n");
    }
    err = serve(ep);
    printf("disk: the \"serve\" endpoint is gone (%s)\n", strerror(err));
    return 1;
}
