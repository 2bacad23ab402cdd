/* libostest: main. */
#include "libostest.h"

int main(int argc, char **argv)
{
    return utest_main("libostest", argc, argv);
}
