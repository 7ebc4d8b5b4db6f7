# efi/: pvhboot as an x86_64 EFI application, built with Debian's gnu-efi.
#
# gnu-efi's recipe: compile -fpic, link a shared object at address 0 with
# its linker script and crt0, then objcopy the sections into a PE32+ image.
# The firmware loads the PE anywhere; crt0 then applies the ELF dynamic
# relocations itself (_relocate), so the image must hold only relocations
# that routine understands. check-so.sh enforces that after every link,
# together with two other ways the scheme fails silently: sections the PE
# would leave out, and library constructors nothing would run.
EFI_PLATFORM_SRCS := efi/main.c efi/console.c efi/utf8.c efi/status.c \
	efi/memmap.c efi/getmap.c efi/acpi.c efi/disks.c efi/options.c \
	efi/loadopts.c efi/file.c efi/pages.c efi/reloc.S efi/blockio.c \
	efi/exit.c efi/platform.c efi/vars.c efi/bli.c efi/devpath.c efi/gop.c \
	efi/bda.c efi/image.c efi/initrd_lf2.c efi/secureboot.c efi/tcg2.c efi/rename.c

# The handoff is the PVH platform's own: one trampoline for both.
EFI_SRCS += $(EFI_PLATFORM_SRCS) stage/handoff.c stage/trampoline.S

# Data stays in one section per object (-fno-data-sections): that is what
# the image layout was first built and checked with; code keeps
# -ffunction-sections for --gc-sections.
$(BUILD)/efi/%.o: EFI_CFLAGS += -fno-data-sections

GNUEFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
# Our own layout: gnu-efi's, with .bss a real section (see the script).
EFI_LDS := efi/efi.lds
GNUEFI_LIBEFI := /usr/lib/libefi.a
GNUEFI_LIBGNUEFI := /usr/lib/libgnuefi.a

# libefi's init.o, which InitializeLib pulls in, also defines memcpy and
# memset (for calls GCC emits on its own); core/string.c defines the
# loader's. A copy of libefi with those two made weak lets core's win and
# keeps every other duplicate an error, which --allow-multiple-definition
# would silently hide.
$(BUILD)/efi/libefi-weak.a: $(GNUEFI_LIBEFI)
	@mkdir -p $(@D)
	$(OBJCOPY) --weaken-symbol=memcpy --weaken-symbol=memset $< $@

# Link flags (gnu-efi's, plus a few), explained:
#  -shared -Bsymbolic  position-independent image whose references to its own
#                      symbols resolve inside it: only RELATIVE relocations
#  -z nocombreloc      no combined .rela.dyn: gnu-efi's script collects the
#                      separate .rela.* sections into its .rela
#  -z nodynamic-undefined-weak  resolve weak references nobody defines to 0
#                      at link time (libzstd tests its optional trace hooks
#                      so); otherwise each becomes a GLOB_DAT relocation
#  --no-undefined      a missing function is a link error, not a dynamic
#                      relocation that would fail at boot (in code that
#                      --gc-sections keeps)
#  --fatal-warnings    e.g. an object without .note.GNU-stack
#  --gc-sections       with -ffunction-sections, drop what nothing reaches;
#                      the version script keeps every symbol local, since an
#                      exported (dynamic) symbol would be a GC root
#  --start-group       the decoders and libefi refer to core's memcpy and
#                      friends, and core refers to the decoders
#  -Map                for check-so.sh: discarded input sections
#
# EFI_OBJS is only complete once every fragment has been read: the top
# Makefile's .SECONDEXPANSION expands $$(EFI_OBJS) when it is.
$(BUILD)/efi/pvhboot.so: $$(EFI_OBJS) $(GNUEFI_CRT0) $(EFI_LDS) $(BUILD)/efi/libefi-weak.a \
		$(GNUEFI_LIBGNUEFI) $(DECODER_LIBS) efi/efi.ver efi/check-so.sh
	$(LD) -nostdlib -shared -Bsymbolic -z nocombreloc -z nodynamic-undefined-weak \
		--no-undefined --warn-common --fatal-warnings --gc-sections \
		--version-script=efi/efi.ver -Map=$@.map -T $(EFI_LDS) -o $@ \
		$(GNUEFI_CRT0) $(EFI_OBJS) --start-group $(DECODER_LIBS) \
		$(BUILD)/efi/libefi-weak.a $(GNUEFI_LIBGNUEFI) --end-group
	efi/check-so.sh $@ $@.map

# Only the sections efi/efi.lds lays out for the PE image: .rodata lives
# inside .data, .bss has no bytes in the file, .reloc makes the PE
# relocatable (efi/reloc.S), and the dynamic tables feed _relocate; .sbat
# for shim and .pvhcfg for `pvhboot enroll` (efi/secureboot.c).
$(BUILD)/pvhboot.efi: $(BUILD)/efi/pvhboot.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .bss -j .dynamic -j .dynsym -j .rel -j .rela \
		-j '.rel.*' -j '.rela.*' -j .reloc -j .sbat -j .pvhcfg --target efi-app-x86_64 $< $@

# Host unit test of the files that make no firmware calls (gnu-efi's headers
# supply only the types), under ASan/UBSan with the host logging it needs.
# tests/run.sh runs every $(BUILD)/unit/test_*.
EFI_HOST_TESTED := efi/utf8.c efi/options.c efi/memmap.c efi/status.c core/lzma_crc64.c
EFI_TEST_SAN_OBJS := $(patsubst %,$(BUILD)/san/core/%.o,host_log log termsafe utf8 words strerror format)
$(BUILD)/unit/test_efi: efi/test_efi.c $(EFI_HOST_TESTED) $(EFI_TEST_SAN_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes \
		-I/usr/include/efi -I/usr/include/efi/x86_64 -o $@ \
		efi/test_efi.c $(EFI_HOST_TESTED) $(EFI_TEST_SAN_OBJS)
check: $(BUILD)/unit/test_efi
