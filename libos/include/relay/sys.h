/*
 * The system-call stubs, generated from RELAY_SYSCALLS (ipc/relay/syscall.h).
 *
 * For every SYSCALL(name, nr, nargs, doc) of the list this header makes
 *
 *   struct sys_result sys_<name>(uint32_t a0, ..., a<nargs-1>);
 *   struct sys_result sys_<name>_timeout(uint32_t timeout, a0, ..., a<nargs-1>);
 *
 * The first blocks without limit (TIMEOUT_FOREVER); the second passes a
 * timeout in clock ticks (TIMEOUT_POLL, a count, or TIMEOUT_FOREVER; larger
 * values mean TIMEOUT_FOREVER).  Calls that cannot block ignore it.
 * Arguments go to EBX, ECX, EDX, ESI, EDI, EBP in order; the result holds
 * EAX (the relay error code) and the six registers after the call: r[0] is
 * EBX (badge, new handle), r[1] ECX (message info), r[2..5] EDX..EBP
 * (message words 0..3).  Registers a call does not return a result in come
 * back as they went in.
 *
 * These are the raw calls; most programs use the typed wrappers of
 * relay/msg.h and relay/object.h.  i386 only.
 */
#ifndef LIBOS_SYS_H
#define LIBOS_SYS_H

#include <stdint.h>
#include <relay/syscall.h>
#include <relay/ipc.h>

struct sys_result {
    uint32_t error;               /* EAX: enum relay_error */
    uint32_t r[6];                /* EBX, ECX, EDX, ESI, EDI, EBP after the call */
};

/*
 * The one gate.  EBP carries argument 5 but is also the compiler's frame
 * pointer, so the asm keeps it itself: it saves EBP, loads all six
 * registers from the block (whose address it keeps on the stack), traps,
 * stores all six back into the block and restores EBP.
 */
static inline struct sys_result relay_syscall(uint32_t eax, const uint32_t in[6])
{
    uint32_t block[6] = { in[0], in[1], in[2], in[3], in[4], in[5] };
    uint32_t *p = block;
    asm volatile("push %%ebp\n\t"
                 "push %%ecx\n\t"                 /* the block's address */
                 "mov  0(%%ecx), %%ebx\n\t"
                 "mov  8(%%ecx), %%edx\n\t"
                 "mov 12(%%ecx), %%esi\n\t"
                 "mov 16(%%ecx), %%edi\n\t"
                 "mov 20(%%ecx), %%ebp\n\t"
                 "mov  4(%%ecx), %%ecx\n\t"
                 "int %[vector]\n\t"
                 "push %%ecx\n\t"                 /* result 1, while ECX finds the block */
                 "mov  4(%%esp), %%ecx\n\t"
                 "mov %%ebx,  0(%%ecx)\n\t"
                 "pop  %%ebx\n\t"
                 "mov %%ebx,  4(%%ecx)\n\t"
                 "mov %%edx,  8(%%ecx)\n\t"
                 "mov %%esi, 12(%%ecx)\n\t"
                 "mov %%edi, 16(%%ecx)\n\t"
                 "mov %%ebp, 20(%%ecx)\n\t"
                 "add $4, %%esp\n\t"
                 "pop %%ebp"
                 : "+a"(eax), "+c"(p)
                 : [vector] "i"(RELAY_SYSCALL_VECTOR)
                 : "ebx", "edx", "esi", "edi", "memory", "cc");
    struct sys_result res = { eax, { block[0], block[1], block[2], block[3], block[4], block[5] } };
    return res;
}

/*
 * The same, lean, for a call that takes at most five arguments and returns
 * nothing in EBP (every call but those that can bring a message: recv,
 * call, reply_recv; send and reply take six): the compiler puts the
 * arguments straight in their registers and takes the results from them,
 * and EBP, the kernel leaves as it was (r[5] is then in[5], as above).
 */
static inline struct sys_result relay_syscall_regs(uint32_t eax, const uint32_t in[6])
{
    uint32_t b = in[0], c = in[1], d = in[2], si = in[3], di = in[4];
    asm volatile("int %[vector]"
                 : "+a"(eax), "+b"(b), "+c"(c), "+d"(d), "+S"(si), "+D"(di)
                 : [vector] "i"(RELAY_SYSCALL_VECTOR)
                 : "memory", "cc");
    struct sys_result res = { eax, { b, c, d, si, di, in[5] } };
    return res;
}

#define SYS_LEAN(nr, nargs) ((nargs) <= 5 && (nr) != SYS_recv)

/* Parameter lists and register blocks for 0..6 arguments. */
#define SYS_PARAMS_0 void
#define SYS_PARAMS_1 uint32_t a0
#define SYS_PARAMS_2 SYS_PARAMS_1, uint32_t a1
#define SYS_PARAMS_3 SYS_PARAMS_2, uint32_t a2
#define SYS_PARAMS_4 SYS_PARAMS_3, uint32_t a3
#define SYS_PARAMS_5 SYS_PARAMS_4, uint32_t a4
#define SYS_PARAMS_6 SYS_PARAMS_5, uint32_t a5

#define SYS_TPARAMS_0 uint32_t timeout
#define SYS_TPARAMS_1 uint32_t timeout, SYS_PARAMS_1
#define SYS_TPARAMS_2 uint32_t timeout, SYS_PARAMS_2
#define SYS_TPARAMS_3 uint32_t timeout, SYS_PARAMS_3
#define SYS_TPARAMS_4 uint32_t timeout, SYS_PARAMS_4
#define SYS_TPARAMS_5 uint32_t timeout, SYS_PARAMS_5
#define SYS_TPARAMS_6 uint32_t timeout, SYS_PARAMS_6

#define SYS_FORWARD_0
#define SYS_FORWARD_1 , a0
#define SYS_FORWARD_2 SYS_FORWARD_1, a1
#define SYS_FORWARD_3 SYS_FORWARD_2, a2
#define SYS_FORWARD_4 SYS_FORWARD_3, a3
#define SYS_FORWARD_5 SYS_FORWARD_4, a4
#define SYS_FORWARD_6 SYS_FORWARD_5, a5

#define SYS_BLOCK_0 0, 0, 0, 0, 0, 0
#define SYS_BLOCK_1 a0, 0, 0, 0, 0, 0
#define SYS_BLOCK_2 a0, a1, 0, 0, 0, 0
#define SYS_BLOCK_3 a0, a1, a2, 0, 0, 0
#define SYS_BLOCK_4 a0, a1, a2, a3, 0, 0
#define SYS_BLOCK_5 a0, a1, a2, a3, a4, 0
#define SYS_BLOCK_6 a0, a1, a2, a3, a4, a5

#define SYS_STUB(name, nr, nargs, doc)                                                 \
    static inline struct sys_result sys_##name##_timeout(SYS_TPARAMS_##nargs)          \
    {                                                                                  \
        const uint32_t in[6] = { SYS_BLOCK_##nargs };                                  \
        if (timeout > TIMEOUT_FOREVER)                                                 \
            timeout = TIMEOUT_FOREVER;                                                 \
        if (SYS_LEAN(nr, nargs))                                                       \
            return relay_syscall_regs(RELAY_SYSNR(nr, timeout), in);                   \
        return relay_syscall(RELAY_SYSNR(nr, timeout), in);                            \
    }                                                                                  \
    static inline struct sys_result sys_##name(SYS_PARAMS_##nargs)                     \
    {                                                                                  \
        return sys_##name##_timeout(TIMEOUT_FOREVER SYS_FORWARD_##nargs);              \
    }
RELAY_SYSCALLS(SYS_STUB)
#undef SYS_STUB

/* The call's name ("debug_write"), or NULL for a number that is not in the list. */
const char *relay_syscall_name(uint32_t nr);

#endif
