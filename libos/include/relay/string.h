/*
 * Memory and string functions (the C library's, with its contracts), and
 * strerror for relay error codes.  The compiler may call mem* on its own.
 */
#ifndef LIBOS_STRING_H
#define LIBOS_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);

/* The text for a relay error code (relay_error_name); "unknown error" otherwise. */
const char *strerror(int err);

#endif
