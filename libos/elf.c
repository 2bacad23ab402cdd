/* Checking an ELF32 image before it is loaded: see relay/loader.h. */
#include <relay/loader.h>
#include <relay/elf.h>
#include <relay/layout.h>
#include <relay/string.h>

static const struct {
    int error;
    const char *text;
} problems[] = {
#define ELF_PROBLEM_ENTRY(name, error, text) [name] = { error, text },
    ELF_PROBLEMS(ELF_PROBLEM_ENTRY)
#undef ELF_PROBLEM_ENTRY
};

const char *elf_problem_text(enum elf_problem p)
{
    return (unsigned)p < ELF_PROBLEM_COUNT ? problems[p].text : "unknown problem";
}

int elf_problem_error(enum elf_problem p)
{
    return (unsigned)p < ELF_PROBLEM_COUNT ? problems[p].error : ERR_INVALID;
}

uint32_t elf_segment_pages(const struct elf_segment *s)
{
    return (PAGE_UP(s->vaddr + s->memsz) - PAGE_DOWN(s->vaddr)) / PAGE_SIZE;
}

static enum elf_problem check_header(const struct elf32_ehdr *eh, uint32_t size)
{
    if (eh->e_magic != ELF_MAGIC)
        return ELF_BAD_MAGIC;
    if (eh->e_class != ELFCLASS32)
        return ELF_NOT_32BIT;
    if (eh->e_data != ELFDATA2LSB)
        return ELF_NOT_LITTLE_ENDIAN;
    if (eh->e_type != ET_EXEC)
        return ELF_NOT_EXECUTABLE;
    if (eh->e_machine != EM_386)
        return ELF_NOT_I386;
    if (eh->e_phentsize != sizeof(struct elf32_phdr))
        return ELF_BAD_PHENTSIZE;
    if (eh->e_phnum > ELF_PHNUM_MAX)
        return ELF_TOO_MANY_PHDRS;
    uint32_t table = eh->e_phnum * (uint32_t)sizeof(struct elf32_phdr);
    if (eh->e_phoff > size || table > size - eh->e_phoff)
        return ELF_PHDRS_OUTSIDE;
    return ELF_OK;
}

static int share_a_page(const struct elf_segment *a, const struct elf_segment *b)
{
    return PAGE_DOWN(a->vaddr) < PAGE_UP(b->vaddr + b->memsz) &&
           PAGE_DOWN(b->vaddr) < PAGE_UP(a->vaddr + a->memsz);
}

static enum elf_problem check_segment(const struct elf32_phdr *ph, uint32_t size)
{
    if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
        return ELF_SEGMENT_OUTSIDE;
    if (ph->p_filesz > ph->p_memsz)
        return ELF_FILESZ_OVER_MEMSZ;
    if (ph->p_memsz > UINT32_MAX - ph->p_vaddr)
        return ELF_SEGMENT_WRAPS;
    if (ph->p_vaddr < PAGE_SIZE)
        return ELF_SEGMENT_TOO_LOW;
    if (ph->p_vaddr + ph->p_memsz > USER_TOP)
        return ELF_SEGMENT_TOO_HIGH;
    return ELF_OK;
}

/* Add a checked PT_LOAD to info, unless it is empty. */
static enum elf_problem add_segment(struct elf_info *info, const struct elf32_phdr *ph)
{
    if (ph->p_memsz == 0)
        return ELF_OK;
    struct elf_segment s = { ph->p_vaddr, ph->p_memsz, ph->p_offset, ph->p_filesz, ph->p_flags };
    for (uint32_t i = 0; i < info->load_count; i++)
        if (share_a_page(&s, &info->loads[i]))
            return ELF_SEGMENTS_OVERLAP;
    if (info->load_count == ELF_LOADS_MAX)
        return ELF_TOO_MANY_LOADS;
    info->loads[info->load_count++] = s;
    info->pages += elf_segment_pages(&s);
    return ELF_OK;
}

static int entry_is_executable(const struct elf_info *info)
{
    for (uint32_t i = 0; i < info->load_count; i++) {
        const struct elf_segment *s = &info->loads[i];
        if ((s->flags & PF_X) && info->entry - s->vaddr < s->memsz)
            return 1;
    }
    return 0;
}

enum elf_problem elf_check(const void *image, uint32_t size, struct elf_info *info)
{
    struct elf32_ehdr eh;
    memset(info, 0, sizeof *info);
    if (size < sizeof eh)
        return ELF_TRUNCATED;
    memcpy(&eh, image, sizeof eh);
    enum elf_problem p = check_header(&eh, size);
    for (uint32_t i = 0; p == ELF_OK && i < eh.e_phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, (const char *)image + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD)
            continue;
        p = check_segment(&ph, size);
        if (p == ELF_OK)
            p = add_segment(info, &ph);
    }
    info->entry = eh.e_entry;
    if (p == ELF_OK && info->load_count == 0)
        p = ELF_NO_LOAD;
    if (p == ELF_OK && !entry_is_executable(info))
        p = ELF_ENTRY_OUTSIDE;
    if (p != ELF_OK)
        memset(info, 0, sizeof *info);
    return p;
}
