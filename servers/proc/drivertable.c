/* The driver manager's pure part: see drivertable.h. */
#include "drivertable.h"
#include <relay/error.h>

const struct driver_spec driver_specs[] = {
    { .name = "serial", .service = "console", .line = 4,
      .range_count = 1, .ranges = { { 0x3F8, 8 } } },
    { .name = "keyboard", .service = "keyboard", .needs = "console", .line = 1,
      .range_count = 2, .ranges = { { 0x60, 1 }, { 0x64, 1 } } },
    { .name = "disk", .service = "disk", .line = 14,
      .range_count = 2, .ranges = { { 0x1F0, 8 }, { 0x3F6, 1 } } },
    { .name = "bootfs", .service = "fs", .all_images = 1 },   /* a server: no device */
    { .name = "pager", .service = "pager", .all_images = 1, .announces = 1, .memory_share = 2 },
};
const uint32_t driver_spec_count = sizeof driver_specs / sizeof driver_specs[0];

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* A decimal or 0x-hex number at *p, moved past; 0 if there is none or it passes max. */
static int number(const char **p, uint32_t max, uint32_t *out)
{
    const char *s = *p;
    uint32_t base = 10, v = 0;
    int digits = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    for (;; s++, digits++) {
        uint32_t d;
        if (*s >= '0' && *s <= '9')
            d = (uint32_t)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (uint32_t)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (uint32_t)(*s - 'A' + 10);
        else
            break;
        if (v > (max - d) / base)
            return 0;
        v = v * base + d;
    }
    *p = s;
    *out = v;
    return digits > 0;
}

int driver_spec_parse(const char *text, struct driver_spec *out)
{
    struct driver_spec s = { 0 };
    uint32_t n = 0;
    for (; text[n] && text[n] != ':'; n++)
        if (n + 1 >= STARTUP_HANDLE_NAME || text[n] == '/' || text[n] == ' ')
            return ERR_INVALID;
    if (n == 0 || text[n] != ':')
        return ERR_INVALID;
    for (uint32_t i = 0; i < n; i++)
        s.name[i] = s.service[i] = text[i];
    const char *p = text + n + 1;
    if (!number(&p, 0xFFFF, &s.line))
        return ERR_INVALID;
    while (*p == ':') {
        struct port_range r;
        p++;
        if (!number(&p, 0xFFFF, &r.first) || *p++ != '+' || !number(&p, 0x10000, &r.count))
            return ERR_INVALID;
        if (s.range_count == DRIVER_RANGES_MAX || r.count == 0 || r.first + r.count > 0x10000)
            return ERR_RANGE;
        s.ranges[s.range_count++] = r;
    }
    if (*p)
        return ERR_INVALID;
    if (s.line == 0 || s.line == 2 || s.line > 15)
        return ERR_RANGE;
    *out = s;
    return ERR_NONE;
}

void driver_image_name(const char *cmdline, char name[STARTUP_HANDLE_NAME])
{
    while (*cmdline == ' ' || *cmdline == '\t')
        cmdline++;
    const char *base = cmdline, *end = cmdline;
    for (; *end && *end != ' ' && *end != '\t'; end++)
        if (*end == '/')
            base = end + 1;
    if (end - base > 4 && end[-4] == '.' && end[-3] == 'e' && end[-2] == 'l' && end[-1] == 'f')
        end -= 4;
    uint32_t n = (uint32_t)(end - base);
    if (n >= STARTUP_HANDLE_NAME)
        n = 0;
    for (uint32_t i = 0; i < n; i++)
        name[i] = base[i];
    name[n] = '\0';
}

const struct driver_spec *driver_spec_find(const struct driver_spec *extra, uint32_t extra_count,
                                           const char *cmdline)
{
    char name[STARTUP_HANDLE_NAME];
    driver_image_name(cmdline, name);
    if (!name[0])
        return 0;
    for (uint32_t i = 0; i < extra_count; i++)
        if (same(extra[i].name, name))
            return &extra[i];
    for (uint32_t i = 0; i < driver_spec_count; i++)
        if (same(driver_specs[i].name, name))
            return &driver_specs[i];
    return 0;
}

uint32_t restart_delay(const struct restart_policy *p, uint32_t *in_a_row)
{
    if (*in_a_row >= p->max)
        return RESTART_GIVE_UP;
    uint32_t shift = *in_a_row < RESTART_SHIFT_MAX ? *in_a_row : RESTART_SHIFT_MAX;
    (*in_a_row)++;
    uint64_t ticks = (uint64_t)p->base << shift;
    return ticks < RESTART_GIVE_UP ? (uint32_t)ticks : RESTART_GIVE_UP - 1;
}
