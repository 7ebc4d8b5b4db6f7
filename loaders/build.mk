# loaders/: image parsers (pure, also on the host) and the format loaders
# that turn a parsed image into a boot plan.
PARSER_SRCS := loaders/elf.c loaders/multiboot1_header.c loaders/multiboot2_header.c \
	loaders/bzimage.c loaders/pe.c loaders/detect.c
LOADER_SRCS := loaders/formats.c loaders/plan.c loaders/pvh.c loaders/multiboot1.c \
	loaders/multiboot2.c loaders/multiboot2_elfsyms.c loaders/linux.c loaders/uki.c \
	loaders/kernel.c

PVH_SRCS  += $(PARSER_SRCS) $(LOADER_SRCS)
EFI_SRCS  += $(PARSER_SRCS) $(LOADER_SRCS)
HOST_SRCS += $(PARSER_SRCS) $(LOADER_SRCS)
