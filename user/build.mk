# User programs (libos/build.mk defines user-program).
$(eval $(call user-program,$(BUILD)/user/hello.elf,user/hello/main.c))
USER_IMAGES += $(BUILD)/user/hello.elf

$(eval $(call user-program,$(BUILD)/user/bench.elf,user/bench/main.c))
USER_IMAGES += $(BUILD)/user/bench.elf
# fork, spawn and exec through the process server, paged by the default pager.
$(eval $(call user-program,$(BUILD)/user/procbench.elf,user/bench/process.c))
USER_IMAGES += $(BUILD)/user/procbench.elf

# Faults and signals (docs/LIBOS.md): each prints PASS/FAIL and a summary line.
$(eval $(call user-program,$(BUILD)/user/divzero.elf,user/divzero/main.c))
USER_IMAGES += $(BUILD)/user/divzero.elf

$(eval $(call user-program,$(BUILD)/user/badptr.elf,user/badptr/main.c))
USER_IMAGES += $(BUILD)/user/badptr.elf

$(eval $(call user-program,$(BUILD)/user/breakpoint.elf,user/breakpoint/main.c))
USER_IMAGES += $(BUILD)/user/breakpoint.elf

$(eval $(call user-program,$(BUILD)/user/singlestep.elf,user/singlestep/main.c))
USER_IMAGES += $(BUILD)/user/singlestep.elf

# A write watchpoint: one fault_fn answers the #PF of each write and the #DB of its step (docs/PAGER.md).
$(eval $(call user-program,$(BUILD)/user/watch.elf,user/watch/main.c))
USER_IMAGES += $(BUILD)/user/watch.elf

# The shell (docs/SHELL.md), and a runaway loop to interrupt from it.
$(eval $(call user-program,$(BUILD)/user/sh.elf,user/sh/main.c))
USER_IMAGES += $(BUILD)/user/sh.elf

$(eval $(call user-program,$(BUILD)/user/loop.elf,user/loop/main.c))
USER_IMAGES += $(BUILD)/user/loop.elf
