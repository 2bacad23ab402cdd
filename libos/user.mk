# How a program is built against libos: the flags and the user-program
# rule.  Included by libos/build.mk (the tree's own programs, RELAY = .)
# and by libos/program.mk (a program out of the tree, RELAY = its checkout).
#
#   $(eval $(call user-program,OUTPUT,SOURCES))
#       links OUTPUT from crt0, SOURCES (.c and .asm, compiled with UCFLAGS
#       into $(USER_OBJ)/), libos.a and libgcc, at PROGRAM_BASE.
#
# Needs RELAY, USER_OBJ, LIBOS_CRT0, LIBOS_LIB and LIBGCC.

UCFLAGS := -m32 -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -mno-sse -mno-mmx -mno-80387 -O2 -g -Wall -Wextra -Werror \
           -I$(RELAY)/libos/include -I$(RELAY)/ipc -MMD -MP
UNASMFLAGS := -f elf32 -g -F dwarf -Werror
# The link address is PROGRAM_BASE from ipc/relay/startup.h (its one source).
PROGRAM_BASE_ADDR := $(shell awk '$$2 == "PROGRAM_BASE" { sub(/u$$/, "", $$3); print $$3 }' $(RELAY)/ipc/relay/startup.h)
ULDFLAGS := -m elf_i386 -z noexecstack -T $(RELAY)/libos/user.ld --fatal-warnings \
            --defsym=PROGRAM_BASE=$(PROGRAM_BASE_ADDR)

# Programs' own objects: $(USER_OBJ)/<path of the source>.o
$(USER_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(UCFLAGS) -c $< -o $@

$(USER_OBJ)/%.o: %.asm
	@mkdir -p $(@D)
	nasm $(UNASMFLAGS) -MD $(@:.o=.d) $< -o $@

user-objects = $(patsubst %,$(USER_OBJ)/%.o,$(basename $(1)))

# user-program OUTPUT, SOURCES
define user-program
$(1): $(LIBOS_CRT0) $(call user-objects,$(2)) $(LIBOS_LIB) $(RELAY)/libos/user.ld
	@mkdir -p $$(@D)
	$(LD) $(ULDFLAGS) -o $$@ $(LIBOS_CRT0) $(call user-objects,$(2)) $(LIBOS_LIB) $(LIBGCC)
endef
