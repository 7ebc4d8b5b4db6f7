# virtio/: the disk of the KVM PVH platform (QEMU, Firecracker, Cloud Hypervisor).
VIRTIO_SRCS := virtio/pci.c virtio/transport.c virtio/blk.c virtio/probe.c
PVH_SRCS += $(VIRTIO_SRCS)
