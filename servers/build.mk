# The ring-3 servers (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/servers/proc.elf,$(wildcard servers/proc/*.c)))
USER_IMAGES += $(BUILD)/servers/proc.elf

# The default pager (docs/DEFAULT_PAGER.md); its pure bookkeeping is host-tested.
PAGER_SRC := $(wildcard servers/pager/*.c)
$(eval $(call user-program,$(BUILD)/servers/pager.elf,$(PAGER_SRC)))
USER_IMAGES += $(BUILD)/servers/pager.elf
HOST_SRC += servers/pager/regions.c
HOST_OBJ += $(BUILD)/host/servers/pager/regions.o
$(BUILD)/tests/host/host-tests: $(BUILD)/host/servers/pager/regions.o

# proc's driver table and restart backoff are pure, and host-tested.
HOST_SRC += servers/proc/drivertable.c
HOST_OBJ += $(BUILD)/host/servers/proc/drivertable.o
$(BUILD)/tests/host/host-tests: $(BUILD)/host/servers/proc/drivertable.o
