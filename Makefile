# Relay: one top-level build.  Everything lands in build/; nothing generated
# is committed.  `make help` lists the targets.

BUILD   := build
# Build on every CPU unless told otherwise (make -j1 ...).
ifeq ($(filter -j% --jobs%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
GEN     := $(BUILD)/gen
CC      := gcc
LD      := ld
NASM    := nasm
QEMU    := qemu-system-i386

# Ring 0 and, later, ring 3: 32-bit, freestanding, no FPU/SSE code in the kernel.
KCFLAGS := -m32 -std=gnu11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -mno-sse -mno-mmx -mno-80387 -O2 -g -Wall -Wextra -Werror \
           -Imicrokernel -Iipc -MMD -MP
NASMFLAGS := -f elf32 -g -F dwarf -Werror -I$(GEN)/ -Imicrokernel/arch/x86/
LDFLAGS := -m elf_i386 -z noexecstack -T microkernel/arch/x86/linker.ld --fatal-warnings

# Host unit tests: the pure kernel sources, compiled natively with sanitizers.
HCFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DHOST_TEST \
           -fsanitize=address,undefined -fno-sanitize-recover=undefined \
           -Imicrokernel -Iipc -MMD -MP

.PHONY: all iso kit run debug test bench fuzz clean help deps
all: $(BUILD)/relay.elf $(BUILD)/relay.iso $(BUILD)/tests/kselftest.elf \
     $(BUILD)/tests/kselftest.iso $(BUILD)/tests/relay-check.elf $(BUILD)/tests/host/host-tests

help:
	@echo 'make          build the kernel, the ISO, the test images and host tests'
	@echo 'make run      boot build/relay.iso in QEMU, serial console here (Ctrl-A X quits)'
	@echo 'make run PROGRAMS="build/user/hello.elf a b,..."'
	@echo '              boot the kernel, proc, the drivers and those programs; exit 0 iff all exit 0'
	@echo 'make debug    the same, stopped at the first instruction, with gdb attached'
	@echo 'make test     host unit tests and every QEMU suite; ends with N passed, N failed'
	@echo 'make bench    benchmarks under -icount shift=0: guest instructions per operation'
	@echo 'make fuzz     10^7 fuzzed system calls (FUZZ_SEED, FUZZ_CALLS, FUZZ_TRACE_FROM to replay)'
	@echo 'make iso      build/relay.iso only'
	@echo 'make kit      the kernel, proc, the drivers and libos: what a program out of the tree needs'
	@echo 'make clean    remove build/'

# ---------------------------------------------------------------- tools
# The first thing make does.  tools/deps.sh installs what is missing (as
# root; otherwise it says what to run), then what the toolchain itself says
# -- where the 32-bit libgcc is -- goes into $(TOOLCHAIN).  Make reads that
# file as a makefile, so when it is missing or older than deps.sh make makes
# it first and then starts over reading it: no rule runs and no tool is
# asked anything before the tools are there.  `make clean` and `make help`
# need no tools.
TOOLCHAIN := $(BUILD)/toolchain.mk
ifneq ($(filter-out clean help,$(or $(MAKECMDGOALS),all)),)
include $(TOOLCHAIN)
endif
$(TOOLCHAIN): tools/deps.sh
	@bash tools/deps.sh
	@mkdir -p $(@D)
	@printf 'LIBGCC := %s\n' "$$($(CC) -m32 -print-libgcc-file-name)" > $@.tmp && mv $@.tmp $@
deps: $(TOOLCHAIN)

# ---------------------------------------------------------------- generated
$(GEN)/errcode.inc: microkernel/arch/x86/errcode.inc.in microkernel/arch/x86/vectors.def
	@mkdir -p $(@D)
	$(CC) -E -P -x c $< -o $@

$(GEN)/asm_offsets.inc: microkernel/arch/x86/asm_offsets.c microkernel/arch/x86/*.h
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -S $< -o $(GEN)/asm_offsets.s
	sed -n 's/.*->\([A-Za-z0-9_]*\) \(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' \
	    $(GEN)/asm_offsets.s > $@

# ---------------------------------------------------------------- kernel
KERNEL_C   := $(filter-out %/asm_offsets.c, \
              $(wildcard microkernel/*.c microkernel/arch/x86/*.c))
KERNEL_ASM := $(wildcard microkernel/arch/x86/*.asm)
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/%.o)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.o: %.asm $(GEN)/asm_offsets.inc $(GEN)/errcode.inc
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(GEN)/ksyms-empty.o: tools/ksyms.sh
	@mkdir -p $(@D)
	bash tools/ksyms.sh > $(GEN)/ksyms-empty.asm
	$(NASM) -f elf32 $(GEN)/ksyms-empty.asm -o $@

# The linker script's KERNBASE and KERNEL_PHYS, from memlayout.h (by way of asm_offsets.inc).
LAYOUT_SYMS = $$(awk '$$2 ~ /^(KERNBASE|KERNEL_PHYS)$$/ { printf "--defsym=%s=%s ", $$2, $$3 }' $(GEN)/asm_offsets.inc)

# kernel-image OUTPUT, OBJECTS: link twice, the second time with the symbol
# table of the first, and check that no function moved.
define kernel-image
$(1): $(2) $(GEN)/ksyms-empty.o microkernel/arch/x86/linker.ld tools/ksyms.sh $(GEN)/asm_offsets.inc
	@mkdir -p $$(@D)
	$(LD) $(LDFLAGS) $$(LAYOUT_SYMS) -o $$@.pass1 $(2) $(GEN)/ksyms-empty.o $(LIBGCC)
	bash tools/ksyms.sh $$@.pass1 > $$@.ksyms.asm
	$(NASM) -f elf32 $$@.ksyms.asm -o $$@.ksyms.o
	$(LD) $(LDFLAGS) $$(LAYOUT_SYMS) -o $$@ $(2) $$@.ksyms.o $(LIBGCC)
	@nm -n $$@.pass1 | grep ' [tT] ' > $$@.syms1; nm -n $$@ | grep ' [tT] ' > $$@.syms2
	@cmp -s $$@.syms1 $$@.syms2 || { echo "$$@: functions moved between links"; exit 1; }
endef

$(eval $(call kernel-image,$(BUILD)/relay.elf,$(KERNEL_OBJ)))

# The test kernel: the same sources with -DRELAY_CHECK, which adds the
# invariant checker (kernel_check, microkernel/check.c) and the longest-path
# meter on every entry and exit.  The hostile suite and the fuzzer run on it.
KCHECK_OBJ := $(KERNEL_C:%.c=$(BUILD)/check/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/check/%.o)
$(BUILD)/check/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -DRELAY_CHECK -c $< -o $@
$(BUILD)/check/%.o: %.asm $(GEN)/asm_offsets.inc $(GEN)/errcode.inc
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) -DRELAY_CHECK -MD $(@:.o=.d) $< -o $@
$(eval $(call kernel-image,$(BUILD)/tests/relay-check.elf,$(KCHECK_OBJ)))

# ---------------------------------------------------------------- ISO
# What `make run` boots: the kernel, the root task, the drivers and servers
# it starts first -- the default pager among them (docs/DRIVERS.md) -- and
# init, process 1, the one program proc starts itself (only=init): init
# keeps the shell running (`init sh`), and the other programs are files in
# the boot file system, which the shell runs by name (docs/SHELL.md).  The
# suites that read the kernel's fault notices get the supervisor
# capability when they run (supervisor=NAME).  GRUB passes the kernel at
# most BOOT_MODULES_MAX modules (microkernel/boot.h).
RUN_MODULES = $(BUILD)/servers/proc.elf 'proc only=init supervisor=faulttest supervisor=pagertest' \
              $(BUILD)/servers/drivers/serial.elf 'serial' \
              $(BUILD)/servers/drivers/keyboard.elf 'keyboard' \
              $(BUILD)/servers/drivers/disk.elf 'disk' \
              $(BUILD)/servers/bootfs.elf 'bootfs' \
              $(BUILD)/servers/pager.elf 'pager' \
              $(BUILD)/user/init.elf 'init sh' \
              $(BUILD)/user/sh.elf 'sh' \
              $(BUILD)/user/hello.elf 'hello' \
              $(BUILD)/user/divzero.elf 'divzero' \
              $(BUILD)/user/badptr.elf 'badptr' \
              $(BUILD)/user/breakpoint.elf 'breakpoint' \
              $(BUILD)/user/singlestep.elf 'singlestep' \
              $(BUILD)/user/loop.elf 'loop' \
              $(BUILD)/user/true.elf 'true' \
              $(BUILD)/user/pager-first.elf 'pager-first' \
              $(BUILD)/user/pager-pattern.elf 'pager-pattern' \
              $(BUILD)/user/pager-evict.elf 'pager-evict' \
              $(BUILD)/tests/ipctest.elf 'ipctest' \
              $(BUILD)/tests/faulttest.elf 'faulttest' \
              $(BUILD)/tests/pagertest.elf 'pagertest'
BOOT_MODULES_MAX := $(shell awk '$$2 == "BOOT_MODULES_MAX" { print $$3 }' microkernel/boot.h)
# ... in RUN_MEMORY MiB of RAM: the default pager takes half of what proc
# has, and every process the shell starts gets frames and kernel memory
# of its own (docs/PROCESS.md) ...
RUN_MEMORY := 256
# ... and the disk it gives the disk driver: 4 MiB of zeros, made once and kept.
RUN_DISK := $(BUILD)/run-disk.img
$(RUN_DISK):
	@mkdir -p $(@D)
	truncate -s 4M $@
all: $(RUN_DISK)
iso: $(BUILD)/relay.iso
$(BUILD)/relay.iso: $(BUILD)/relay.elf $(filter %.elf,$(RUN_MODULES)) tools/mkiso Makefile
	@[ $(words $(filter %.elf,$(RUN_MODULES))) -le $(BOOT_MODULES_MAX) ] || \
	    { echo "relay.iso: $(words $(filter %.elf,$(RUN_MODULES))) modules; the kernel takes $(BOOT_MODULES_MAX)"; exit 1; }
	tools/mkiso $@ $< '' $(RUN_MODULES)

# ---------------------------------------------------------------- tests
KTEST_C   := $(wildcard tests/system/kernel/*.c)
KTEST_OBJ := $(KTEST_C:%.c=$(BUILD)/%.o)
$(KTEST_OBJ): KCFLAGS += -fno-toplevel-reorder   # tests run in the order they are written
$(eval $(call kernel-image,$(BUILD)/tests/kselftest.elf,$(KERNEL_OBJ) $(KTEST_OBJ)))

# A module with known contents, for the boot tests: the numbers 1..3000.
TEST_MODULE := $(BUILD)/tests/module.txt
$(TEST_MODULE):
	@mkdir -p $(@D)
	seq 1 3000 > $@
$(BUILD)/tests/kselftest.iso: $(BUILD)/tests/kselftest.elf $(TEST_MODULE) tools/mkiso
	tools/mkiso $@ $< '' $(TEST_MODULE) "bytes=$$(wc -c < $(TEST_MODULE))"

HOST_SRC := $(wildcard tests/host/*.c) microkernel/arch/x86/desc.c microkernel/arch/x86/vector.c \
            microkernel/multiboot.c microkernel/bootmem.c microkernel/handle.c microkernel/kmem.c microkernel/runqueue.c \
            microkernel/endpoint.c microkernel/faultregs.c microkernel/frametable.c
HOST_OBJ := $(HOST_SRC:%.c=$(BUILD)/host/%.o)
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) -c $< -o $@
$(BUILD)/tests/host/host-tests: $(HOST_OBJ)
	@mkdir -p $(@D)
	$(CC) $(HCFLAGS) $^ -lcriterion -o $@

# User space: libos, the servers, user programs, and the user-level suites.
include libos/build.mk servers/build.mk user/build.mk tests/system/build.mk
all: $(USER_IMAGES) $(TEST_IMAGES)

test: all
	@tools/test-all tests/suites

# `make -s print-VAR` prints VAR=its value, for tools that build as the build does (tools/doc-code-check).
print-%: ; @printf '%s=%s\n' '$*' '$($*)'

# Kernel benchmarks run in the self-test kernel; system-call and IPC ones in
# user/bench under the real kernel and root task; the longest non-preemptible
# paths the hostile suite provokes, on the test kernel; disk_read_64k in the
# disk suite's bench role, with the disk driver and an image; fork, spawn
# and exec in user/bench/process.c under proc and the default pager;
# shell_roundtrip in the shell itself (`sh bench`, docs/SHELL.md), which
# runs `true` through proc, paged by the default pager.  All under
# -icount shift=0.
bench: $(BUILD)/servers/drivers/disk.elf $(BUILD)/tests/disktest.elf $(BUILD)/tests/disk/pattern-tool
bench: $(BUILD)/tests/kselftest.elf $(BUILD)/relay.elf $(BUILD)/servers/proc.elf $(BUILD)/user/bench.elf \
       $(BUILD)/tests/relay-check.elf $(BUILD)/tests/hostiletest.elf $(BUILD)/tests/devtest.elf \
       $(BUILD)/servers/drivers/serial.elf $(BUILD)/tests/consolebench.elf \
       $(BUILD)/servers/pager.elf $(BUILD)/user/procbench.elf
bench: $(BUILD)/servers/bootfs.elf $(BUILD)/user/sh.elf $(BUILD)/user/true.elf
	@mkdir -p $(BUILD)/bench
	@rm -f $(BUILD)/bench/raw
	@tools/qemu-test --icount --kernel $(BUILD)/tests/kselftest.elf --append bench \
	    --bench-out $(BUILD)/bench/raw kbench
	@tools/qemu-test --icount --kernel $(BUILD)/relay.elf --timeout 300 --memory 512 \
	    --initrd "$(BUILD)/servers/proc.elf halt kmem=200,$(BUILD)/user/bench.elf" \
	    --bench-out $(BUILD)/bench/raw bench
	@$(BUILD)/tests/disk/pattern-tool make $(BUILD)/bench/disk.img 1024 1
	@tools/qemu-test --icount --drive $(BUILD)/bench/disk.img --kernel $(BUILD)/relay.elf --timeout 120 \
	    --initrd "$(BUILD)/servers/proc.elf halt,$(BUILD)/servers/drivers/disk.elf,$(BUILD)/tests/disktest.elf role=bench" \
	    --bench-out $(BUILD)/bench/raw disk-bench
	@tools/qemu-test --icount --kernel $(BUILD)/relay.elf --timeout 120 \
	    --initrd "$(BUILD)/tests/devtest.elf bench,$(BUILD)/tests/devtest.elf" \
	    --bench-out $(BUILD)/bench/raw devbench
	@tools/qemu-test --icount --kernel $(BUILD)/tests/relay-check.elf --timeout 240 \
	    --initrd "$(BUILD)/servers/proc.elf halt supervisor=hostiletest.elf,$(BUILD)/tests/hostiletest.elf icount" \
	    --bench-out $(BUILD)/bench/raw longest-paths
	@tools/qemu-test --icount --kernel $(BUILD)/relay.elf --timeout 120 \
	    --initrd "$(BUILD)/servers/proc.elf halt,$(BUILD)/servers/drivers/serial.elf,$(BUILD)/tests/consolebench.elf" \
	    --bench-out $(BUILD)/bench/raw console-bench
	@tools/qemu-test --icount --kernel $(BUILD)/relay.elf --timeout 240 \
	    --initrd "$(BUILD)/servers/proc.elf halt,$(BUILD)/servers/pager.elf,$(BUILD)/user/procbench.elf" \
	    --bench-out $(BUILD)/bench/raw proc-bench
	@tools/qemu-test --icount --kernel $(BUILD)/relay.elf --timeout 120 \
	    --initrd "$(BUILD)/servers/proc.elf halt only=sh.elf,$(BUILD)/servers/drivers/serial.elf,$(BUILD)/servers/bootfs.elf,$(BUILD)/servers/pager.elf,$(BUILD)/user/sh.elf bench,$(BUILD)/user/true.elf" \
	    --bench-out $(BUILD)/bench/raw shell-bench
	@tools/bench-report $(BUILD)/bench/raw $(BUILD)/bench/bench.json
	@tools/bench-chart $(BUILD)/bench/bench.json $(BUILD)/bench/bench.svg

# The system-call fuzzer (tests/system/fuzz/): calls [0, FUZZ_CALLS) of seed
# FUZZ_SEED's sequence under -icount, so a run repeats exactly.
# FUZZ_TRACE_FROM=K prints each call from K on; FUZZ_KEEP_GOING=1 goes on
# after a failure; FUZZ_KERNEL picks the kernel.  A failure prints the make
# command that replays it.  The module's command line must fit a startup
# image's cmdline (STARTUP_NAME_MAX bytes, ipc/relay/startup.h).
FUZZ_SEED       ?= 1
FUZZ_CALLS      ?= 10000000
FUZZ_TRACE_FROM ?=
FUZZ_KEEP_GOING ?=
FUZZ_TIMEOUT    ?= 3600
FUZZ_KERNEL     ?= $(BUILD)/tests/relay-check.elf
FUZZ_MODULE = $(BUILD)/tests/fuzztest.elf s=$(FUZZ_SEED) n=$(FUZZ_CALLS)$\
    $(if $(FUZZ_TRACE_FROM), t=$(FUZZ_TRACE_FROM))$(if $(FUZZ_KEEP_GOING), k=1)
STARTUP_NAME_MAX := $(shell awk '$$2 == "STARTUP_NAME_MAX" { print $$3 }' ipc/relay/startup.h)
fuzz: $(FUZZ_KERNEL) $(BUILD)/servers/proc.elf $(BUILD)/tests/fuzztest.elf
	@m='$(FUZZ_MODULE)'; [ $${#m} -lt $(STARTUP_NAME_MAX) ] || \
	    { echo "fuzz: '$$m' does not fit STARTUP_NAME_MAX ($(STARTUP_NAME_MAX)) bytes"; exit 2; }
	@tools/qemu-test --icount --kernel $(FUZZ_KERNEL) --timeout $(FUZZ_TIMEOUT) \
	    --initrd "$(BUILD)/servers/proc.elf halt,$(FUZZ_MODULE)" fuzz

# ---------------------------------------------------------------- running
EXIT_PORT := $(shell awk '$$2 == "RELAY_EXIT_PORT" { print $$3 }' ipc/relay/exit.h)
EXIT_DEVICE := -device isa-debug-exit,iobase=$(EXIT_PORT),iosize=0x04
QEMU_RUN := $(QEMU) -m $(RUN_MEMORY) -no-reboot -display none -serial mon:stdio $(EXIT_DEVICE)
# With PROGRAMS ("PATH ARG...,PATH ARG...", one program each, comma-separated
# as QEMU's -initrd wants them): tools/boot boots the kernel, proc and those
# programs, and make exits with how they ended.
comma := ,
RUN_PROGRAMS = $(shell printf '%s\n' '$(subst $(comma),'$$'\n'',$(PROGRAMS))' | awk '{ print $$1 }')
ifeq ($(strip $(PROGRAMS)),)
run: $(BUILD)/relay.iso $(RUN_DISK)
	@echo 'Relay on the serial console below. Quit QEMU with Ctrl-A X.'
	$(QEMU_RUN) -cdrom $< -drive file=$(RUN_DISK),format=raw,if=ide,index=0 || true
else
run: $(BUILD)/relay.elf $(filter %.elf,$(RUN_MODULES)) $(RUN_PROGRAMS)
	@tools/boot '$(subst $(comma),' ',$(PROGRAMS))'
endif

# What a program built out of the tree against libos needs (libos/program.mk).
kit: $(BUILD)/relay.elf $(BUILD)/servers/proc.elf $(filter $(BUILD)/servers/drivers/%,$(RUN_MODULES)) \
     $(LIBOS_LIB) $(LIBOS_CRT0)

debug: $(BUILD)/relay.elf
	$(QEMU) -m 128 -no-reboot -display none -serial file:$(BUILD)/debug-serial.log \
	    $(EXIT_DEVICE) -kernel $< -s -S & \
	gdb -q -x tools/gdbinit; kill %1 2>/dev/null || true

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
