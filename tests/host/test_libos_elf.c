/*
 * libos' ELF32 checker (libos/elf.c, relay/loader.h) on crafted images: a
 * good one, then one fault at a time, each caught by its own named problem
 * with the relay error it maps to.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "relay/elf.h"
#include "relay/loader.h"
#include "relay/startup.h"

#define IMAGE_SIZE 0x3000u

/* An image buffer: the ELF header, program headers from byte 52, payload after. */
struct image {
    union {
        uint8_t bytes[IMAGE_SIZE];
        uint32_t align;
    };
};

static struct elf32_ehdr *ehdr(struct image *im) { return (struct elf32_ehdr *)im->bytes; }
static struct elf32_phdr *phdr(struct image *im, unsigned i)
{
    return (struct elf32_phdr *)(im->bytes + sizeof(struct elf32_ehdr)) + i;
}

/*
 * A good image: text at 0x400000 (0x180 bytes, R+X, entry 0x400010), a
 * PT_NOTE to skip, data at 0x401000 (0x20 bytes of file, 0x1100 in memory:
 * two pages, R+W).  Three pages all told.
 */
static void make_good(struct image *im)
{
    memset(im, 0, sizeof *im);
    struct elf32_ehdr *eh = ehdr(im);
    eh->e_magic = ELF_MAGIC;
    eh->e_class = ELFCLASS32;
    eh->e_data = ELFDATA2LSB;
    eh->e_version0 = 1;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_386;
    eh->e_version = 1;
    eh->e_entry = 0x400010;
    eh->e_phoff = sizeof *eh;
    eh->e_ehsize = sizeof *eh;
    eh->e_phentsize = sizeof(struct elf32_phdr);
    eh->e_phnum = 3;
    *phdr(im, 0) = (struct elf32_phdr){ PT_LOAD, 0x1000, 0x400000, 0x400000, 0x180, 0x180,
                                        PF_R | PF_X, 0x1000 };
    *phdr(im, 1) = (struct elf32_phdr){ 4 /* PT_NOTE */, 0x200, 0, 0, 0x10, 0x10, PF_R, 4 };
    *phdr(im, 2) = (struct elf32_phdr){ PT_LOAD, 0x2000, 0x401000, 0x401000, 0x20, 0x1100,
                                        PF_R | PF_W, 0x1000 };
}

static enum elf_problem check(struct image *im, uint32_t size)
{
    struct elf_info info;
    return elf_check(im->bytes, size, &info);
}

/* The image fails with problem p, which maps to relay error err. */
static void expect(struct image *im, uint32_t size, enum elf_problem p, int err)
{
    struct elf_info info;
    memset(&info, 0xAA, sizeof info);
    enum elf_problem got = elf_check(im->bytes, size, &info);
    cr_assert_eq(got, p, "got \"%s\", want \"%s\"", elf_problem_text(got), elf_problem_text(p));
    cr_assert_eq(elf_problem_error(got), err);
    cr_assert_eq(info.load_count, 0, "a refused image yields no segments");
    cr_assert_eq(info.pages, 0);
}

Test(elf, good_image)
{
    struct image im;
    make_good(&im);
    struct elf_info info;
    cr_assert_eq(elf_check(im.bytes, IMAGE_SIZE, &info), ELF_OK);
    cr_assert_eq(elf_problem_error(ELF_OK), ERR_NONE);
    cr_assert_eq(info.entry, 0x400010);
    cr_assert_eq(info.load_count, 2, "the PT_NOTE is not loaded");
    cr_assert_eq(info.loads[0].vaddr, 0x400000);
    cr_assert_eq(info.loads[0].flags, PF_R | PF_X);
    cr_assert_eq(info.loads[1].offset, 0x2000);
    cr_assert_eq(info.loads[1].filesz, 0x20);
    cr_assert_eq(info.loads[1].memsz, 0x1100);
    cr_assert_eq(elf_segment_pages(&info.loads[0]), 1);
    cr_assert_eq(elf_segment_pages(&info.loads[1]), 2);
    cr_assert_eq(info.pages, 3);
}

Test(elf, unaligned_buffer_is_fine)
{
    static uint8_t shifted[IMAGE_SIZE + 1];
    struct image im;
    make_good(&im);
    memcpy(shifted + 1, im.bytes, IMAGE_SIZE);
    struct elf_info info;
    cr_assert_eq(elf_check(shifted + 1, IMAGE_SIZE, &info), ELF_OK);
    cr_assert_eq(info.pages, 3);
}

Test(elf, segment_pages_count_partial_pages_at_both_ends)
{
    struct image im;
    make_good(&im);
    phdr(&im, 0)->p_vaddr = 0x400FF0;           /* 0x180 bytes across a page boundary */
    ehdr(&im)->e_entry = 0x400FF0;
    phdr(&im, 2)->p_vaddr = 0x402000;           /* out of the text's second page */
    struct elf_info info;
    cr_assert_eq(elf_check(im.bytes, IMAGE_SIZE, &info), ELF_OK, "%s",
                 elf_problem_text(elf_check(im.bytes, IMAGE_SIZE, &info)));
    cr_assert_eq(elf_segment_pages(&info.loads[0]), 2);
    cr_assert_eq(info.pages, 4);
}

Test(elf, truncated)
{
    struct image im;
    make_good(&im);
    expect(&im, 0, ELF_TRUNCATED, ERR_INVALID);
    expect(&im, sizeof(struct elf32_ehdr) - 1, ELF_TRUNCATED, ERR_INVALID);
}

Test(elf, header_fields)
{
    struct image im;
    make_good(&im);
    im.bytes[1] = 'X';
    expect(&im, IMAGE_SIZE, ELF_BAD_MAGIC, ERR_INVALID);
    make_good(&im);
    ehdr(&im)->e_class = 2;                     /* ELFCLASS64 */
    expect(&im, IMAGE_SIZE, ELF_NOT_32BIT, ERR_INVALID);
    make_good(&im);
    ehdr(&im)->e_data = 2;                      /* big-endian */
    expect(&im, IMAGE_SIZE, ELF_NOT_LITTLE_ENDIAN, ERR_INVALID);
    make_good(&im);
    ehdr(&im)->e_type = 3;                      /* ET_DYN */
    expect(&im, IMAGE_SIZE, ELF_NOT_EXECUTABLE, ERR_INVALID);
    make_good(&im);
    ehdr(&im)->e_machine = 62;                  /* x86-64 */
    expect(&im, IMAGE_SIZE, ELF_NOT_I386, ERR_INVALID);
    make_good(&im);
    ehdr(&im)->e_phentsize = 56;
    expect(&im, IMAGE_SIZE, ELF_BAD_PHENTSIZE, ERR_INVALID);
}

Test(elf, program_header_table)
{
    struct image im;
    make_good(&im);
    ehdr(&im)->e_phnum = ELF_PHNUM_MAX + 1;
    expect(&im, IMAGE_SIZE, ELF_TOO_MANY_PHDRS, ERR_RANGE);
    make_good(&im);
    ehdr(&im)->e_phoff = IMAGE_SIZE - 2 * sizeof(struct elf32_phdr);   /* 3 entries, room for 2 */
    expect(&im, IMAGE_SIZE, ELF_PHDRS_OUTSIDE, ERR_RANGE);
    make_good(&im);
    ehdr(&im)->e_phoff = 0xFFFFFFF0u;           /* would wrap */
    expect(&im, IMAGE_SIZE, ELF_PHDRS_OUTSIDE, ERR_RANGE);
    make_good(&im);                             /* the table ends exactly at the end: fine */
    ehdr(&im)->e_phoff = IMAGE_SIZE - 3 * sizeof(struct elf32_phdr);
    memcpy(im.bytes + IMAGE_SIZE - 3 * sizeof(struct elf32_phdr), phdr(&im, 0),
           3 * sizeof(struct elf32_phdr));
    cr_assert_eq(check(&im, IMAGE_SIZE), ELF_OK);
}

Test(elf, segment_file_bytes_outside_the_image)
{
    struct image im;
    make_good(&im);
    phdr(&im, 2)->p_offset = IMAGE_SIZE - 0x10;       /* 0x20 bytes from 0x10 before the end */
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_OUTSIDE, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_offset = 0xFFFFFFF0u;             /* offset + filesz wraps */
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_OUTSIDE, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_offset = IMAGE_SIZE - 0x20;       /* ends exactly at the end: fine */
    cr_assert_eq(check(&im, IMAGE_SIZE), ELF_OK);
}

Test(elf, filesz_over_memsz)
{
    struct image im;
    make_good(&im);
    phdr(&im, 2)->p_memsz = 0x10;
    expect(&im, IMAGE_SIZE, ELF_FILESZ_OVER_MEMSZ, ERR_INVALID);
}

Test(elf, segment_addresses)
{
    struct image im;
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0xFFFFF000u;        /* + 0x1100 wraps */
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_WRAPS, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0x10000000u;
    phdr(&im, 2)->p_memsz = 0xF0000000u;        /* ends exactly at 2^32: wraps to 0 */
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_WRAPS, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0xFFF;
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_TOO_LOW, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = USER_TOP - 0x1000;  /* 0x1100 bytes: past USER_TOP */
    expect(&im, IMAGE_SIZE, ELF_SEGMENT_TOO_HIGH, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = USER_TOP - 0x1100;  /* ends exactly at USER_TOP: fine */
    cr_assert_eq(check(&im, IMAGE_SIZE), ELF_OK);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0x1000;             /* the lowest page that may be mapped */
    cr_assert_eq(check(&im, IMAGE_SIZE), ELF_OK);
}

Test(elf, segments_sharing_a_page)
{
    struct image im;
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0x400800;           /* in the text's page */
    expect(&im, IMAGE_SIZE, ELF_SEGMENTS_OVERLAP, ERR_RANGE);
    make_good(&im);
    phdr(&im, 2)->p_vaddr = 0x3FF000;           /* 0x1100 bytes reach into the text's page */
    expect(&im, IMAGE_SIZE, ELF_SEGMENTS_OVERLAP, ERR_RANGE);
}

Test(elf, too_many_loadable_segments)
{
    struct image im;
    make_good(&im);
    ehdr(&im)->e_phnum = ELF_LOADS_MAX + 1;
    ehdr(&im)->e_entry = 0x400000;
    for (unsigned i = 0; i < ELF_LOADS_MAX + 1; i++)
        *phdr(&im, i) = (struct elf32_phdr){ PT_LOAD, 0x1000, 0x400000 + i * 0x1000, 0, 0x10,
                                             0x10, PF_R | PF_X, 0x1000 };
    expect(&im, IMAGE_SIZE, ELF_TOO_MANY_LOADS, ERR_RANGE);
    ehdr(&im)->e_phnum = ELF_LOADS_MAX;         /* exactly the maximum: fine */
    cr_assert_eq(check(&im, IMAGE_SIZE), ELF_OK);
}

Test(elf, nothing_to_load)
{
    struct image im;
    make_good(&im);
    ehdr(&im)->e_phnum = 0;
    expect(&im, IMAGE_SIZE, ELF_NO_LOAD, ERR_INVALID);
    make_good(&im);
    phdr(&im, 0)->p_type = 4;
    phdr(&im, 2)->p_memsz = phdr(&im, 2)->p_filesz = 0;   /* empty segments are skipped */
    expect(&im, IMAGE_SIZE, ELF_NO_LOAD, ERR_INVALID);
}

Test(elf, entry_point)
{
    struct image im;
    make_good(&im);
    ehdr(&im)->e_entry = 0x401000;              /* in the data segment: not executable */
    expect(&im, IMAGE_SIZE, ELF_ENTRY_OUTSIDE, ERR_RANGE);
    make_good(&im);
    ehdr(&im)->e_entry = 0x400180;              /* one past the text */
    expect(&im, IMAGE_SIZE, ELF_ENTRY_OUTSIDE, ERR_RANGE);
    make_good(&im);
    ehdr(&im)->e_entry = 0;
    expect(&im, IMAGE_SIZE, ELF_ENTRY_OUTSIDE, ERR_RANGE);
}

Test(elf, problems_have_distinct_texts_and_errors)
{
    for (int a = 0; a < ELF_PROBLEM_COUNT; a++) {
        cr_assert_not_null(elf_problem_text(a));
        cr_assert(elf_problem_error(a) == (a == ELF_OK ? ERR_NONE : ERR_INVALID) ||
                  elf_problem_error(a) == ERR_RANGE, "problem %d", a);
        for (int b = 0; b < a; b++)
            cr_assert_str_neq(elf_problem_text(a), elf_problem_text(b));
    }
    cr_assert_str_eq(elf_problem_text(ELF_PROBLEM_COUNT), "unknown problem");
    cr_assert_eq(elf_problem_error(ELF_PROBLEM_COUNT), ERR_INVALID);
}
