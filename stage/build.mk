# stage/: the PVH entry (32 -> 64 bit) and the handoff trampoline.
STAGE_SRCS := stage/pvh_entry.S stage/pvh_main.c stage/handoff.c stage/trampoline.S \
	stage/pvh_boot.c

PVH_SRCS += $(STAGE_SRCS) core/acpi.c

$(BUILD)/pvhboot.elf: $(PVH_OBJS) stage/pvh.ld $(DECODER_LIBS)
	$(LD) -nostdlib -static -z max-page-size=4096 --gc-sections -T stage/pvh.ld \
		-o $@ $(PVH_OBJS) --start-group $(DECODER_LIBS) --end-group
