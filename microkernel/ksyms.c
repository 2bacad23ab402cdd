/* Symbol lookup over the generated table: see ksyms.h. */
#include "ksyms.h"

struct ksym {
    uint32_t addr;
    uint32_t name;   /* address of a NUL-terminated name */
};

extern const struct ksym ksym_table[];
extern const uint32_t ksym_count;
extern const char __text_start[], __text_end[];

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
    if (addr < (uint32_t)__text_start || addr >= (uint32_t)__text_end || ksym_count == 0)
        return 0;
    uint32_t lo = 0, hi = ksym_count;       /* find the last entry with addr <= addr */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ksym_table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksym_table[lo].addr > addr)
        return 0;
    *offset = addr - ksym_table[lo].addr;
    return (const char *)ksym_table[lo].name;
}
