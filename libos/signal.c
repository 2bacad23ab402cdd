/* Signals over libos' fault handlers: see relay/signal.h. */
#include <relay/signal.h>
#include <relay/error.h>
#include <relay/stdio.h>

#ifdef HOST_TEST
#define snprintf libos_snprintf       /* the host tests run libos' own formatter */
#endif

/* The signal each vector raises (0: none), as Linux i386 has them. */
static const uint8_t vector_signal[FAULT_VECTORS] = {
    [0] = SIGFPE,   /* #DE */   [1] = SIGTRAP,  /* #DB */   [3] = SIGTRAP,  /* #BP */
    [4] = SIGSEGV,  /* #OF */   [5] = SIGSEGV,  /* #BR */   [6] = SIGILL,   /* #UD */
    [10] = SIGSEGV, /* #TS */   [11] = SIGSEGV, /* #NP */   [12] = SIGSEGV, /* #SS */
    [13] = SIGSEGV, /* #GP */   [14] = SIGSEGV, /* #PF */   [16] = SIGFPE,  /* #MF */
    [17] = SIGBUS,  /* #AC */   [19] = SIGFPE,  /* #XM */
};

static const char *const names[NSIG] = {
    [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
    [SIGFPE] = "SIGFPE", [SIGSEGV] = "SIGSEGV",
};

int signal_for_vector(uint32_t vector)
{
    return vector < FAULT_VECTORS ? vector_signal[vector] : 0;
}

const char *signal_name(int sig)
{
    return sig > 0 && sig < NSIG && names[sig] ? names[sig] : "SIG?";
}

size_t status_describe(uint32_t state, uint32_t status, char *buf, size_t len)
{
    int sig = (int)status - 128;
    int n;
    if (state == TASK_ALIVE)
        n = snprintf(buf, len, "running");
    else if (state == TASK_EXITED)
        n = snprintf(buf, len, "exited with status %u", status);
    else if (state != TASK_KILLED)
        n = snprintf(buf, len, "in state %u with status %u", state, status);
    else if (status == TASK_STATUS_KILLED)
        n = snprintf(buf, len, "killed (its last thread was killed)");
    else if (status == TASK_STATUS_ORPHANED)
        n = snprintf(buf, len, "killed (the task that created it ended)");
    else if (status == TASK_STATUS_RECLAIMED)
        n = snprintf(buf, len, "killed (the factory that paid for it was destroyed)");
    else if (status < FAULT_VECTORS)
        n = snprintf(buf, len, "killed by #%s (no handler)", fault_vector_info(status)->mnemonic);
    else if (sig > 0 && sig < NSIG && names[sig])
        n = snprintf(buf, len, "killed by %s", names[sig]);
    else
        n = snprintf(buf, len, "killed with status %u", status);
    return n > 0 ? (size_t)n : 0;
}

int status_posix(uint32_t state, uint32_t status)
{
    if (state == TASK_EXITED)
        return (int)((status & 0xFF) << 8);
    if (state != TASK_KILLED)
        return 0x7F;
    int sig = status < FAULT_VECTORS ? signal_for_vector(status)
            : status > 128 && status < 128 + NSIG ? (int)status - 128 : 0;
    return sig ? sig : SIGKILL;
}

#ifndef HOST_TEST   /* the rest answers faults: in QEMU only */
#include <relay/thread.h>
#include <relay/fork.h>

static signal_handler_fn handlers[NSIG];   /* SIG_DFL (0) until signal() says otherwise */
static relay_handle signal_ep;             /* the handler thread's endpoint, once started */
static int last_error;                     /* why the last signal() failed; ERR_NONE if it did not */

int signal_default(const struct fault *f, struct fault_answer *a)
{
    int sig = signal_for_vector(f->vector);
    char line[160];
    fault_describe(f, line, sizeof line);
    *a = (struct fault_answer){ .verdict = ANSWER_KILL_TASK,
                                .status = sig ? SIGNAL_STATUS(sig) : f->vector };
    printf("signal: task %u thread %u: %s: %s; killing the task (status %u)\n", f->task,
           f->thread, sig ? signal_name(sig) : "no signal", line, a->status);
    return ERR_NONE;
}

/* The fault handler behind every signal. */
static int deliver(struct fault *f, struct fault_answer *a, void *arg)
{
    (void)arg;
    int sig = signal_for_vector(f->vector);
    signal_handler_fn h = sig ? handlers[sig] : SIG_DFL;
    a->verdict = ANSWER_RESUME;
    if (h == SIG_IGN && f->class == FAULT_CLASS_TRAP)
        return ERR_NONE;                          /* eip is already past it */
    if (h == SIG_IGN && f->insn_length) {
        f->regs.eip += f->insn_length;
        return ERR_NONE;
    }
    if (h == SIG_DFL || h == SIG_IGN)             /* (an ignored fault of unknown length) */
        return signal_default(f, a);
    h(sig, f);
    return ERR_NONE;
}

static int raised_by_some_vector(int sig)
{
    for (uint32_t v = 0; v < FAULT_VECTORS; v++)
        if (vector_signal[v] == sig)
            return sig != 0;
    return 0;
}

signal_handler_fn signal(int sig, signal_handler_fn handler)
{
    last_error = ERR_INVALID;
    if (!raised_by_some_vector(sig) || handler == SIG_ERR)
        return SIG_ERR;
    last_error = signal_ep == HANDLE_NULL ? fault_handler_start(deliver, NULL, &signal_ep)
                                          : fault_set_handler(thread_self()->handle, signal_ep);
    if (last_error != ERR_NONE)
        return SIG_ERR;
    signal_handler_fn old = handlers[sig];
    handlers[sig] = handler;
    return old;
}

int signal_error(void)
{
    return last_error;
}

int signal_fork_child(void)
{
    int any = 0;
    for (int sig = 0; sig < NSIG; sig++)
        any |= handlers[sig] != SIG_DFL;
    if (signal_ep != HANDLE_NULL)
        signal_ep = HANDLE_NULL;          /* the parent's thread: not here */
    return any ? fault_handler_start(deliver, NULL, &signal_ep) : ERR_NONE;
}
#endif
