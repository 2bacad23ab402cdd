# The example pagers (docs/PAGER.md): each starts a copy of itself as its
# client, serves its page faults, and ends with PASS/FAIL and a summary line.
# Included by tests/system/build.mk, whose suites run them.
$(eval $(call user-program,$(BUILD)/user/pager-first.elf,user/pagers/first/main.c))
$(eval $(call user-program,$(BUILD)/user/pager-pattern.elf,user/pagers/pattern/main.c))
$(eval $(call user-program,$(BUILD)/user/pager-evict.elf,user/pagers/evict/main.c user/pagers/evict/evict.c))
USER_IMAGES += $(BUILD)/user/pager-first.elf $(BUILD)/user/pager-pattern.elf $(BUILD)/user/pager-evict.elf
