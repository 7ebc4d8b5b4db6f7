# pvhboot top-level build.
#
#   make          build/pvhboot.elf (PVH guest), build/pvhboot.efi (EFI app),
#                 build/pvhboot (host CLI), and the probe kernels
#   make run      boot the loader in QEMU with a demo (installs packages)
#   make check    host unit tests under ASan/UBSan, then QEMU end-to-end cases
#   make fuzz     run every libFuzzer target for FUZZ_SECONDS each
#   make fuzz-campaign  10 million runs (or one CPU-hour) per target
#   make bench    measured comparisons, reported as ratios
#   make deb      the Debian package, build/deb/pvhboot_*.deb (tools/make-deb.sh)
#
# Each directory lists its sources in a build.mk fragment; this file holds
# the flags and the rules that tie them together.

BUILD      ?= build
CC         ?= gcc
HOSTCC     ?= gcc
LD         ?= ld
OBJCOPY    ?= objcopy
MULTIARCH  := $(shell $(HOSTCC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
LIBDIR     := /usr/lib/$(MULTIARCH)

# Image budget for pvhboot.elf and pvhboot.efi (issue: whole project, all
# decoders included).
SIZE_BUDGET := 524288

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla

# The loader's own code is built for size: the images carry every decoder,
# filesystem and format within 512 KiB, and what is hot in it (copies,
# checksums) is written with string instructions or tables that -Os keeps.
# Debian's static decoders come as they are built.
LOADER_OPT ?= -Os

# Flags shared by every freestanding build of the loader:
#  -ffreestanding        no hosted libc; memcpy and friends come from core/
#  -mno-red-zone         interrupts and the hypervisor may write below %rsp
#  -fno-stack-protector  our own code has no canary; the Debian static
#                        decoders do, and stage/ points %fs at a canary block
#  -fno-asynchronous-unwind-tables  no .eh_frame in a loader image
#  -mgeneral-regs-only   our code never touches SSE state (the decoders may;
#                        the stage enables SSE for them)
FREESTANDING := -std=c11 $(LOADER_OPT) -g $(WARN) -ffreestanding -fno-builtin-malloc \
	-mno-red-zone -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mgeneral-regs-only -fno-common \
	-ffunction-sections -fdata-sections -I. -Iinclude

# The PVH loader is linked at a fixed address below 2 GiB, so the small code
# model without PIC is exact and cheapest.
PVH_CFLAGS := $(FREESTANDING) -fno-pic -fno-pie -mcmodel=small -DPVHBOOT_PVH
# gnu-efi applications are relocated by the firmware: position independent,
# UCS-2 wide chars, and the MS ABI only at the firmware boundary (uefi_call_wrapper).
EFI_CFLAGS := $(FREESTANDING) -fpic -fshort-wchar -maccumulate-outgoing-args \
	-DPVHBOOT_EFI -DGNU_EFI_USE_MS_ABI -I/usr/include/efi -I/usr/include/efi/x86_64

# Host builds (CLI, unit tests): the same sources against the C library.
HOST_CFLAGS := -std=c11 -O1 -g $(WARN) -D_GNU_SOURCE -DPVHBOOT_HOSTED -I. -Iinclude
# Extra flags for the CLI's build only (debian/rules passes dpkg-buildflags).
HOST_EXTRA_CFLAGS ?=
HOST_LDFLAGS ?=
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

PVH_SRCS  :=
EFI_SRCS  :=
HOST_SRCS :=
UNIT_TESTS :=
PROBES    :=
FUZZERS   :=

all: build-all

# Fragments add to the source lists as they are read; link rules name
# their objects as $$(..._OBJS) so the lists are complete when used.
.SECONDEXPANSION:

include core/build.mk
include stage/build.mk
include loaders/build.mk
include fs/build.mk
include virtio/build.mk
include xen/build.mk
include boot/build.mk
include config/build.mk
include efi/build.mk
include tools/build.mk
include tests/build.mk

PVH_OBJS  := $(patsubst %,$(BUILD)/pvh/%.o,$(basename $(PVH_SRCS)))
EFI_OBJS  := $(patsubst %,$(BUILD)/efi/%.o,$(basename $(EFI_SRCS)))
HOST_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(basename $(HOST_SRCS)))
SAN_OBJS  := $(patsubst %,$(BUILD)/san/%.o,$(basename $(HOST_SRCS)))

$(BUILD)/pvh/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(PVH_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/pvh/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(PVH_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@
$(BUILD)/efi/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/efi/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_EXTRA_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

build-all: $(BUILD)/pvhboot.elf $(BUILD)/pvhboot.efi $(BUILD)/pvhboot $(PROBES)
	@tools/size-report.sh $(SIZE_BUDGET) $(BUILD)/pvhboot.elf $(BUILD)/pvhboot.efi

deps:
	@tools/install-deps.sh

run: deps build-all
	tests/e2e/demo.sh

check: deps build-all $(UNIT_TESTS)
	tests/run.sh

fuzz: $(FUZZERS)
	tests/fuzz/run.sh $(FUZZ_SECONDS)

# The long campaign: 10 million runs (or an hour) per target.
fuzz-campaign: $(FUZZERS)
	tests/fuzz/campaign.sh

# Each benchmark reports on its own; one failing does not skip the others.
BENCHES := tests/bench/run.sh tests/bench/xen.sh tests/bench/efi.sh
bench: deps build-all
	@failed=0; for b in $(BENCHES); do $$b || failed=1; done; exit $$failed

deb:
	tools/make-deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)

.PHONY: all build-all deps run check fuzz fuzz-campaign bench deb clean
.DELETE_ON_ERROR:

# build/deb holds make deb's copy of the tree, with its own build output.
-include $(shell find $(BUILD) -path $(BUILD)/deb -prune -o -name '*.d' -type f -print 2>/dev/null)
