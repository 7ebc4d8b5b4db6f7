# fs/: block layer, partition tables, filesystems (same code on the host,
# where a file stands in for the disk).
FS_COMMON := fs/blockdev.c fs/partition.c
FS_HOSTED := fs/hostfile.c

PVH_SRCS  += $(FS_COMMON)
EFI_SRCS  += $(FS_COMMON)
HOST_SRCS += $(FS_COMMON) $(FS_HOSTED)
