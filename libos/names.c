/* The name service's client: see relay/names_client.h. */
#include <relay/names_client.h>
#include <relay/msg.h>
#include <relay/start.h>
#include <relay/error.h>

static int request(uint32_t label, const char *name, relay_handle give, struct msg *m)
{
    relay_handle names = startup_handle("names");
    if (names == HANDLE_NULL)
        return ERR_BAD_HANDLE;
    *m = (struct msg){ .label = label, .length = NAMES_NAME_WORDS };
    if (!names_pack(m->w, name))
        return ERR_INVALID;
    if (give != HANDLE_NULL) {
        m->flags = MSGINFO_HANDLE;
        m->handle = give;
    }
    int err = ipc_call(names, m, TIMEOUT_FOREVER);
    return err ? err : (int)m->label;
}

int name_register(const char *name, relay_handle ep)
{
    struct msg m;
    if (ep == HANDLE_NULL)
        return ERR_INVALID;
    return request(NAMES_REGISTER, name, ep, &m);
}

int name_lookup(const char *name, relay_handle *out)
{
    struct msg m;
    int err = request(NAMES_LOOKUP, name, HANDLE_NULL, &m);
    if (!err && !(m.flags & MSGINFO_HANDLE))
        err = ERR_NO_SLOT;                /* the reply's handle found no room in our table */
    if (!err)
        *out = m.handle;
    return err;
}

int name_remove(const char *name)
{
    struct msg m;
    return request(NAMES_REMOVE, name, HANDLE_NULL, &m);
}
