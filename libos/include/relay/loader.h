/*
 * Loading ELF32 programs (ipc/relay/elf.h) into a task.
 *
 * elf_check reads an image and says whether libos can load it: the first
 * problem it finds, each named (ELF_PROBLEMS) and mapped to a relay error
 * (ERR_INVALID: not a loadable i386 executable; ERR_RANGE: something lies
 * outside the image or outside user space).  It makes no system call, so
 * host tests run it on crafted images.  A good image gets an elf_info: the
 * entry point, the loadable segments and the pages they cover.
 *
 * Checks, in order: the header fits; magic; ELFCLASS32; little-endian;
 * ET_EXEC; EM_386; e_phentsize is 32; at most ELF_PHNUM_MAX program
 * headers, all within the image; then for each PT_LOAD: its file bytes
 * within the image, filesz <= memsz, vaddr + memsz does not wrap, vaddr is
 * not in page 0, vaddr + memsz <= USER_TOP, it shares no page with another
 * PT_LOAD, at most ELF_LOADS_MAX of them; at least one; and the entry
 * point lies in an executable (PF_X) one.  Segments of memsz 0 are skipped.
 * Headers are read with memcpy, so an image needs no alignment.
 */
#ifndef LIBOS_LOADER_H
#define LIBOS_LOADER_H

#include <stdint.h>
#include <relay/ipc.h>
#include <relay/error.h>

#ifdef HOST_TEST   /* host tests link this beside kernel code: keep the names apart */
#define elf_check          libos_elf_check
#define elf_problem_text   libos_elf_problem_text
#define elf_problem_error  libos_elf_problem_error
#define elf_segment_pages  libos_elf_segment_pages
#endif

#define ELF_PHNUM_MAX 32u
#define ELF_LOADS_MAX 16u

#define ELF_PROBLEMS(X)                                                                     \
    X(ELF_OK,                ERR_NONE,    "a loadable i386 executable")                     \
    X(ELF_TRUNCATED,         ERR_INVALID, "smaller than an ELF header")                     \
    X(ELF_BAD_MAGIC,         ERR_INVALID, "not an ELF file (bad magic)")                    \
    X(ELF_NOT_32BIT,         ERR_INVALID, "not a 32-bit ELF file (ELFCLASS32)")             \
    X(ELF_NOT_LITTLE_ENDIAN, ERR_INVALID, "not little-endian (ELFDATA2LSB)")                \
    X(ELF_NOT_EXECUTABLE,    ERR_INVALID, "not an executable (ET_EXEC)")                    \
    X(ELF_NOT_I386,          ERR_INVALID, "not for the i386 (EM_386)")                      \
    X(ELF_BAD_PHENTSIZE,     ERR_INVALID, "program header entries are not 32 bytes")        \
    X(ELF_TOO_MANY_PHDRS,    ERR_RANGE,   "more program headers than ELF_PHNUM_MAX")        \
    X(ELF_PHDRS_OUTSIDE,     ERR_RANGE,   "program headers run past the end of the image")  \
    X(ELF_SEGMENT_OUTSIDE,   ERR_RANGE,   "a segment's bytes run past the end of the image") \
    X(ELF_FILESZ_OVER_MEMSZ, ERR_INVALID, "a segment's file size exceeds its memory size")  \
    X(ELF_SEGMENT_WRAPS,     ERR_RANGE,   "a segment wraps around the top of memory")       \
    X(ELF_SEGMENT_TOO_LOW,   ERR_RANGE,   "a segment starts in page 0, which is never mapped") \
    X(ELF_SEGMENT_TOO_HIGH,  ERR_RANGE,   "a segment reaches past USER_TOP")                \
    X(ELF_SEGMENTS_OVERLAP,  ERR_RANGE,   "two segments share a page")                      \
    X(ELF_TOO_MANY_LOADS,    ERR_RANGE,   "more loadable segments than ELF_LOADS_MAX")      \
    X(ELF_NO_LOAD,           ERR_INVALID, "no loadable segment")                            \
    X(ELF_ENTRY_OUTSIDE,     ERR_RANGE,   "the entry point is in no executable segment")

enum elf_problem {
#define ELF_PROBLEM_ENUM(name, error, text) name,
    ELF_PROBLEMS(ELF_PROBLEM_ENUM)
#undef ELF_PROBLEM_ENUM
    ELF_PROBLEM_COUNT
};

struct elf_segment {
    uint32_t vaddr, memsz;        /* where it goes, and how big it is there */
    uint32_t offset, filesz;      /* its bytes in the image; the rest is zero */
    uint32_t flags;               /* PF_R, PF_W, PF_X */
};

struct elf_info {
    uint32_t entry;
    uint32_t load_count;
    struct elf_segment loads[ELF_LOADS_MAX];
    uint32_t pages;               /* pages the segments cover, all told */
};

enum elf_problem elf_check(const void *image, uint32_t size, struct elf_info *info);
const char *elf_problem_text(enum elf_problem p);
int elf_problem_error(enum elf_problem p);

/* The pages segment s covers, from its first page. */
uint32_t elf_segment_pages(const struct elf_segment *s);

/*
 * Load a checked image into task: page by page, frame k of the contiguous
 * run at frames (info->pages frames, owned by the caller) is zeroed, gets
 * the page's file bytes through the scratch window and is mapped at the
 * page's address in task, writable iff the segment has PF_W.  The caller
 * keeps owning the frames.  On an error (the kernel's, from map or unmap)
 * the pages mapped so far stay mapped.
 */
int elf_load(const void *image, const struct elf_info *info, relay_handle task, uint32_t frames);

#endif
