# libos: the library every user program links, and how to link a program.
# Included by the top-level Makefile after its own variables and rules
# (it adds to HCFLAGS, HOST_SRC/HOST_OBJ and the host-tests link).
#
#   $(eval $(call user-program,OUTPUT,SOURCES))
#       links OUTPUT from crt0, SOURCES (.c and .asm, compiled with UCFLAGS
#       into build/user-obj/), libos.a and libgcc, at PROGRAM_BASE.
#   USER_IMAGES    every program built; `all` depends on it.

BUILD ?= build
USER_OBJ := $(BUILD)/user-obj

UCFLAGS := -m32 -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -mno-sse -mno-mmx -mno-80387 -O2 -g -Wall -Wextra -Werror \
           -Ilibos/include -Iipc -MMD -MP
UNASMFLAGS := -f elf32 -g -F dwarf -Werror
# The link address is PROGRAM_BASE from ipc/relay/startup.h (its one source).
PROGRAM_BASE_ADDR := $(shell awk '$$2 == "PROGRAM_BASE" { sub(/u$$/, "", $$3); print $$3 }' ipc/relay/startup.h)
ULDFLAGS := -m elf_i386 -z noexecstack -T libos/user.ld --fatal-warnings \
            --defsym=PROGRAM_BASE=$(PROGRAM_BASE_ADDR)

LIBOS_C    := $(wildcard libos/*.c)
LIBOS_OBJ  := $(LIBOS_C:libos/%.c=$(BUILD)/libos/%.o) \
              $(filter-out $(BUILD)/libos/crt0.o,$(patsubst libos/%.asm,$(BUILD)/libos/%.o,$(wildcard libos/*.asm)))
LIBOS_CRT0 := $(BUILD)/libos/crt0.o
LIBOS_LIB  := $(BUILD)/libos/libos.a

$(BUILD)/libos/%.o: libos/%.c
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/libos/%.o: libos/%.asm
	@mkdir -p $(@D)
	nasm $(UNASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(LIBOS_LIB): $(LIBOS_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Programs' own objects: build/user-obj/<path of the source>.o
$(USER_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -c $< -o $@

$(USER_OBJ)/%.o: %.asm
	@mkdir -p $(@D)
	nasm $(UNASMFLAGS) -MD $(@:.o=.d) $< -o $@

user-objects = $(patsubst %,$(USER_OBJ)/%.o,$(basename $(1)))

# user-program OUTPUT, SOURCES
define user-program
$(1): $(LIBOS_CRT0) $(call user-objects,$(2)) $(LIBOS_LIB) libos/user.ld
	@mkdir -p $$(@D)
	$(LD) $(ULDFLAGS) -o $$@ $(LIBOS_CRT0) $(call user-objects,$(2)) $(LIBOS_LIB) $(LIBGCC)
endef

USER_IMAGES ?=

# Host unit tests: libos' pure parts, built with the host test flags.
LIBOS_HOST_SRC := libos/format.c libos/elf.c libos/frame_pool.c libos/startup.c libos/insn.c \
                  libos/fault.c libos/signal.c libos/pager.c
LIBOS_HOST_OBJ := $(LIBOS_HOST_SRC:%.c=$(BUILD)/host/%.o)
HCFLAGS  += -Ilibos/include
HOST_SRC += $(LIBOS_HOST_SRC)
HOST_OBJ += $(LIBOS_HOST_OBJ)
$(BUILD)/tests/host/host-tests: $(LIBOS_HOST_OBJ)
