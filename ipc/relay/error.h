/*
 * Relay's error codes: one list, shared by the kernel and user space.
 *
 * Every system call returns one of these in EAX (ERR_NONE on success).  The
 * list produces the enum and the names; libos' strerror and the kernel's logs
 * both use relay_error_name().  Append only: the numbers are ABI.
 */
#ifndef RELAY_ERROR_H
#define RELAY_ERROR_H

#define RELAY_ERRORS(X)                                                            \
    X(ERR_NONE,          "success")                                                \
    X(ERR_NO_MEMORY,     "out of memory")                                          \
    X(ERR_INVALID,       "invalid argument")                                       \
    X(ERR_RANGE,         "address or size out of range")                           \
    X(ERR_NO_SYSCALL,    "no such system call")                                    \
    X(ERR_BAD_ADDRESS,   "bad user address: unmapped, kernel or wrapping")         \
    X(ERR_BAD_HANDLE,    "no such handle: out of range or never allocated")        \
    X(ERR_STALE_HANDLE,  "stale handle: deleted, revoked or reused")               \
    X(ERR_WRONG_TYPE,    "handle names an object of another type")                 \
    X(ERR_NO_RIGHTS,     "the handle lacks the right for this operation")          \
    X(ERR_DELETED,       "the object was destroyed")                               \
    X(ERR_TIMEOUT,       "timed out")                                              \
    X(ERR_NO_PARTNER,    "no partner: nobody to reply to, or the partner died")    \
    X(ERR_TOO_LONG,      "message longer than the maximum")                        \
    X(ERR_NO_SLOT,       "the handle table is full")                               \
    X(ERR_STATE,         "the thread or object is not in a state that allows it")  \
    X(ERR_NOT_OWNER,     "the caller does not own that frame")                     \
    X(ERR_MAPPED,        "the page is already mapped")                             \
    X(ERR_NOT_MAPPED,    "the page is not mapped")                                 \
    X(ERR_CANCELLED,     "the blocked call was cancelled (thread suspended)")      \
    X(ERR_NO_DEVICE,     "no such device: nothing is attached there")              \
    X(ERR_NOT_FOUND,     "no such name")                                           \
    X(ERR_NO_PROCESS,    "no such process")                                        \
    X(ERR_NO_CHILD,      "no such child: nothing to wait for")                     \
    X(ERR_WOULD_BLOCK,   "not yet: the operation would have to wait")

enum relay_error {
#define RELAY_ERROR_ENUM(code, text) code,
    RELAY_ERRORS(RELAY_ERROR_ENUM)
#undef RELAY_ERROR_ENUM
    RELAY_ERROR_COUNT
};

/* The text for an error code; unknown codes get "unknown error". */
static inline const char *relay_error_name(int code)
{
    static const char *const names[] = {
#define RELAY_ERROR_NAME(code, text) [code] = text,
        RELAY_ERRORS(RELAY_ERROR_NAME)
#undef RELAY_ERROR_NAME
    };
    if (code < 0 || code >= RELAY_ERROR_COUNT)
        return "unknown error";
    return names[code];
}

#endif
