# A program of your own, built outside the Relay tree against libos.  Its
# directory needs its sources and a Makefile of two lines:
#
#     RELAY := /path/to/relay
#     include $(RELAY)/libos/program.mk
#
#   make            builds build/NAME.elf from every .c and .asm file in the
#                   directory (NAME: the directory's name, or PROGRAM=NAME),
#                   after making Relay's kernel, proc and libos if they are
#                   out of date (in $(RELAY), as its `make kit`)
#   make run        boots Relay with proc and build/NAME.elf, ARGS="a b" as
#                   its arguments, and exits with its status (tools/boot)
#   make clean      removes build/ here
#
# docs/LIBOS.md shows one (user/out-of-tree).

ifeq ($(RELAY),)
$(error set RELAY to your Relay checkout before including libos/program.mk)
endif
RELAY := $(patsubst %/,%,$(RELAY))

PROGRAM ?= $(notdir $(CURDIR))
SOURCES ?= $(wildcard *.c *.asm)
OUT     := build
CC      := gcc
LD      := ld

USER_OBJ   := $(OUT)/obj
LIBOS_CRT0 := $(RELAY)/build/libos/crt0.o
LIBOS_LIB  := $(RELAY)/build/libos/libos.a
include $(RELAY)/libos/user.mk

.PHONY: all run clean kit
all: $(OUT)/$(PROGRAM).elf

# LIBGCC, from Relay's build, which installs the tools first (see its Makefile).
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
include $(RELAY)/build/toolchain.mk
endif
$(RELAY)/build/toolchain.mk: $(RELAY)/tools/deps.sh
	$(MAKE) -C $(RELAY) MAKEOVERRIDES= deps

kit:       # (without this make's command-line variables: RELAY=... is not Relay's)
	$(MAKE) -C $(RELAY) MAKEOVERRIDES= kit
$(LIBOS_CRT0) $(LIBOS_LIB): kit ;

$(eval $(call user-program,$(OUT)/$(PROGRAM).elf,$(SOURCES)))

run: $(OUT)/$(PROGRAM).elf
	@$(RELAY)/tools/boot "$< $(ARGS)"

clean:
	rm -rf $(OUT)

-include $(shell find $(OUT) -name '*.d' -type f 2>/dev/null)
