# config/: the lead's part — loader options, menu discovery, the menu UI and
# the boot flow. The parsers are listed in config/build.mk.
CONFIG_LEAD_COMMON := config/options.c config/discover.c config/generate.c
CONFIG_LEAD_FREESTANDING := config/menu_ui.c config/boot.c

PVH_SRCS  += $(CONFIG_LEAD_COMMON) $(CONFIG_LEAD_FREESTANDING)
EFI_SRCS  += $(CONFIG_LEAD_COMMON) $(CONFIG_LEAD_FREESTANDING)
HOST_SRCS += $(CONFIG_LEAD_COMMON)
