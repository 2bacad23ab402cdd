/* The process API's pure half: argv packed as proc.h says, a status in words (relay/process.h). */
#include <relay/process.h>
#include <relay/signal.h>
#include <relay/faults.h>
#include <relay/error.h>
#include <relay/stdio.h>
#include <relay/string.h>

#ifdef HOST_TEST
#define snprintf libos_snprintf       /* the host tests run libos' own formatter */
#endif

/* Append s and its NUL at bytes[*used]: ERR_TOO_LONG if they do not fit. */
static int put(char *bytes, uint32_t *used, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > PROC_ARGV_BYTES - *used)
        return ERR_TOO_LONG;
    memcpy(bytes + *used, s, n);
    *used += (uint32_t)n;
    return ERR_NONE;
}

int proc_argv_pack(const char *name, char *const argv[], uint32_t w[MSG_WORDS_MAX], uint32_t *words)
{
    if (!name || !name[0])
        return ERR_INVALID;
    char *bytes = (char *)&w[1];
    uint32_t used = 0, argc = 1;
    int err = put(bytes, &used, name);                 /* name stands for argv[0] */
    for (uint32_t i = 1; !err && argv && argv[0] && argv[i]; i++, argc++)
        err = argc == STARTUP_ARGS_MAX ? ERR_RANGE : put(bytes, &used, argv[i]);
    if (err)
        return err;
    uint32_t n = (used + 3) / 4;
    memset(bytes + used, 0, n * 4 - used);
    w[0] = argc;
    *words = 1 + n;
    return ERR_NONE;
}

/* The fault's part: "#PF at eip=0x... cr2=0x..." (cr2 for a #PF only). */
static int describe_fault(const struct proc_fault *f, char *buf, size_t len)
{
    const char *m = fault_vector_info(f->vector)->mnemonic;
    if (f->vector == 14)
        return snprintf(buf, len, "killed by #%s at eip=0x%08x cr2=0x%08x", m, f->eip, f->cr2);
    return snprintf(buf, len, "killed by #%s at eip=0x%08x", m, f->eip);
}

size_t proc_status_describe(const struct proc_status *s, char *buf, size_t len)
{
    int p = s->posix, n;
    if (s->fault.vector < FAULT_VECTORS)
        n = describe_fault(&s->fault, buf, len);
    else if (WIFEXITED(p))
        n = snprintf(buf, len, "exited %u", WEXITSTATUS(p));
    else if (WIFSIGNALED(p))
        n = snprintf(buf, len, "killed by %s", WTERMSIG(p) == SIGKILL ? "SIGKILL"
                                                                    : signal_name(WTERMSIG(p)));
    else
        return status_describe(s->state, s->status, buf, len);
    return n > 0 ? (size_t)n : 0;
}
