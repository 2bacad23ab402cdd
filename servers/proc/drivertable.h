/*
 * The driver manager's pure part (host-tested in tests/host/test_proc_drivers.c):
 * which images are drivers, what each is given, and when a dead one is
 * started again.
 *
 * An image is a driver when the last path part of its command line's first
 * word, less a ".elf" ending, is a driver's name: "build/servers/drivers/disk.elf"
 * and "disk" (a GRUB module's command line) both name "disk".  The known ones:
 *
 *   name      IRQ  ports               service     also given
 *   serial     4   0x3F8+8             "console"
 *   keyboard   1   0x60+1, 0x64+1      "keyboard"  "console"
 *   disk      14   0x1F0+8, 0x3F6+1    "disk"
 *   bootfs     -   -                   "fs"        every boot module as an image
 *   pager      -   -                   "pager"     every boot module, half of proc's free
 *                                                  memory; it announces its own endpoint
 *
 * and proc's command line may add others (tests do): driver=NAME:LINE with up
 * to two port ranges, driver=NAME:LINE:FIRST+COUNT[:FIRST+COUNT], numbers
 * decimal or 0x-hex; its service is NAME.
 *
 * Restarts back off: the k-th restart in a row waits base << (k-1) ticks
 * (at most base << RESTART_SHIFT_MAX); the death that would be restart
 * max + 1 gives the driver up instead.  A run of restarts ends when an
 * instance has stayed up `window` ticks.
 */
#ifndef PROC_DRIVERTABLE_H
#define PROC_DRIVERTABLE_H

#include <stdint.h>
#include <relay/startup.h>

#define DRIVER_RANGES_MAX 2          /* "ports" and "ports2" */
#define DRIVER_EXTRA_MAX  4          /* driver= on proc's command line */

struct port_range {
    uint32_t first, count;
};

struct driver_spec {
    char name[STARTUP_HANDLE_NAME];      /* the image's name */
    char service[STARTUP_HANDLE_NAME];   /* the endpoint's name, for programs */
    char needs[STARTUP_HANDLE_NAME];     /* another driver's service it is given, or "" */
    uint32_t line;                       /* its IRQ line; 0: a server with no device */
    uint32_t all_images;                 /* given every boot module as an image (bootfs, pager) */
    uint32_t announces;                  /* no "serve" endpoint: it makes its own and sends it
                                            to its parent (its "parent" handle) as PAGER_HELLO,
                                            and proc registers it under `service` (the pager) */
    uint32_t memory_share;               /* 0: DRIVER_MEMORY_PAGES; N: 1/N of proc's free frames */
    uint32_t range_count;
    struct port_range ranges[DRIVER_RANGES_MAX];
};

/* The built-in table, and how many it has. */
extern const struct driver_spec driver_specs[];
extern const uint32_t driver_spec_count;

/* Parse driver=...'s value ("noack:8:0x70+2").  ERR_INVALID for a malformed
 * one or a name of STARTUP_HANDLE_NAME or more characters, ERR_RANGE for a
 * line outside 1..15 (2 is the cascade), a range that is empty, runs past
 * port 0xFFFF, or more than DRIVER_RANGES_MAX ranges. */
int driver_spec_parse(const char *text, struct driver_spec *out);

/* The image's name (see above) into name; "" if it has none, or one too long. */
void driver_image_name(const char *cmdline, char name[STARTUP_HANDLE_NAME]);

/* The spec among extra[0..extra_count) then the built-in table whose name
 * the image's command line gives, or NULL: it is an ordinary program. */
const struct driver_spec *driver_spec_find(const struct driver_spec *extra, uint32_t extra_count,
                                           const char *cmdline);

#define RESTART_SHIFT_MAX 10
#define RESTART_GIVE_UP   0xFFFFFFFFu

struct restart_policy {
    uint32_t max;                /* restarts in a row before it is given up on */
    uint32_t base;               /* ticks before the first restart of a run */
    uint32_t window;             /* ticks an instance must live to end the run */
};

/* A death: *in_a_row counts it; the ticks to wait before the next start, or
 * RESTART_GIVE_UP once it has been restarted max times in a row. */
uint32_t restart_delay(const struct restart_policy *p, uint32_t *in_a_row);

#endif
