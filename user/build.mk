# User programs (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/user/hello.elf,user/hello/main.c))
USER_IMAGES += $(BUILD)/user/hello.elf
