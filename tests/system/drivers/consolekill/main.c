/*
 * consolekill: the console comes back (tests/suites boots it with the serial
 * driver and proc's control=consolekill.elf).  It writes through the
 * console, has proc kill the console driver, and writes again: the new
 * instance prints what follows (tests/suites looks for the lines in the
 * serial log).
 */
#include <relay/libos.h>
#include <relay/console.h>
#include "../drvtest.h"

static int restarted(const struct driver_status *s) { return s->state == DRIVER_RUNNING && s->restarts >= 1; }

TEST(console_survives_its_driver, "the console driver killed: proc starts another on the same service, and a program's next lines come out through it")
{
    struct driver_status before, after;
    CHECK_EQ(driver_status("console", &before), ERR_NONE);
    CHECK_EQ(before.state, DRIVER_RUNNING);
    CHECK_EQ(console_write("consolekill: before the kill\r\n", 30), ERR_NONE);
    CHECK_EQ(console_flush(), ERR_NONE);
    CHECK_EQ(driver_kill("console"), ERR_NONE);
    CHECK_EQ(driver_wait("console", restarted, 500, &after), ERR_NONE);
    CHECK(after.task != before.task);
    for (int i = 0; i < 3; i++)
        printf("consolekill: line %d after the restart\n", i);
    CHECK_EQ(console_flush(), ERR_NONE);
}

int main(int argc, char **argv)
{
    return utest_main("consolekill", argc, argv);
}
