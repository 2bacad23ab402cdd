# The ring-3 servers (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/servers/proc.elf,$(wildcard servers/proc/*.c)))
USER_IMAGES += $(BUILD)/servers/proc.elf

# The boot file system (docs/DRIVERS.md "The boot file system").
$(eval $(call user-program,$(BUILD)/servers/bootfs.elf,$(wildcard servers/bootfs/*.c)))
USER_IMAGES += $(BUILD)/servers/bootfs.elf

# The disk driver (docs/DRIVERS.md "Disk"); its client table and IDENTIFY parsing are host-tested.
DISK_SRC := $(wildcard servers/drivers/disk/*.c)
$(eval $(call user-program,$(BUILD)/servers/drivers/disk.elf,$(DISK_SRC)))
USER_IMAGES += $(BUILD)/servers/drivers/disk.elf
DISK_HOST_SRC := servers/drivers/disk/clients.c servers/drivers/disk/identify.c
HOST_SRC += $(DISK_HOST_SRC)
HOST_OBJ += $(DISK_HOST_SRC:%.c=$(BUILD)/host/%.o)
$(BUILD)/tests/host/host-tests: $(DISK_HOST_SRC:%.c=$(BUILD)/host/%.o)

# The default pager (docs/DEFAULT_PAGER.md); its pure bookkeeping is host-tested.
PAGER_SRC := $(wildcard servers/pager/*.c)
$(eval $(call user-program,$(BUILD)/servers/pager.elf,$(PAGER_SRC)))
USER_IMAGES += $(BUILD)/servers/pager.elf
HOST_SRC += servers/pager/regions.c
HOST_OBJ += $(BUILD)/host/servers/pager/regions.o
$(BUILD)/tests/host/host-tests: $(BUILD)/host/servers/pager/regions.o

# Drivers (docs/DRIVERS.md): the console on COM1 and the PS/2 keyboard.
# Their pure parts -- the byte ring, the scancode map -- are host-tested.
$(eval $(call user-program,$(BUILD)/servers/drivers/serial.elf,$(wildcard servers/drivers/serial/*.c)))
$(eval $(call user-program,$(BUILD)/servers/drivers/keyboard.elf,$(wildcard servers/drivers/keyboard/*.c)))
USER_IMAGES += $(BUILD)/servers/drivers/serial.elf $(BUILD)/servers/drivers/keyboard.elf
DRIVERS_HOST_SRC := servers/drivers/serial/ring.c servers/drivers/keyboard/keymap.c
HOST_SRC += $(DRIVERS_HOST_SRC)
HOST_OBJ += $(DRIVERS_HOST_SRC:%.c=$(BUILD)/host/%.o)
$(BUILD)/tests/host/host-tests: $(DRIVERS_HOST_SRC:%.c=$(BUILD)/host/%.o)

# proc's driver table and restart backoff, and its process table, are pure, and host-tested.
HOST_SRC += servers/proc/drivertable.c
HOST_OBJ += $(BUILD)/host/servers/proc/drivertable.o
$(BUILD)/tests/host/host-tests: $(BUILD)/host/servers/proc/drivertable.o
HOST_SRC += servers/proc/process.c
HOST_OBJ += $(BUILD)/host/servers/proc/process.o
$(BUILD)/tests/host/host-tests: $(BUILD)/host/servers/proc/process.o
