/*
 * pager: the default pager (docs/DEFAULT_PAGER.md).  It owns the frames its
 * parent gave it and serves clients: demand-zero regions, a heap, growing
 * stacks with guard pages, copy-on-write duplication, ELF images paged in.
 * The protocol is ipc/relay/pager_proto.h.
 */
#include "defpager.h"

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    return defpager_main();
}
