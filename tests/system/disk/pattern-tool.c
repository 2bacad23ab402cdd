/*
 * pattern-tool: the host's half of the disk suite (tests/system/disk/run).
 *
 *   pattern-tool make FILE SECTORS SEED
 *       write a raw image of SECTORS sectors, sector s holding pattern SEED
 *   pattern-tool check FILE FIRST COUNT SEED
 *       exit 0 iff sectors [FIRST, FIRST + COUNT) of FILE hold pattern SEED;
 *       else print the first sector that does not, and exit 1
 *
 * Patterns are pattern.h's, the same the guest suite uses.  Exits 2 on bad
 * usage or an I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

static unsigned long number(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    if (!*s || *end) {
        fprintf(stderr, "pattern-tool: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

static int make(const char *file, uint32_t sectors, uint32_t seed)
{
    FILE *f = fopen(file, "wb");
    if (!f) {
        perror(file);
        return 2;
    }
    uint8_t sector[PATTERN_SECTOR];
    for (uint32_t s = 0; s < sectors; s++) {
        pattern_fill(seed, s, sector);
        if (fwrite(sector, sizeof sector, 1, f) != 1) {
            perror(file);
            return 2;
        }
    }
    return fclose(f) ? 2 : 0;
}

static int check(const char *file, uint32_t first, uint32_t count, uint32_t seed)
{
    FILE *f = fopen(file, "rb");
    if (!f || fseek(f, (long)first * PATTERN_SECTOR, SEEK_SET)) {
        perror(file);
        return 2;
    }
    uint8_t sector[PATTERN_SECTOR];
    for (uint32_t s = first; s < first + count; s++) {
        if (fread(sector, sizeof sector, 1, f) != 1) {
            printf("%s: sector %u: the image ends before it\n", file, s);
            return 1;
        }
        int at = pattern_differs(seed, s, sector);
        if (at >= 0) {
            uint32_t word0 = sector[0] | sector[1] << 8 | sector[2] << 16 | (uint32_t)sector[3] << 24;
            uint32_t word1 = sector[4] | sector[5] << 8 | sector[6] << 16 | (uint32_t)sector[7] << 24;
            printf("%s: sector %u is not pattern %u: byte %d differs (it starts %u, %u)\n", file, s,
                   seed, at, word0, word1);
            return 1;
        }
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "make"))
        return make(argv[2], (uint32_t)number(argv[3]), (uint32_t)number(argv[4]));
    if (argc == 6 && !strcmp(argv[1], "check"))
        return check(argv[2], (uint32_t)number(argv[3]), (uint32_t)number(argv[4]),
                     (uint32_t)number(argv[5]));
    fprintf(stderr, "usage: pattern-tool make FILE SECTORS SEED\n"
                    "       pattern-tool check FILE FIRST COUNT SEED\n");
    return 2;
}
