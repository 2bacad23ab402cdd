/* proc's process table, its pure part: see process.h. */
#include "process.h"
#include <relay/error.h>

#define FIRST_PID 2u              /* pid 1 is init's */

void process_table_init(struct process_table *t)
{
    for (uint32_t i = 0; i < PROC_MAX; i++)
        t->p[i] = (struct process){ 0 };
    t->next_pid = FIRST_PID;
    t->init_given = 0;
}

void process_name(const char *argv0, char name[PROC_NAME_BYTES])
{
    const char *base = argv0;
    for (const char *c = argv0; *c && *c != ' '; c++)
        if (*c == '/')
            base = c + 1;
    uint32_t n = 0;
    for (; n < PROC_NAME_BYTES && base[n] && base[n] != ' '; n++)
        name[n] = base[n];
    for (; n < PROC_NAME_BYTES; n++)
        name[n] = '\0';
}

struct process *process_find(struct process_table *t, uint32_t pid)
{
    for (uint32_t i = 0; pid && i < PROC_MAX; i++)
        if (t->p[i].pid == pid)
            return &t->p[i];
    return 0;
}

struct process *process_new(struct process_table *t, uint32_t ppid, uint32_t kind,
                            const char *name, uint32_t pid)
{
    struct process *p = 0;
    for (uint32_t i = 0; i < PROC_MAX && !p; i++)
        if (t->p[i].pid == 0)
            p = &t->p[i];
    if (!p)
        return 0;
    if (pid == PROC_INIT_PID && !t->init_given)
        t->init_given = 1;
    else
        pid = t->next_pid++;
    *p = (struct process){ .pid = pid, .ppid = ppid, .state = PROC_RUNNING, .kind = (uint8_t)kind };
    process_name(name, p->name);
    p->fault.vector = PROC_NO_FAULT;
    return p;
}

int process_is_ancestor(struct process_table *t, uint32_t ancestor, uint32_t pid)
{
    struct process *p = process_find(t, pid);
    for (uint32_t depth = 0; p && depth < PROC_MAX; depth++) {
        if (p->ppid == ancestor)
            return 1;
        p = process_find(t, p->ppid);
    }
    return ancestor == 0 && process_find(t, pid) != 0;
}

int process_charge(struct process *parent, uint32_t cost, uint32_t *charged, uint32_t *allowance)
{
    if (!parent) {
        *charged = 0;
        *allowance = 0;
        return ERR_NONE;
    }
    if (parent->allowance < cost)
        return ERR_NO_MEMORY;
    uint32_t share = (parent->allowance - cost) / 2;
    parent->allowance -= cost + share;
    *charged = cost + share;
    *allowance = share;
    return ERR_NONE;
}

void process_refund(struct process *parent, uint32_t charged)
{
    if (parent)
        parent->allowance += charged;
}

int process_end(struct process_table *t, struct process *p, uint32_t state, uint32_t status)
{
    struct process *init = process_find(t, PROC_INIT_PID);
    uint32_t heir = init && init->state == PROC_RUNNING && init != p ? PROC_INIT_PID : 0;
    int told = -1;
    p->state = PROC_ZOMBIE;
    p->end_state = state;
    p->end_status = status;
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        struct process *c = &t->p[i];
        if (!c->pid || c->ppid != p->pid || c == p)
            continue;
        c->ppid = heir;
        c->charged = 0;                   /* forgiven: p is repaid in full */
        if (c->state == PROC_ZOMBIE)
            told = (int)heir;
    }
    return told;
}

void process_reap(struct process_table *t, struct process *p)
{
    process_refund(process_find(t, p->ppid), p->charged);
    *p = (struct process){ 0 };
}

int process_waitable(struct process_table *t, uint32_t parent, uint32_t pid, struct process **out)
{
    int any = 0;
    for (uint32_t i = 0; i < PROC_MAX; i++) {
        struct process *c = &t->p[i];
        if (!c->pid || c->ppid != parent || (pid != PROC_ANY && c->pid != pid))
            continue;
        any = 1;
        if (c->state == PROC_ZOMBIE) {
            *out = c;
            return ERR_NONE;
        }
    }
    return any ? ERR_WOULD_BLOCK : ERR_NO_CHILD;
}

uint32_t process_list(struct process_table *t, uint32_t cursor, struct process **out, uint32_t max,
                      uint32_t *next)
{
    uint32_t n = 0, from = cursor;
    *next = 0;
    while (n < max) {
        struct process *best = 0;         /* the lowest pid >= from */
        for (uint32_t i = 0; i < PROC_MAX; i++)
            if (t->p[i].pid >= from && t->p[i].pid && (!best || t->p[i].pid < best->pid))
                best = &t->p[i];
        if (!best)
            return n;
        out[n++] = best;
        from = best->pid + 1;
    }
    for (uint32_t i = 0; i < PROC_MAX; i++)
        if (t->p[i].pid >= from)
            *next = from;                 /* more to list */
    return n;
}
