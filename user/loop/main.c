/* loop: a runaway program for the shell's Ctrl-C and kill; says it started, with its
 * arguments (so that a script can tell one run from another), then spins for ever. */
#include <relay/libos.h>

int main(int argc, char **argv)
{
    volatile uint32_t spins = 0;
    printf("loop: spinning");
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    for (;;)
        spins++;
}
