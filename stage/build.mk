# stage/: the PVH entry (32 -> 64 bit) and the handoff trampoline.
STAGE_SRCS := stage/pvh_entry.S stage/pvh_main.c stage/handoff.c stage/trampoline.S \
	stage/pvh_boot.c

PVH_SRCS += $(STAGE_SRCS)

# One RWX segment on purpose: the VMM loads a single range, and the loader
# runs with its own flat identity map where segment permissions mean nothing.
# The shipped image has no debug info (the budget counts bytes on disk);
# pvhboot.elf.debug keeps it for gdb and addr2line.
$(BUILD)/pvhboot.elf.debug: $$(PVH_OBJS) stage/pvh.ld $(DECODER_LIBS)
	$(LD) -nostdlib -static -z max-page-size=4096 --gc-sections --no-warn-rwx-segments \
		-T stage/pvh.ld \
		-o $@ $(PVH_OBJS) --start-group $(DECODER_LIBS) --end-group

$(BUILD)/pvhboot.elf: $(BUILD)/pvhboot.elf.debug
	$(OBJCOPY) --strip-debug --strip-unneeded $< $@
