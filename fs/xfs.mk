# fs/xfs*.c: the read-only XFS driver (v4 and v5), built into the PVH and
# EFI loaders and the host tools, like ext4.
XFS_SRCS := fs/xfs.c fs/xfs_inode.c fs/xfs_bmap.c fs/xfs_read.c fs/xfs_dir.c fs/xfs_log.c

PVH_SRCS  += $(XFS_SRCS)
EFI_SRCS  += $(XFS_SRCS)
HOST_SRCS += $(XFS_SRCS)
