/*
 * The startup page as libos writes and reads it (libos/startup.c,
 * relay/start.h): argument splitting, the checks on a page, and reading
 * argv back out of a page that may be hostile.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "relay/error.h"
#include "relay/start.h"

static struct startup_info page;
static char strings[STARTUP_STRINGS];
static char *argv[STARTUP_ARGS_MAX + 1];

static void fresh(void)
{
    memset(&page, 0, sizeof page);
    page.magic = STARTUP_MAGIC;
    page.version = STARTUP_VERSION;
}

Test(startup, arguments_round_trip)
{
    fresh();
    cr_assert_eq(startup_set_args(&page, "  build/user/hello.elf one\ttwo   three "), ERR_NONE);
    cr_assert_eq(page.argc, 4);
    cr_assert_eq(startup_check(&page), ERR_NONE);
    uint32_t argc;
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_NONE);
    cr_assert_eq(argc, 4);
    cr_assert_str_eq(argv[0], "build/user/hello.elf");
    cr_assert_str_eq(argv[1], "one");
    cr_assert_str_eq(argv[2], "two");
    cr_assert_str_eq(argv[3], "three");
    cr_assert_null(argv[4]);
    argv[1][0] = 'O';                           /* the copy is the program's to change */
    cr_assert_eq(page.strings[page.argv[1]], 'o');
}

Test(startup, empty_command_line)
{
    fresh();
    cr_assert_eq(startup_set_args(&page, ""), ERR_NONE);
    cr_assert_eq(startup_set_args(&page, "   "), ERR_NONE);
    uint32_t argc = 99;
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_NONE);
    cr_assert_eq(argc, 0);
    cr_assert_null(argv[0]);
}

Test(startup, too_many_or_too_long_arguments)
{
    char line[4 * STARTUP_ARGS_MAX + 8] = "";
    for (unsigned i = 0; i <= STARTUP_ARGS_MAX; i++)
        strcat(line, "ab ");
    fresh();
    cr_assert_eq(startup_set_args(&page, line), ERR_RANGE, "one word too many");
    line[3 * STARTUP_ARGS_MAX] = '\0';
    cr_assert_eq(startup_set_args(&page, line), ERR_NONE, "exactly the maximum");
    cr_assert_eq(page.argc, STARTUP_ARGS_MAX);

    static char huge[STARTUP_STRINGS + 1];
    memset(huge, 'x', STARTUP_STRINGS);
    cr_assert_eq(startup_set_args(&page, huge), ERR_RANGE, "no room for the NUL");
    huge[STARTUP_STRINGS - 1] = '\0';
    cr_assert_eq(startup_set_args(&page, huge), ERR_NONE, "exactly fills the strings");
}

Test(startup, check_refuses_bad_pages)
{
    fresh();
    cr_assert_eq(startup_check(&page), ERR_NONE);
    page.magic ^= 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.version = STARTUP_VERSION + 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.argc = STARTUP_ARGS_MAX + 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.memory_count = STARTUP_RANGES_MAX + 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.image_count = STARTUP_IMAGES_MAX + 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.device_count = STARTUP_RANGES_MAX + 1;
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    fresh();
    page.image_count = 1;
    memset(page.images[0].cmdline, 'x', STARTUP_NAME_MAX);   /* no NUL */
    cr_assert_eq(startup_check(&page), ERR_INVALID);
    page.images[0].cmdline[STARTUP_NAME_MAX - 1] = '\0';
    cr_assert_eq(startup_check(&page), ERR_NONE);
}

Test(startup, get_args_refuses_strings_that_run_off_the_end)
{
    uint32_t argc;
    fresh();
    page.argc = 1;
    page.argv[0] = STARTUP_STRINGS;             /* outside */
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_INVALID);
    page.argv[0] = STARTUP_STRINGS - 3;
    memset(page.strings + STARTUP_STRINGS - 3, 'x', 3);   /* unterminated */
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_INVALID);
    page.strings[STARTUP_STRINGS - 1] = '\0';
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_NONE);
    cr_assert_str_eq(argv[0], "xx");
    page.argc = STARTUP_ARGS_MAX + 1;
    cr_assert_eq(startup_get_args(&page, strings, argv, &argc), ERR_INVALID);
}
