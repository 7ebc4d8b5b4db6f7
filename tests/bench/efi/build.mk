# The EFI benchmark's two helper applications (tests/bench/efi.sh), built
# with exactly the loader's gnu-efi recipe: this fragment is read after the
# top-level Makefile, whose EFI_CFLAGS, object rule, linker script, crt0
# and checks it reuses:
#
#   make -f Makefile -f tests/bench/efi/build.mk bench-efi-apps
#
# (the top-level Makefile does not include it: only the benchmark needs
# these images). They link no loader code and no libefi: only crt0, its
# self-relocator (libgnuefi) and the empty .reloc section EDK2 wants.
BENCH_EFI_DIR := $(BUILD)/bench-efi
BENCH_EFI_APPS := $(BENCH_EFI_DIR)/blockio_reader.efi $(BENCH_EFI_DIR)/bli_probe.efi
BENCH_EFI_COMMON := $(BUILD)/efi/tests/bench/efi/bench_efi.o $(BUILD)/efi/efi/reloc.o

$(BENCH_EFI_DIR)/%.so: $(BUILD)/efi/tests/bench/efi/%.o $(BENCH_EFI_COMMON) $(GNUEFI_CRT0) \
		$(EFI_LDS) efi/efi.ver efi/check-so.sh tests/bench/efi/build.mk
	@mkdir -p $(@D)
	$(LD) -nostdlib -shared -Bsymbolic -z nocombreloc -z nodynamic-undefined-weak \
		--no-undefined --warn-common --fatal-warnings --gc-sections \
		--version-script=efi/efi.ver -Map=$@.map -T $(EFI_LDS) -o $@ \
		$(GNUEFI_CRT0) $< $(BENCH_EFI_COMMON) $(GNUEFI_LIBGNUEFI)
	efi/check-so.sh $@ $@.map

$(BENCH_EFI_DIR)/%.efi: $(BENCH_EFI_DIR)/%.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .bss -j .dynamic -j .dynsym -j .rel -j .rela \
		-j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 $< $@

bench-efi-apps: $(BENCH_EFI_APPS)
.PHONY: bench-efi-apps
.PRECIOUS: $(BENCH_EFI_DIR)/%.so $(BUILD)/efi/tests/bench/efi/%.o
