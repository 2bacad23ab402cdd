/*
 * What the kernel has in use, for tests and monitors (kernel_info): the
 * fault and pager suites check that long runs leak nothing.
 */
#ifndef RELAY_KINFO_H
#define RELAY_KINFO_H

#include <stdint.h>

struct kernel_info {
    uint32_t frames_free;        /* the kernel's own frames not in use */
    uint32_t tasks, threads, endpoints, notifications;   /* objects alive or held */
    uint32_t notices_queued;     /* fault notices waiting for the supervisor */
    uint32_t reaping;            /* objects the kernel is still taking apart (they end soon) */
};

#endif
