# fs/: block layer, partition tables, filesystems (same code on the host,
# where a file stands in for the disk).
FS_COMMON := fs/blockdev.c fs/blockcache.c fs/blockwrite.c fs/partition.c fs/fs.c fs/volumes.c fs/ext4.c fs/fat.c \
	fs/iso9660.c
FS_FREESTANDING := fs/progress.c
FS_HOSTED := fs/hostfile.c fs/progress_host.c

PVH_SRCS  += $(FS_COMMON) $(FS_FREESTANDING)
EFI_SRCS  += $(FS_COMMON) $(FS_FREESTANDING)
HOST_SRCS += $(FS_COMMON) $(FS_HOSTED)
include fs/ext4.mk
include fs/fat.mk
include fs/iso9660.mk
include fs/btrfs.mk
include fs/xfs.mk
