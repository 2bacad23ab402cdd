#!/usr/bin/env bash
# Generate the kernel's symbol table (nasm source) from a linked kernel ELF:
#   tools/ksyms.sh kernel.elf > ksyms.asm
# With no argument, emit an empty table (for the first link).  The table lists
# every text symbol, sorted by address, for microkernel/ksyms.c.
set -euo pipefail
echo 'section .ksyms progbits alloc noexec nowrite align=4'
echo 'global ksym_table, ksym_count'
if [ $# -eq 0 ]; then
    echo 'ksym_count: dd 0'
    echo 'ksym_table:'
    exit 0
fi
nm -n --defined-only "$1" | awk '
    $2 ~ /^[tT]$/ && $3 !~ /\./ { addr[n] = $1; name[n] = $3; n++ }   # no local labels
    END {
        printf "ksym_count: dd %d\nksym_table:\n", n
        for (i = 0; i < n; i++) printf "dd 0x%s, s%d\n", addr[i], i
        for (i = 0; i < n; i++) printf "s%d: db \"%s\", 0\n", i, name[i]
    }'
