/* The fast-path suite: main, and the pieces of fastpath.h. */
#include "fastpath.h"

struct kernel_check counters(void)
{
    struct kernel_check k = { 0 };
    CHECK_EQ(sys_kernel_check((uint32_t)&k, 0).error, ERR_NONE);
    CHECK_EQ(k.violations, 0);
    return k;
}



void settle(volatile uint32_t *armed)
{
    while (!*armed)
        sleep_ticks(1);
    sleep_ticks(2);
}


void transform(const struct msg *request, int handle_came, struct msg *reply)
{
    uint32_t acc = request->badge * 31u + request->label + (handle_came ? 0x1000u : 0) + request->length;
    for (uint32_t i = 0; i < request->length && i < MSG_WORDS_MAX; i++)
        acc = acc * 33u + request->w[i];
    acc ^= acc >> 13;
    *reply = (struct msg){ .label = (request->label + 1) & MSGINFO_LABEL_MAX, .length = (acc >> 5) % 9 };
    for (uint32_t i = 0; i < reply->length; i++)
        reply->w[i] = acc + i * 0x9E3779B9u;
}

void server_run(struct server *s)
{
    struct msg m, reply;
    s->armed = 1;
    int err = ipc_recv(s->ep, &m, TIMEOUT_FOREVER);
    for (;;) {
        if (err != ERR_NONE) {
            err = ipc_recv(s->ep, &m, TIMEOUT_FOREVER);
            continue;
        }
        int came = (m.flags & MSGINFO_HANDLE) != 0;
        if (came)
            handle_delete(m.handle);
        if (m.label == LABEL_QUIT) {
            ipc_reply(&(struct msg){ .label = LABEL_QUIT });
            return;
        }
        transform(&m, came, &reply);
        s->served++;
        err = ipc_reply_recv(s->ep, &reply, &m, TIMEOUT_FOREVER);
    }
}

void server_loop(void *arg)
{
    server_run(arg);
}

void handler_loop(void *arg)
{
    struct handler *h = arg;
    struct msg m;
    for (;;) {
        if (ipc_recv(h->ep, &m, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        while (msg_from_kernel(&m, LABEL_FAULT)) {
            const struct fault_record *r = (const struct fault_record *)m.w;
            h->faults++;
            h->vector = r->vector;
            struct msg a = { .label = FAULT_RESUME, .length = FAULT_REGS_WORDS };
            struct fault_regs g = { r->eax * 7u + 3u, r->ebx, r->ecx, r->edx, r->esi, r->edi, r->ebp,
                                    r->esp, r->eip + 2u, r->eflags, r->ds, r->es, r->fs, r->gs };
            if (h->mode == REPLY_BAD)
                g.ds = 0x08;                         /* the kernel's code selector */
            memcpy(a.w, &g, sizeof g);
            if (h->mode == REPLY_KILL) {
                a = (struct msg){ .label = FAULT_KILL_THREAD };
                h->err = ERR_NONE;
                notify_signal(h->ack, ACK_DIED);     /* (we outrank the waiter: it runs when we recv) */
            }
            int err = ipc_reply_recv(h->ep, &a, &m, TIMEOUT_FOREVER);
            if (err != ERR_NONE) {                   /* refused: nothing was received */
                h->err = (uint32_t)err;
                notify_signal(h->ack, ACK_DIED);
                break;
            }
        }
    }
}

void victim_loop(void *arg)
{
    struct victim *v = arg;
    for (;;) {
        uint32_t bits, out;
        if (notify_wait(v->cmd, &bits, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        v->runs++;
        __asm__ volatile("ud2" : "=a"(out) : "a"(bits) : "memory");
        v->seen = out;
        notify_signal(v->ack, ACK_DONE);
    }
}

void victim_begin(struct victim *v, uint32_t priority, relay_handle ep)
{
    v->t = start_thread(victim_loop, v, priority);
    if (v->t)
        CHECK_EQ(fault_set_handler(v->t->handle, ep), ERR_NONE);
}

uint32_t victim_fault(struct victim *v, uint32_t bits)
{
    uint32_t got = 0;
    CHECK_EQ(notify_signal(v->cmd, bits), ERR_NONE);
    CHECK_EQ(notify_wait(v->ack, &got, TIMEOUT_FOREVER), ERR_NONE);
    return got;
}

void waiter_loop(void *arg)
{
    struct waiter *w = arg;
    w->armed = 1;
    for (;;) {
        uint32_t bits;
        if (notify_wait(w->n, &bits, TIMEOUT_FOREVER) != ERR_NONE)
            continue;
        w->bits = bits;
        w->wakes++;
        notify_signal(w->ack, 1);
    }
}

int suite_argc;                  /* for differential.c: s=SEED n=OPS */
char **suite_argv;

int main(int argc, char **argv)
{
    suite_argc = argc;
    suite_argv = argv;
    if (never_signalled() == HANDLE_NULL)      /* made before any test counts objects */
        return 126;
    return utest_main("fastpath", argc, argv);
}
