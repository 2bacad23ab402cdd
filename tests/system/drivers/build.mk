# The driver suite (tests/system/drivers/check): drvtest, the program that
# watches the driver manager through its control protocol, and the test
# drivers noack and crashy that proc starts when its command line names them.
$(eval $(call user-program,$(BUILD)/tests/drvtest.elf,$(wildcard tests/system/drivers/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/drvtest.elf
$(eval $(call user-program,$(BUILD)/tests/drivers/noack.elf,tests/system/drivers/noack/main.c))
$(eval $(call user-program,$(BUILD)/tests/drivers/crashy.elf,tests/system/drivers/crashy/main.c))
TEST_IMAGES += $(BUILD)/tests/drivers/noack.elf $(BUILD)/tests/drivers/crashy.elf
$(eval $(call user-program,$(BUILD)/tests/drivers/sharer.elf,tests/system/drivers/sharer/main.c))
TEST_IMAGES += $(BUILD)/tests/drivers/sharer.elf
# diskcopy (tests/system/drivers/diskcopy/run): a 1 MiB copy through the disk
# driver that proc kills in the middle.
$(eval $(call user-program,$(BUILD)/tests/drivers/diskcopy.elf,tests/system/drivers/diskcopy/main.c tests/system/drivers/control.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/drivers/diskcopy.elf
# consolekill (tests/suites): the console driver killed and back.
$(eval $(call user-program,$(BUILD)/tests/drivers/consolekill.elf,tests/system/drivers/consolekill/main.c tests/system/drivers/control.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/drivers/consolekill.elf
