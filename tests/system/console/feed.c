/*
 * The console suite's host side: `feed serial` writes what COM1 receives
 * (the pattern, then the echo text); `feed echo` writes the echo text
 * alone, which the guest's output must contain.  See pattern.h.
 */
#include <stdio.h>
#include <string.h>
#include "pattern.h"

static void echo_text(void)
{
    char line[ECHO_LINE_LEN];
    for (uint32_t i = 0; i < ECHO_LINES; i++) {
        echo_line(i, line);
        fwrite(line, 1, sizeof line, stdout);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "serial") && strcmp(argv[1], "echo"))) {
        fprintf(stderr, "usage: feed serial|echo\n");
        return 2;
    }
    if (!strcmp(argv[1], "serial")) {
        uint32_t state = PATTERN_SEED;
        for (uint32_t i = 0; i < PATTERN_BYTES; i++)
            putchar(pattern_next(&state));
    }
    echo_text();
    return ferror(stdout) ? 1 : 0;
}
