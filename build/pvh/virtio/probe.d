build/pvh/virtio/probe.o: virtio/probe.c virtio/../core/log.h \
 virtio/../core/errno.h virtio/../core/lib.h \
 virtio/../include/abi/virtio.h virtio/../include/abi/abi.h virtio/blk.h \
 virtio/transport.h virtio/../core/lib.h virtio/pci.h
virtio/../core/log.h:
virtio/../core/errno.h:
virtio/../core/lib.h:
virtio/../include/abi/virtio.h:
virtio/../include/abi/abi.h:
virtio/blk.h:
virtio/transport.h:
virtio/../core/lib.h:
virtio/pci.h:
