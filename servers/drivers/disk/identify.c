/* What IDENTIFY DEVICE says: see disk.h. */
#include "disk.h"
#include <relay/error.h>

enum {
    ID_CONFIG = 0,                /* bit 15 set: not an ATA device (ATAPI) */
    ID_MODEL = 27,                /* 20 words of model name */
    ID_MODEL_WORDS = 20,
    ID_CAPABILITIES = 49,         /* bit 9: LBA supported */
    ID_LBA28_SECTORS = 60,        /* two words, low first */
};
#define ID_CONFIG_NOT_ATA   0x8000u
#define ID_CAPABILITY_LBA   0x0200u
_Static_assert(ID_MODEL_WORDS * 2 == BLOCK_MODEL_MAX, "the model is 40 bytes");

int identify_parse(const uint16_t id[ATA_IDENTIFY_WORDS], uint32_t *sectors,
                   char model[BLOCK_MODEL_MAX])
{
    if (id[ID_CONFIG] & ID_CONFIG_NOT_ATA || !(id[ID_CAPABILITIES] & ID_CAPABILITY_LBA))
        return ERR_NO_DEVICE;
    uint32_t n = id[ID_LBA28_SECTORS] | (uint32_t)id[ID_LBA28_SECTORS + 1] << 16;
    if (n == 0)
        return ERR_NO_DEVICE;
    *sectors = n;
    for (uint32_t i = 0; i < ID_MODEL_WORDS; i++) {   /* ATA strings: high byte first */
        model[2 * i] = (char)(id[ID_MODEL + i] >> 8);
        model[2 * i + 1] = (char)(id[ID_MODEL + i] & 0xFF);
    }
    return ERR_NONE;
}
