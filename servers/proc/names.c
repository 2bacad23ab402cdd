/* The name service: see names.h and ipc/relay/names.h. */
#include "names.h"
#include "drivers.h"
#include <relay/names.h>

#define LOOKUP_RIGHTS (RIGHT_SEND | RIGHT_GRANT)

struct name {
    uint32_t words[NAMES_NAME_WORDS];   /* the name, as it travels; all 0: the slot is free */
    relay_handle ep;                    /* the registrant's send handle, unbadged */
    uint32_t owner;                     /* the pid of the process that registered it */
};

static struct name names[NAMES_MAX];

/* The request's name, checked and NUL-padded again; 0 if it is not a name. */
static int name_of(const struct msg *m, uint32_t w[NAMES_NAME_WORDS])
{
    char text[NAMES_NAME_MAX];
    if (m->length < NAMES_NAME_WORDS)
        return 0;
    memcpy(text, m->w, NAMES_NAME_MAX);
    if (text[NAMES_NAME_MAX - 1])
        return 0;
    return names_pack(w, text);
}

static struct name *find(const uint32_t w[NAMES_NAME_WORDS])
{
    for (uint32_t i = 0; i < NAMES_MAX; i++)
        if (names[i].ep != HANDLE_NULL && !memcmp(names[i].words, w, NAMES_NAME_MAX))
            return &names[i];
    return 0;
}

static int do_register(struct msg *m, uint32_t who, const uint32_t w[NAMES_NAME_WORDS])
{
    relay_handle h = m->flags & MSGINFO_HANDLE ? m->handle : HANDLE_NULL, probe;
    if (h == HANDLE_NULL)
        return ERR_INVALID;
    /* unbadged: each client's copy gets the client's badge */
    if (handle_mint(h, 0, RIGHT_SEND, &probe) != ERR_NONE) {
        handle_delete(h);
        return ERR_INVALID;
    }
    handle_delete(probe);
    if (find(w) || drivers_service((const char *)w) != HANDLE_NULL) {
        handle_delete(h);
        return ERR_STATE;
    }
    for (uint32_t i = 0; i < NAMES_MAX; i++)
        if (names[i].ep == HANDLE_NULL) {
            memcpy(names[i].words, w, NAMES_NAME_MAX);
            names[i].ep = h;
            names[i].owner = who;
            return ERR_NONE;
        }
    handle_delete(h);
    return ERR_NO_SLOT;
}

static int do_lookup(struct msg *m, uint32_t who, const uint32_t w[NAMES_NAME_WORDS])
{
    struct name *n = find(w);
    relay_handle ep = n ? n->ep : drivers_service((const char *)w);
    relay_handle copy;
    if (ep == HANDLE_NULL)
        return ERR_NOT_FOUND;
    int err = handle_mint(ep, who, LOOKUP_RIGHTS, &copy);
    if (err)
        return err;
    m->flags = MSGINFO_HANDLE;
    m->handle = copy;
    return ERR_NONE;
}

static int do_remove(uint32_t who, const uint32_t w[NAMES_NAME_WORDS])
{
    struct name *n = find(w);
    if (!n)
        return ERR_NOT_FOUND;
    if (n->owner != who)
        return ERR_NO_RIGHTS;
    handle_delete(n->ep);
    *n = (struct name){ 0 };
    return ERR_NONE;
}

void names_serve(struct msg *m, uint32_t who)
{
    uint32_t w[NAMES_NAME_WORDS];
    uint32_t label = m->label;
    relay_handle brought = m->flags & MSGINFO_HANDLE ? m->handle : HANDLE_NULL;
    int err;
    if (!name_of(m, w)) {
        if (brought != HANDLE_NULL)
            handle_delete(brought);
        err = ERR_INVALID;
    } else if (label == NAMES_REGISTER) {
        err = do_register(m, who, w);
    } else {
        if (brought != HANDLE_NULL)
            handle_delete(brought);          /* only a registration brings one */
        err = label == NAMES_LOOKUP ? do_lookup(m, who, w)
            : label == NAMES_REMOVE ? do_remove(who, w) : ERR_INVALID;
    }
    if (err || label != NAMES_LOOKUP)
        m->flags = 0;
    m->label = (uint32_t)err;
    m->length = 0;
}

void names_replied(struct msg *m)
{
    if (m->flags & MSGINFO_HANDLE)
        handle_delete(m->handle);           /* the client's copy moves up to the registrant's */
}

void names_forget(uint32_t who)
{
    for (uint32_t i = 0; i < NAMES_MAX; i++)
        if (names[i].ep != HANDLE_NULL && names[i].owner == who) {
            handle_delete(names[i].ep);
            names[i] = (struct name){ 0 };
        }
}

int names_add(const char *name, relay_handle ep, uint32_t who)
{
    uint32_t w[NAMES_NAME_WORDS];
    if (!names_pack(w, name)) {
        handle_delete(ep);
        return ERR_INVALID;
    }
    struct msg m = { .flags = MSGINFO_HANDLE, .handle = ep };
    return do_register(&m, who, w);
}
