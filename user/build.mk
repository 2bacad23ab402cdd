# User programs (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/user/hello.elf,user/hello/main.c))
USER_IMAGES += $(BUILD)/user/hello.elf

# libostest: libos checking itself in QEMU, with the system suites' harness.
$(USER_OBJ)/user/libostest/%.o: UCFLAGS += -fno-toplevel-reorder   # tests run in the order written
$(eval $(call user-program,$(BUILD)/user/libostest.elf,$(wildcard user/libostest/*.c) tests/system/lib/utest.c))
USER_IMAGES += $(BUILD)/user/libostest.elf
