/* hello: the smallest program; prints its name and arguments, and exits with 0. */
#include <relay/libos.h>

int main(int argc, char **argv)
{
    printf("hello from %s\n", argc > 0 ? argv[0] : "(no name)");
    for (int i = 1; i < argc; i++)
        printf("hello: argv[%d] = %s\n", i, argv[i]);
    return 0;
}
