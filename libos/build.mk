# libos: the library every user program links.  Included by the top-level
# Makefile after its own variables and rules (it adds to HCFLAGS,
# HOST_SRC/HOST_OBJ and the host-tests link).  How a program is linked
# (user-program, UCFLAGS) is libos/user.mk, which programs out of the tree
# share through libos/program.mk.
#
#   USER_IMAGES    every program built; `all` depends on it.

BUILD ?= build
RELAY := .
USER_OBJ := $(BUILD)/user-obj
LIBOS_CRT0 := $(BUILD)/libos/crt0.o
LIBOS_LIB  := $(BUILD)/libos/libos.a
include libos/user.mk

LIBOS_C    := $(wildcard libos/*.c)
LIBOS_OBJ  := $(LIBOS_C:libos/%.c=$(BUILD)/libos/%.o) \
              $(filter-out $(BUILD)/libos/crt0.o,$(patsubst libos/%.asm,$(BUILD)/libos/%.o,$(wildcard libos/*.asm)))

$(BUILD)/libos/%.o: libos/%.c
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/libos/%.o: libos/%.asm
	@mkdir -p $(@D)
	nasm $(UNASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(LIBOS_LIB): $(LIBOS_OBJ)
	@rm -f $@
	ar rcs $@ $^

USER_IMAGES ?=

# Host unit tests: libos' pure parts, built with the host test flags.
LIBOS_HOST_SRC := libos/format.c libos/elf.c libos/frame_pool.c libos/startup.c libos/insn.c \
                  libos/fault.c libos/signal.c libos/pager.c libos/process_format.c
LIBOS_HOST_OBJ := $(LIBOS_HOST_SRC:%.c=$(BUILD)/host/%.o)
HCFLAGS  += -Ilibos/include
HOST_SRC += $(LIBOS_HOST_SRC)
HOST_OBJ += $(LIBOS_HOST_OBJ)
$(BUILD)/tests/host/host-tests: $(LIBOS_HOST_OBJ)
