build/pvh/virtio/transport.o: virtio/transport.c virtio/../core/errno.h \
 virtio/../core/io.h virtio/../core/log.h virtio/../core/errno.h \
 virtio/../core/lib.h virtio/../include/abi/virtio.h \
 virtio/../include/abi/abi.h virtio/transport.h virtio/../core/lib.h \
 virtio/pci.h
virtio/../core/errno.h:
virtio/../core/io.h:
virtio/../core/log.h:
virtio/../core/errno.h:
virtio/../core/lib.h:
virtio/../include/abi/virtio.h:
virtio/../include/abi/abi.h:
virtio/transport.h:
virtio/../core/lib.h:
virtio/pci.h:
