# User programs (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/user/hello.elf,user/hello/main.c))
USER_IMAGES += $(BUILD)/user/hello.elf

$(eval $(call user-program,$(BUILD)/user/bench.elf,user/bench/main.c))
USER_IMAGES += $(BUILD)/user/bench.elf
