/* The driver suite: drvtest (watch.c), booted by tests/system/drivers/check. */
#include "drvtest.h"

int main(int argc, char **argv)
{
    return utest_main("drivers", argc, argv);
}
