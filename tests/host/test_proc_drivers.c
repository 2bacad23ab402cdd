/*
 * proc's driver manager, its pure part (servers/proc/drivertable.c): which
 * images are drivers, the driver= option, and the restart backoff.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "relay/error.h"
#include "../../servers/proc/drivertable.h"

static const char *name_of(const char *cmdline)
{
    static char name[STARTUP_HANDLE_NAME];
    driver_image_name(cmdline, name);
    return name;
}

Test(proc_drivers, image_names_are_the_last_path_part_without_elf)
{
    cr_assert_str_eq(name_of("build/servers/drivers/disk.elf"), "disk");
    cr_assert_str_eq(name_of("disk"), "disk");                  /* a GRUB module's cmdline */
    cr_assert_str_eq(name_of("  keyboard us"), "keyboard");     /* arguments are not the name */
    cr_assert_str_eq(name_of("a/b/serial.elf x y"), "serial");
    cr_assert_str_eq(name_of("x/.elf"), ".elf");                /* nothing but the ending */
    cr_assert_str_eq(name_of("disk.elfx"), "disk.elfx");
    cr_assert_str_eq(name_of(""), "");
    cr_assert_str_eq(name_of("dir/"), "");
    cr_assert_str_eq(name_of("a/twelve_chars.elf"), "");        /* too long for a name */
    cr_assert_str_eq(name_of("a/eleven_char.elf"), "eleven_char");
}

Test(proc_drivers, the_built_in_table)
{
    const struct driver_spec *s = driver_spec_find(0, 0, "build/servers/drivers/serial.elf");
    cr_assert_not_null(s);
    cr_assert_str_eq(s->service, "console");
    cr_assert_eq(s->line, 4);
    cr_assert_eq(s->range_count, 1);
    cr_assert_eq(s->ranges[0].first, 0x3F8);
    cr_assert_eq(s->ranges[0].count, 8);

    s = driver_spec_find(0, 0, "keyboard");
    cr_assert_not_null(s);
    cr_assert_str_eq(s->service, "keyboard");
    cr_assert_str_eq(s->needs, "console");
    cr_assert_eq(s->line, 1);
    cr_assert_eq(s->range_count, 2);
    cr_assert_eq(s->ranges[0].first, 0x60);
    cr_assert_eq(s->ranges[1].first, 0x64);

    s = driver_spec_find(0, 0, "disk.elf extra args");
    cr_assert_not_null(s);
    cr_assert_str_eq(s->service, "disk");
    cr_assert_eq(s->line, 14);
    cr_assert_eq(s->ranges[0].first, 0x1F0);
    cr_assert_eq(s->ranges[0].count, 8);
    cr_assert_eq(s->ranges[1].first, 0x3F6);
    cr_assert_eq(s->ranges[1].count, 1);

    s = driver_spec_find(0, 0, "build/servers/pager.elf");
    cr_assert_not_null(s);
    cr_assert_eq(s->line, 0);                                   /* a server */
    cr_assert(s->announces);                                    /* no "serve": it says hello */
    cr_assert(s->all_images);
    cr_assert_eq(s->memory_share, 2);

    cr_assert_null(driver_spec_find(0, 0, "build/user/hello.elf"));
    cr_assert_null(driver_spec_find(0, 0, "build/user/disks.elf"));
    cr_assert_null(driver_spec_find(0, 0, "hello from the ISO"));
}

Test(proc_drivers, driver_option_parses)
{
    struct driver_spec s;
    cr_assert_eq(driver_spec_parse("noack:8:0x70+2", &s), ERR_NONE);
    cr_assert_str_eq(s.name, "noack");
    cr_assert_str_eq(s.service, "noack");
    cr_assert_str_eq(s.needs, "");
    cr_assert_eq(s.line, 8);
    cr_assert_eq(s.range_count, 1);
    cr_assert_eq(s.ranges[0].first, 0x70);
    cr_assert_eq(s.ranges[0].count, 2);

    cr_assert_eq(driver_spec_parse("crashy:3", &s), ERR_NONE);
    cr_assert_eq(s.line, 3);
    cr_assert_eq(s.range_count, 0);

    cr_assert_eq(driver_spec_parse("two:15:496+8:0X3f6+1", &s), ERR_NONE);
    cr_assert_eq(s.range_count, 2);
    cr_assert_eq(s.ranges[0].first, 496);
    cr_assert_eq(s.ranges[1].first, 0x3F6);
    cr_assert_eq(driver_spec_parse("top:5:0xFFFF+1", &s), ERR_NONE);   /* the last port */

    /* an extra entry is found before the table's, by its name */
    struct driver_spec extra[2];
    cr_assert_eq(driver_spec_parse("noack:8:0x70+2", &extra[0]), ERR_NONE);
    cr_assert_eq(driver_spec_parse("disk:9", &extra[1]), ERR_NONE);
    cr_assert_eq(driver_spec_find(extra, 2, "build/tests/noack.elf"), &extra[0]);
    cr_assert_eq(driver_spec_find(extra, 2, "disk"), &extra[1]);
    cr_assert_eq(driver_spec_find(extra, 2, "serial")->line, 4);
}

Test(proc_drivers, bad_driver_options_are_refused)
{
    struct driver_spec s = { .line = 99 };
    cr_assert_eq(driver_spec_parse("", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack", &s), ERR_INVALID);          /* no line */
    cr_assert_eq(driver_spec_parse(":8", &s), ERR_INVALID);             /* no name */
    cr_assert_eq(driver_spec_parse("noack:", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:x", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:8:", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:8:0x70", &s), ERR_INVALID);   /* no count */
    cr_assert_eq(driver_spec_parse("noack:8:0x70+", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:8:0x70+2x", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("a/b:8", &s), ERR_INVALID);          /* a path is no name */
    cr_assert_eq(driver_spec_parse("twelve_chars:8", &s), ERR_INVALID); /* too long */
    cr_assert_eq(driver_spec_parse("noack:0", &s), ERR_RANGE);
    cr_assert_eq(driver_spec_parse("noack:2", &s), ERR_RANGE);          /* the cascade */
    cr_assert_eq(driver_spec_parse("noack:16", &s), ERR_RANGE);
    cr_assert_eq(driver_spec_parse("noack:99999999999", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:8:0x70+0", &s), ERR_RANGE);   /* empty */
    cr_assert_eq(driver_spec_parse("noack:8:0xFFFF+2", &s), ERR_RANGE); /* past 0xFFFF */
    cr_assert_eq(driver_spec_parse("noack:8:0x10000+1", &s), ERR_INVALID);
    cr_assert_eq(driver_spec_parse("noack:8:1+1:2+1:3+1", &s), ERR_RANGE);  /* three ranges */
    cr_assert_eq(s.line, 99, "a refused option leaves the spec as it was");
}

Test(proc_drivers, restarts_back_off_then_give_up)
{
    struct restart_policy p = { .max = 5, .base = 5, .window = 1000 };
    uint32_t in_a_row = 0;
    cr_assert_eq(restart_delay(&p, &in_a_row), 5);
    cr_assert_eq(in_a_row, 1);
    cr_assert_eq(restart_delay(&p, &in_a_row), 10);
    cr_assert_eq(restart_delay(&p, &in_a_row), 20);
    cr_assert_eq(restart_delay(&p, &in_a_row), 40);
    cr_assert_eq(restart_delay(&p, &in_a_row), 80);
    cr_assert_eq(in_a_row, 5);
    cr_assert_eq(restart_delay(&p, &in_a_row), RESTART_GIVE_UP);
    cr_assert_eq(in_a_row, 5, "giving up counts no restart");

    in_a_row = 0;                                /* an instance stayed up: a new run */
    cr_assert_eq(restart_delay(&p, &in_a_row), 5);

    struct restart_policy none = { .max = 0, .base = 5 };
    in_a_row = 0;
    cr_assert_eq(restart_delay(&none, &in_a_row), RESTART_GIVE_UP);
}

Test(proc_drivers, backoff_stops_growing)
{
    struct restart_policy p = { .max = 100, .base = 3 };
    uint32_t in_a_row = 0, last = 0;
    for (uint32_t k = 0; k < 100; k++) {
        uint32_t d = restart_delay(&p, &in_a_row);
        cr_assert_neq(d, RESTART_GIVE_UP);
        cr_assert_geq(d, last);
        cr_assert_leq(d, 3u << RESTART_SHIFT_MAX);
        last = d;
    }
    cr_assert_eq(last, 3u << RESTART_SHIFT_MAX);
    struct restart_policy huge = { .max = 100, .base = 0xFFFFFFF0u };
    in_a_row = 3;
    cr_assert_eq(restart_delay(&huge, &in_a_row), RESTART_GIVE_UP - 1, "no overflow");
}
