# tools/: the host CLI, build/pvhboot. Every tools/*.c belongs to it; the
# subcommands are listed in tools/pvhboot.c. The loader's own sources come
# from an archive of their host build, so only what the CLI calls is linked.
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(TOOL_SRCS))
TOOL_LIBS ?=

# $$(HOST_OBJS): complete only once every build.mk has been read (see
# .SECONDEXPANSION in the top Makefile).
$(BUILD)/libpvhboot-host.a: $$(HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

# CLI_DECODER_LIBS: the Debian package links the system's shared zlib, zstd
# and xz libraries instead of the static copies the loader must embed.
CLI_DECODER_LIBS ?= $(DECODER_LIBS)
$(BUILD)/pvhboot: $(TOOL_OBJS) $(BUILD)/libpvhboot-host.a $(DECODER_LIBS)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $(TOOL_OBJS) $(BUILD)/libpvhboot-host.a $(CLI_DECODER_LIBS) $(TOOL_LIBS)

# test_elf_libelf compares elf_parse() with elfutils' libelf.
TEST_elf_libelf_LIBS := -lelf

# The install commands' host unit tests build those tools/ files in.
TEST_efivars_store_EXTRA := tools/efivars_store.c tools/bootentry.c tools/efivars.c \
	tools/readfile.c tools/atomic.c
TEST_grubenv_EXTRA := tools/grubenv.c
