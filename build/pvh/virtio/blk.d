build/pvh/virtio/blk.o: virtio/blk.c virtio/../core/errno.h \
 virtio/../core/log.h virtio/../core/errno.h virtio/../core/lib.h \
 virtio/../core/io.h virtio/../core/time.h virtio/../include/abi/virtio.h \
 virtio/../include/abi/abi.h virtio/../fs/blockdev.h \
 virtio/../fs/../core/lib.h virtio/blk.h virtio/transport.h \
 virtio/../core/lib.h virtio/pci.h
virtio/../core/errno.h:
virtio/../core/log.h:
virtio/../core/errno.h:
virtio/../core/lib.h:
virtio/../core/io.h:
virtio/../core/time.h:
virtio/../include/abi/virtio.h:
virtio/../include/abi/abi.h:
virtio/../fs/blockdev.h:
virtio/../fs/../core/lib.h:
virtio/blk.h:
virtio/transport.h:
virtio/../core/lib.h:
virtio/pci.h:
