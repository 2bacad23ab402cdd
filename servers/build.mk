# The ring-3 servers (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/servers/proc.elf,$(wildcard servers/proc/*.c)))
USER_IMAGES += $(BUILD)/servers/proc.elf
