# fs/btrfs*.c: the read-only single-device btrfs driver (fs/btrfs_priv.h
# says which file does what), built into the loader images and the host.
BTRFS_SRCS := fs/btrfs.c fs/btrfs_chunk.c fs/btrfs_tree.c fs/btrfs_subvol.c fs/btrfs_dir.c \
	fs/btrfs_extent.c fs/btrfs_compress.c

PVH_SRCS  += $(BTRFS_SRCS)
EFI_SRCS  += $(BTRFS_SRCS)
HOST_SRCS += $(BTRFS_SRCS)
