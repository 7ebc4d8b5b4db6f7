build/pvh/virtio/pci.o: virtio/pci.c virtio/../core/io.h virtio/pci.h \
 virtio/../core/lib.h
virtio/../core/io.h:
virtio/pci.h:
virtio/../core/lib.h:
