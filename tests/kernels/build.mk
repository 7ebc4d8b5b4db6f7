# tests/kernels/: the probe kernels the end-to-end cases boot (README.md).
#
# The checkers (PROBE_CHECK_SRCS) are plain C that also builds on the host for
# tests/unit/test_probe_checks.c. In a probe they are compiled position
# independent (-fpie, every symbol hidden through hidden.h) because the Linux
# probe may be loaded at any 2 MiB boundary; the fixed-address probes use the
# same objects.

PROBE_OUT := $(BUILD)/kernels
PROBE_OBJ := $(PROBE_OUT)/obj

PROBE_CHECK_SRCS := $(addprefix tests/kernels/,report.c mem.c crc32.c cmdline.c memmap.c \
	rsdp.c segments.c pagewalk.c common.c check_pvh.c check_mb1.c check_linux.c \
	check_mb2.c)
PROBE_RUNTIME_SRCS := tests/kernels/runtime.c tests/kernels/capture32.S tests/kernels/long64.S

#  -fno-tree-loop-distribute-patterns  runtime.c's memcpy/memset must not be
#                                      turned into calls to themselves
PROBE_CFLAGS := $(FREESTANDING) -fpie -fvisibility=hidden -include tests/kernels/hidden.h \
	-fno-tree-loop-distribute-patterns
PROBE_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments --build-id=none -L tests/kernels

probe_objs = $(patsubst tests/kernels/%,$(PROBE_OBJ)/%.o,$(basename $(1)))
PROBE_BASE_OBJS := $(call probe_objs,$(PROBE_CHECK_SRCS) $(PROBE_RUNTIME_SRCS))
PROBE_PVH_OBJS := $(PROBE_BASE_OBJS) $(call probe_objs,tests/kernels/entry_fixed.S \
	tests/kernels/main_pvh.c)
PROBE_MB1_OBJS := $(PROBE_BASE_OBJS) $(call probe_objs,tests/kernels/entry_fixed.S \
	tests/kernels/main_mb1.c)
PROBE_LINUX_OBJS := $(PROBE_BASE_OBJS) $(PROBE_OBJ)/capture64.o \
	$(call probe_objs,tests/kernels/entry_linux.S tests/kernels/main_linux.c)

$(PROBE_OBJ)/%.o: tests/kernels/%.c
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -MMD -MP -c $< -o $@
$(PROBE_OBJ)/%.o: tests/kernels/%.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# Variants of one source: the note's desc size, the multiboot header form,
# the bzImage's xloadflags.
$(PROBE_OBJ)/pvh_note%.o: tests/kernels/pvh_note.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -DNOTE_DESCSZ=$* -MMD -MP -c $< -o $@
$(PROBE_OBJ)/mb1_header_elf.o: tests/kernels/mb1_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@
$(PROBE_OBJ)/mb1_header_aout.o: tests/kernels/mb1_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -DMB1_AOUT -MMD -MP -c $< -o $@
$(PROBE_OBJ)/bzimage_header64.o: tests/kernels/bzimage_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -DLINUX64 -MMD -MP -c $< -o $@
$(PROBE_OBJ)/bzimage_header32.o: tests/kernels/bzimage_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

PROBE_LD_DEPS := tests/kernels/probe-offsets.ld

# PVH: ELF64 as linked; ELF32 by converting the container (the code inside
# is the same 32-bit entry and 64-bit checker either way).
$(PROBE_OUT)/pvh-elf64-note%.elf: $(PROBE_PVH_OBJS) $(PROBE_OBJ)/pvh_note%.o \
		tests/kernels/pvh.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) -T tests/kernels/pvh.ld -o $@ $(filter %.o,$^)
$(PROBE_OUT)/pvh-elf32-note%.elf: $(PROBE_OUT)/pvh-elf64-note%.elf
	$(OBJCOPY) -O elf32-i386 $< $@

# multiboot1: QEMU and GRUB want ELF32 for the ELF form; the a.out-kludge
# form is a flat file whose first byte loads at 2 MiB.
$(PROBE_OBJ)/mb1-elf.elf64: $(PROBE_MB1_OBJS) $(PROBE_OBJ)/mb1_header_elf.o \
		tests/kernels/mb1.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_BASE=0x100000 -T tests/kernels/mb1.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/mb1-elf.elf: $(PROBE_OBJ)/mb1-elf.elf64
	$(OBJCOPY) -O elf32-i386 $< $@
$(PROBE_OBJ)/mb1-aout.elf64: $(PROBE_MB1_OBJS) $(PROBE_OBJ)/mb1_header_aout.o \
		tests/kernels/mb1.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_BASE=0x200000 -T tests/kernels/mb1.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/mb1-aout.bin: $(PROBE_OBJ)/mb1-aout.elf64
	$(OBJCOPY) -O binary $< $@

# Linux: link the protected-mode part at 0 and at 2 MiB; identical files
# mean no absolute address crept in.
$(PROBE_OBJ)/linux%.base0.elf: $(PROBE_LINUX_OBJS) $(PROBE_OBJ)/bzimage_header%.o \
		tests/kernels/linux.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_PM_BASE=0 -T tests/kernels/linux.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OBJ)/linux%.base2m.elf: $(PROBE_LINUX_OBJS) $(PROBE_OBJ)/bzimage_header%.o \
		tests/kernels/linux.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_PM_BASE=0x200000 -T tests/kernels/linux.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/linux%.bzImage: $(PROBE_OBJ)/linux%.base0.elf $(PROBE_OBJ)/linux%.base2m.elf
	$(OBJCOPY) -O binary $(PROBE_OBJ)/linux$*.base2m.elf $@.moved
	$(OBJCOPY) -O binary $< $@
	@cmp -s $@ $@.moved || { rm -f $@ $@.moved; \
		echo "$@: not position independent (differs when linked at 2 MiB)" >&2; exit 1; }
	@rm -f $@.moved

# multiboot2 (issue 11): the ELF form (ELF32, like GRUB wants) and the
# address-tag form, a flat file whose first byte loads at 2 MiB.
PROBE_MB2_OBJS := $(PROBE_BASE_OBJS) $(call probe_objs,tests/kernels/entry_fixed.S \
	tests/kernels/main_mb2.c)
$(PROBE_OBJ)/mb2_header_elf.o: tests/kernels/mb2_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@
$(PROBE_OBJ)/mb2_header_addr.o: tests/kernels/mb2_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -DMB2_ADDR -MMD -MP -c $< -o $@
$(PROBE_OBJ)/mb2-elf.elf64: $(PROBE_MB2_OBJS) $(PROBE_OBJ)/mb2_header_elf.o \
		tests/kernels/mb2.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_BASE=0x100000 -T tests/kernels/mb2.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/mb2-elf.elf: $(PROBE_OBJ)/mb2-elf.elf64
	$(OBJCOPY) -O elf32-i386 $< $@
$(PROBE_OBJ)/mb2-addr.elf64: $(PROBE_MB2_OBJS) $(PROBE_OBJ)/mb2_header_addr.o \
		tests/kernels/mb2.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_BASE=0x200000 -T tests/kernels/mb2.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/mb2-addr.bin: $(PROBE_OBJ)/mb2-addr.elf64
	$(OBJCOPY) -O binary $< $@
PROBES += $(PROBE_OUT)/mb2-elf.elf $(PROBE_OUT)/mb2-addr.bin

# The EFI form: the ELF one plus the EFI boot services and EFI amd64 entry
# tags and the 64-bit entry stub that calls ConOut with boot services alive.
PROBE_MB2_EFI_OBJS := $(PROBE_MB2_OBJS) $(PROBE_OBJ)/capture64.o \
	$(PROBE_OBJ)/entry_mb2_efi64.o
$(PROBE_OBJ)/mb2_header_efi.o: tests/kernels/mb2_header.S
	@mkdir -p $(@D)
	$(CC) $(PROBE_CFLAGS) -D__ASSEMBLY__ -DMB2_EFI -MMD -MP -c $< -o $@
$(PROBE_OBJ)/mb2-efi.elf64: $(PROBE_MB2_EFI_OBJS) $(PROBE_OBJ)/mb2_header_efi.o \
		tests/kernels/mb2.ld $(PROBE_LD_DEPS)
	$(LD) $(PROBE_LDFLAGS) --defsym=PROBE_BASE=0x100000 -T tests/kernels/mb2.ld -o $@ \
		$(filter %.o,$^)
$(PROBE_OUT)/mb2-efi.elf: $(PROBE_OBJ)/mb2-efi.elf64
	$(OBJCOPY) -O elf32-i386 $< $@
PROBES += $(PROBE_OUT)/mb2-efi.elf

PROBES += $(addprefix $(PROBE_OUT)/,pvh-elf64-note8.elf pvh-elf64-note4.elf \
	pvh-elf32-note4.elf pvh-elf32-note8.elf mb1-elf.elf mb1-aout.bin \
	linux64.bzImage linux32.bzImage)

# The unit test links the checkers built for the host.
TEST_probe_checks_EXTRA := $(PROBE_CHECK_SRCS)
$(BUILD)/unit/test_probe_checks: $(PROBE_CHECK_SRCS) $(wildcard tests/kernels/*.h)
TEST_probe_mb2_EXTRA := $(PROBE_CHECK_SRCS)
$(BUILD)/unit/test_probe_mb2: $(PROBE_CHECK_SRCS) $(wildcard tests/kernels/*.h)

.PHONY: probes
probes: $(PROBES)

# Pattern-rule products make would otherwise delete as intermediates (and
# rebuild each time); the Linux links are also handy for objdump.
.SECONDARY: $(sort $(PROBE_PVH_OBJS) $(PROBE_MB1_OBJS) $(PROBE_LINUX_OBJS) $(PROBE_MB2_OBJS) \
	$(PROBE_MB2_EFI_OBJS)) \
	$(PROBE_OBJ)/pvh_note4.o $(PROBE_OBJ)/pvh_note8.o \
	$(foreach b,64 32,$(PROBE_OBJ)/linux$(b).base0.elf $(PROBE_OBJ)/linux$(b).base2m.elf)
