# fs/fat*.c: the FAT12/16/32 driver. fs/build.mk lists fs/fat.c (mount and
# the fs_ops table); these are the rest of it, built everywhere fat.c is.
FAT_SRCS := fs/fat_chain.c fs/fat_name.c fs/fat_map.c fs/fat_xlink.c

PVH_SRCS  += $(FAT_SRCS)
EFI_SRCS  += $(FAT_SRCS)
HOST_SRCS += $(FAT_SRCS)
