# fs/ext4*.c: the ext2/3/4 driver. fs/build.mk lists fs/ext4.c (mount and
# the fs_ops table); these are the rest of it, built everywhere ext4.c is.
EXT4_SRCS := fs/ext4_inode.c fs/ext4_map.c fs/ext4_read.c fs/ext4_dir.c fs/ext4_bmap.c

PVH_SRCS  += $(EXT4_SRCS)
EFI_SRCS  += $(EXT4_SRCS)
HOST_SRCS += $(EXT4_SRCS)
