# config/: the config file parsers (pure: text in, menu entries out), built
# for the loader and for the host (CLI, unit tests, fuzzers). The
# boot flow that uses them (discovery, menu) is in boot/.
CONFIG_PARSER_SRCS := config/model.c config/text.c config/budget.c config/vercmp.c config/native.c \
	config/bls.c config/extlinux.c config/grubcfg.c config/grub_lexer.c \
	config/grub_commands.c config/grub_test.c config/grubenv.c

PVH_SRCS  += $(CONFIG_PARSER_SRCS)
EFI_SRCS  += $(CONFIG_PARSER_SRCS)
HOST_SRCS += $(CONFIG_PARSER_SRCS)

# issue 11: GRUB's transparent module decompression, called by config/boot.c.
CONFIG_UNZIP_SRCS := config/module_unzip.c
PVH_SRCS  += $(CONFIG_UNZIP_SRCS)
EFI_SRCS  += $(CONFIG_UNZIP_SRCS)
HOST_SRCS += $(CONFIG_UNZIP_SRCS)
