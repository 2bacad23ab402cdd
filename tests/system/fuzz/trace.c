/* Printing calls: the replay trace and the failure report. */
#include "fuzz.h"

/* "#k name(a, b, c) t=T send=S", into buf. */
static void describe(const struct fuzz_call *c, char *buf, size_t len)
{
    uint32_t nr = c->eax & SYSCALL_NUMBER_MASK, n = fuzz_call_args(nr);
    const char *name = relay_syscall_name(nr);
    size_t at = (size_t)snprintf(buf, len, "#%u ", c->index);
    if (name)
        at += (size_t)snprintf(buf + at, len - at, "%s(", name);
    else
        at += (size_t)snprintf(buf + at, len - at, "call%u(", nr);
    for (uint32_t i = 0; i < n && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s0x%x", i ? ", " : "", c->arg[i]);
    if (at < len)
        snprintf(buf + at, len - at, ") t=%u send=0x%x map=0x%x+%u/%u->0x%x+%u",
                 c->eax >> SYSCALL_TIMEOUT_SHIFT, c->send_handle, c->map[0], c->map[1], c->map[2],
                 c->map[3], c->map[4]);
}

/* "-> E (text) ebx=R", or that it never returned. */
static void outcome(const struct fuzz_call *c, char *buf, size_t len)
{
    if (c->error == FUZZ_PENDING)
        snprintf(buf, len, "-> (did not return)");
    else
        snprintf(buf, len, "-> %u (%s) ebx=0x%x", c->error, relay_error_name((int)c->error),
                 c->result);
}

void trace_call(const struct fuzz_call *c)
{
    char what[160];
    describe(c, what, sizeof what);
    printf("fuzz: %s\n", what);
}

void trace_result(const struct fuzz_call *c)
{
    char out[80];
    outcome(c, out, sizeof out);
    printf("fuzz: #%u %s\n", c->index, out);
}

void trace_line(const char *prefix, const struct fuzz_call *c)
{
    char what[160], out[80];
    describe(c, what, sizeof what);
    outcome(c, out, sizeof out);
    printf("%s%s %s\n", prefix, what, out);
}
