/*
 * sum: adds up its arguments.  An example of a program built out of the
 * Relay tree against libos, with libos/program.mk (docs/LIBOS.md).
 * Exits with 0, or with 1 if an argument is not a number.
 */
#include <relay/libos.h>

/* The decimal number s, in *n; 0 if s is not one. */
static int number(const char *s, long *n)
{
    int sign = *s == '-' ? -1 : 1;
    s += *s == '-';
    if (!*s)
        return 0;
    for (*n = 0; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        *n = *n * 10 + (*s - '0');
    }
    *n *= sign;
    return 1;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++) {
        long n;
        if (!number(argv[i], &n)) {
            printf("sum: '%s' is not a number\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("sum: %d numbers add up to %ld\n", argc - 1, total);
    return 0;
}
