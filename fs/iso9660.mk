# fs/iso9660*.c: the ISO 9660 driver. fs/build.mk lists fs/iso9660.c (mount
# and the fs_ops table); these are the rest of it, built everywhere it is.
ISO9660_SRCS := fs/iso9660_dir.c fs/iso9660_rr.c

PVH_SRCS  += $(ISO9660_SRCS)
EFI_SRCS  += $(ISO9660_SRCS)
HOST_SRCS += $(ISO9660_SRCS)
