/* The default pager's table of operations, from the one list in pager_proto.h. */
#include "defpager.h"

/* PAGER_REGISTER -> op_register, and so on: the name's tail, lower case. */
#define OP_FN_PAGER_REGISTER  op_register
#define OP_FN_PAGER_MAP_ANON  op_map_anon
#define OP_FN_PAGER_UNMAP     op_unmap
#define OP_FN_PAGER_SBRK      op_sbrk
#define OP_FN_PAGER_STACK     op_stack
#define OP_FN_PAGER_DUPLICATE op_duplicate
#define OP_FN_PAGER_DETACH    op_detach
#define OP_FN_PAGER_STATS     op_stats
#define OP_FN_PAGER_IMAGE     op_image
#define OP_FN_PAGER_DEATH     op_death

static const struct {
    uint32_t label;
    pager_op_fn fn;
} table[] = {
#define PAGER_OP_ENTRY(name, label, what) { label, OP_FN_##name },
    PAGER_OPS(PAGER_OP_ENTRY)
#undef PAGER_OP_ENTRY
};

pager_op_fn defpager_op(uint32_t label)
{
    for (uint32_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].label == label)
            return table[i].fn;
    return NULL;
}
