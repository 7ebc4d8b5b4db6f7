# boot/: the boot flow every platform shares once its disks are known -
# loader options, menu discovery on the volumes, the interactive menu, and
# loading and handing over the chosen entry. The config file parsers it
# reads menus with are in config/.
BOOT_COMMON := boot/options.c boot/discover.c boot/generate.c boot/uki_menu.c boot/bootcount_env.c
BOOT_FREESTANDING := boot/menu_ui.c boot/boot.c boot/trust.c boot/envwrite.c boot/bootcount.c

PVH_SRCS  += $(BOOT_COMMON) $(BOOT_FREESTANDING)
EFI_SRCS  += $(BOOT_COMMON) $(BOOT_FREESTANDING)
HOST_SRCS += $(BOOT_COMMON)
