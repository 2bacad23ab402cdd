# The user-level system suites: programs the root task starts inside QEMU
# (tests/suites says how each is booted).  libos/build.mk defines user-program.
UTEST_LIB := tests/system/lib/utest.c tests/system/lib/roles.c tests/system/lib/victim.c tests/system/lib/objects.c
$(USER_OBJ)/tests/%.o: UCFLAGS += -fno-toplevel-reorder   # tests run in the order written

$(eval $(call user-program,$(BUILD)/tests/ipctest.elf,$(wildcard tests/system/ipc/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/ipctest.elf

# The disk suite (tests/system/disk/run boots it with a disk image): the
# driver and libos' block client; pattern-tool is its host half, which makes
# the image and checks what the suite wrote.
$(eval $(call user-program,$(BUILD)/tests/disktest.elf,$(filter-out %/pattern-tool.c,$(wildcard tests/system/disk/*.c)) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/disktest.elf $(BUILD)/tests/disk/pattern-tool
$(BUILD)/tests/disk/pattern-tool: tests/system/disk/pattern-tool.c tests/system/disk/pattern.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@

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

# The fast-path suite: every branch of the general path forced, and a seeded
# differential run compared with and without the fast paths (tests/system/fastpath/run).
$(eval $(call user-program,$(BUILD)/tests/fastpathtest.elf,$(wildcard tests/system/fastpath/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/fastpathtest.elf

# The devices suite: IRQ objects, I/O ports, device memory, map items; it
# runs as the root task (tests/suites), with a copy of itself for its roles.
$(eval $(call user-program,$(BUILD)/tests/devtest.elf,$(wildcard tests/system/devices/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/devtest.elf

# The console suite: the serial and keyboard drivers from a program's side.
# Its host side: what COM1 is fed and the text the guest must echo, made by
# feed.c from the pattern the guest checks against (tests/system/console/pattern.h).
$(eval $(call user-program,$(BUILD)/tests/consoletest.elf,tests/system/console/main.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/consoletest.elf
CONSOLE_FEED := $(BUILD)/tests/console-serial.bin $(BUILD)/tests/console-echo.txt
$(BUILD)/tests/console-feed: tests/system/console/feed.c tests/system/console/pattern.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@
$(BUILD)/tests/console-serial.bin: $(BUILD)/tests/console-feed
	$< serial > $@
$(BUILD)/tests/console-echo.txt: $(BUILD)/tests/console-feed
	$< echo > $@
all: $(CONSOLE_FEED)
# serial_tx_4k (make bench): 4 KiB through the console driver, flushed.
$(eval $(call user-program,$(BUILD)/tests/consolebench.elf,tests/system/console/bench.c))
TEST_IMAGES += $(BUILD)/tests/consolebench.elf

# The driver suite: the driver manager's watchdog, backoff and restarts.
include tests/system/drivers/build.mk

# The boot file system suite: servers/bootfs through libos' client.
$(eval $(call user-program,$(BUILD)/tests/fstest.elf,tests/system/bootfs/main.c tests/system/drivers/control.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/fstest.elf

# The name service suite: proc's names, from a server and a client.
$(eval $(call user-program,$(BUILD)/tests/namestest.elf,tests/system/names/main.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/namestest.elf

# The process server under attack: garbage requests, kills and waits of
# what is not the caller's, bad programs, forks into the kernel, fork bombs.
$(eval $(call user-program,$(BUILD)/tests/prochostile.elf,$(wildcard tests/system/prochostile/*.c) $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/prochostile.elf

# The process suite: fork, exec, spawn, wait, kill, zombies and orphans
# through libos' relay/process.h, against proc with the default pager.
$(eval $(call user-program,$(BUILD)/tests/proctest.elf,tests/system/process/main.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/proctest.elf

# The process server's own suite (servers/proc), spoken raw through "proc".
$(eval $(call user-program,$(BUILD)/tests/procsrvtest.elf,tests/system/procsrv/main.c $(UTEST_LIB)))
TEST_IMAGES += $(BUILD)/tests/procsrvtest.elf
# The same suite booted as init (pid 1; orphans come to it).
$(BUILD)/tests/init/init.elf: $(BUILD)/tests/procsrvtest.elf
	@mkdir -p $(@D)
	cp $< $@
TEST_IMAGES += $(BUILD)/tests/init/init.elf
