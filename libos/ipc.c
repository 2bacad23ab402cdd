/* Typed IPC over the raw stubs: see relay/msg.h. */
#include <relay/msg.h>
#include <relay/sys.h>
#include <relay/error.h>
#include <relay/thread.h>
#include <relay/string.h>

void msg_set(struct msg *m, uint32_t label, const uint32_t *words, uint32_t n)
{
    memset(m, 0, sizeof *m);
    m->label = label;
    if (n > MSG_WORDS_MAX)
        return;
    m->length = n;
    if (n)
        memcpy(m->w, words, n * sizeof m->w[0]);
}

/* The registers for m: info and words 0..3; words 4.. and the handle go to the UTCB. */
static int pack(const struct msg *m, relay_handle ep, uint32_t in[6])
{
    if (m->length > MSG_WORDS_MAX)
        return ERR_TOO_LONG;
    if (m->label > MSGINFO_LABEL_MAX)
        return ERR_INVALID;
    struct utcb *u = utcb_self();
    for (uint32_t i = MSG_REG_WORDS; i < m->length; i++)
        u->mr[i] = m->w[i];
    if (m->flags & MSGINFO_HANDLE)
        u->send_handle = m->handle;
    in[0] = ep;
    in[1] = msginfo(m->label, m->length, m->flags);
    for (uint32_t i = 0; i < MSG_REG_WORDS; i++)
        in[2 + i] = m->w[i];
    return ERR_NONE;
}

/* A received message from the result registers and the UTCB. */
static int unpack(const struct sys_result *r, struct msg *out)
{
    memset(out, 0, sizeof *out);
    if (r->error != ERR_NONE)
        return (int)r->error;
    uint32_t info = r->r[1];
    struct utcb *u = utcb_self();
    out->badge = r->r[0];
    out->label = msginfo_label(info);
    out->length = msginfo_length(info);
    if (out->length > MSG_WORDS_MAX)
        out->length = MSG_WORDS_MAX;
    out->flags = info & (MSGINFO_HANDLE | MSGINFO_MAP | MSGINFO_NOTIFY | MSGINFO_KERNEL);
    for (uint32_t i = 0; i < MSG_REG_WORDS; i++)       /* always: a notification's bits are w[0] */
        out->w[i] = r->r[2 + i];
    for (uint32_t i = MSG_REG_WORDS; i < out->length; i++)
        out->w[i] = u->mr[i];
    if (out->flags & MSGINFO_HANDLE)
        out->handle = u->recv_handle;
    return ERR_NONE;
}

int ipc_send_msg(relay_handle ep, const struct msg *m, uint32_t timeout)
{
    uint32_t in[6];
    int err = pack(m, ep, in);
    if (err)
        return err;
    return (int)sys_send_timeout(timeout, in[0], in[1], in[2], in[3], in[4], in[5]).error;
}

int ipc_send(relay_handle ep, uint32_t label, const uint32_t *words, uint32_t n, uint32_t timeout)
{
    if (n > MSG_WORDS_MAX)
        return ERR_TOO_LONG;
    struct msg m;
    msg_set(&m, label, words, n);
    return ipc_send_msg(ep, &m, timeout);
}

int ipc_recv(relay_handle ep, struct msg *out, uint32_t timeout)
{
    struct sys_result r = sys_recv_timeout(timeout, ep);
    return unpack(&r, out);
}

int ipc_call(relay_handle ep, struct msg *m, uint32_t timeout)
{
    uint32_t in[6];
    int err = pack(m, ep, in);
    if (err)
        return err;
    struct sys_result r = sys_call_timeout(timeout, in[0], in[1], in[2], in[3], in[4], in[5]);
    return unpack(&r, m);
}

int ipc_reply(const struct msg *reply)
{
    uint32_t in[6];
    int err = pack(reply, HANDLE_NULL, in);
    if (err)
        return err;
    return (int)sys_reply(in[0], in[1], in[2], in[3], in[4], in[5]).error;
}

int ipc_reply_recv(relay_handle ep, const struct msg *reply, struct msg *out, uint32_t timeout)
{
    uint32_t in[6];
    int err = pack(reply, ep, in);
    if (err)
        return err;
    struct sys_result r = sys_reply_recv_timeout(timeout, in[0], in[1], in[2], in[3], in[4], in[5]);
    return unpack(&r, out);
}

int notify_signal(relay_handle n, uint32_t bits)
{
    return (int)sys_signal(n, bits).error;
}

int notify_wait(relay_handle n, uint32_t *bits, uint32_t timeout)
{
    struct sys_result r = sys_wait_timeout(timeout, n);
    *bits = r.error ? 0 : r.r[2];
    return (int)r.error;
}

int notify_poll(relay_handle n, uint32_t *bits)
{
    return notify_wait(n, bits, TIMEOUT_POLL);
}

int notify_bind(relay_handle thread, relay_handle n)
{
    return (int)sys_notification_bind(thread, n).error;
}
