# The user-level system suites: programs the root task starts inside QEMU
# (tests/suites says how each is booted).  libos/build.mk defines user-program.
UTEST_LIB := tests/system/lib/utest.c tests/system/lib/roles.c tests/system/lib/victim.c
$(USER_OBJ)/tests/%.o: UCFLAGS += -fno-toplevel-reorder   # tests run in the order written

$(eval $(call user-program,$(BUILD)/tests/ipctest.elf,$(wildcard tests/system/ipc/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/ipctest.elf

# libos checking itself against the real kernel.
$(eval $(call user-program,$(BUILD)/tests/libostest.elf,$(wildcard tests/system/libos/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/libostest.elf

# The fault suite: every exception from ring 3, as messages.
$(eval $(call user-program,$(BUILD)/tests/faulttest.elf,$(wildcard tests/system/faults/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/faulttest.elf

# The memory suite: frame ownership, shares, revoke, query, the page-table quota.
$(eval $(call user-program,$(BUILD)/tests/memtest.elf,$(wildcard tests/system/memory/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/memtest.elf

# The pager suite: libos' pager framework, user-level pagers in other tasks.
# The example pagers of user/pagers/ are built here too (docs/PAGER.md).
include user/pagers/build.mk
$(eval $(call user-program,$(BUILD)/tests/pagertest.elf,$(wildcard tests/system/pagers/*.c) user/pagers/evict/evict.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/pagertest.elf

# The default pager suite: servers/pager (all but its main.c) runs as a role.
$(eval $(call user-program,$(BUILD)/tests/defpagertest.elf,$(wildcard tests/system/defpager/*.c) $(filter-out servers/pager/main.c,$(wildcard servers/pager/*.c)) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/defpagertest.elf

# The hostile suite: what a ring-3 program might try against the kernel (docs/SECURITY.md).
$(eval $(call user-program,$(BUILD)/tests/hostiletest.elf,$(wildcard tests/system/hostile/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/hostiletest.elf

# The kernel-memory suite: factories, budgets passed down, long create/destroy runs.
$(eval $(call user-program,$(BUILD)/tests/kmemtest.elf,$(wildcard tests/system/kmem/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/kmemtest.elf

# The system-call fuzzer: seeded, reproducible, ring 3 (`make fuzz`; a short run in tests/suites).
$(eval $(call user-program,$(BUILD)/tests/fuzztest.elf,$(wildcard tests/system/fuzz/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/fuzztest.elf

# The devices suite: IRQ objects, I/O ports, device memory, map items; it
# runs as the root task (tests/suites), with a copy of itself for its roles.
$(eval $(call user-program,$(BUILD)/tests/devtest.elf,$(wildcard tests/system/devices/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/devtest.elf

# The driver suite: the driver manager's watchdog, backoff and restarts.
include tests/system/drivers/build.mk
