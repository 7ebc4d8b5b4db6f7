# loaders/: image parsers (pure, also on the host) and the format loaders
# that turn a parsed image into a boot plan.
PARSER_SRCS := loaders/elf.c loaders/multiboot1_header.c loaders/bzimage.c \
	loaders/detect.c
# multiboot2 (issue 11)
PARSER_SRCS += loaders/multiboot2_header.c
LOADER_SRCS_MB2 := loaders/multiboot2.c loaders/multiboot2_elfsyms.c
LOADER_SRCS := loaders/plan.c loaders/pvh.c loaders/multiboot1.c \
	loaders/linux.c loaders/kernel.c $(LOADER_SRCS_MB2)

PVH_SRCS  += $(PARSER_SRCS) $(LOADER_SRCS)
EFI_SRCS  += $(PARSER_SRCS) $(LOADER_SRCS)
HOST_SRCS += $(PARSER_SRCS) $(LOADER_SRCS)
