/*
 * The parts of ELF32 (System V ABI, i386 supplement) that Relay loads: the
 * kernel's loader for the root task and libos' loader for every other
 * program both read these.
 */
#ifndef RELAY_ELF_H
#define RELAY_ELF_H

#include <stdint.h>

#define ELF_MAGIC     0x464C457Fu   /* "\x7fELF" read as a little-endian word */
#define ELFCLASS32    1
#define ELFDATA2LSB   1
#define ET_EXEC       2
#define EM_386        3
#define PT_LOAD       1
#define PF_X          0x1u
#define PF_W          0x2u
#define PF_R          0x4u

struct elf32_ehdr {
    uint32_t e_magic;
    uint8_t  e_class, e_data, e_version0, e_osabi, e_pad[8];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header");

#endif
