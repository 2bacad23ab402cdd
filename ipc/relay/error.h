/*
 * Relay's error codes: one list, shared by the kernel and user space.
 *
 * Every call that can fail returns one of these (ERR_NONE on success).  The list
 * produces the enum and the names; libos' strerror and the kernel's logs both
 * use relay_error_name().  Append only: numbers are part of the ABI.
 */
#ifndef RELAY_ERROR_H
#define RELAY_ERROR_H

#define RELAY_ERRORS(X)                                              \
    X(ERR_NONE,       "success")                                     \
    X(ERR_NO_MEMORY,  "out of memory")                               \
    X(ERR_INVALID,    "invalid argument")                            \
    X(ERR_RANGE,      "address or size out of range")

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
