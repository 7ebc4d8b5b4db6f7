build/pvh/stage/pvh_boot.o: stage/pvh_boot.c stage/../core/cpio.h \
 stage/../core/lib.h stage/../core/errno.h stage/../core/log.h \
 stage/../core/errno.h stage/../core/pagealloc.h stage/../core/memmap.h \
 stage/../core/../include/abi/e820.h stage/../core/../include/abi/abi.h \
 stage/../config/boot.h stage/../config/../loaders/kernel.h \
 stage/../config/../loaders/../core/memmap.h \
 stage/../config/../loaders/image.h \
 stage/../config/../loaders/../core/lib.h \
 stage/../config/../loaders/../include/abi/bootparam.h \
 stage/../config/../loaders/../include/abi/abi.h \
 stage/../config/../loaders/../include/abi/e820.h \
 stage/../config/../loaders/../include/abi/elf.h \
 stage/../config/../loaders/../include/abi/multiboot1.h \
 stage/../config/../loaders/plan.h stage/../config/options.h \
 stage/../config/../core/lib.h stage/../fs/volumes.h stage/../fs/fs.h \
 stage/../fs/blockdev.h stage/../fs/../core/lib.h stage/../virtio/blk.h \
 stage/../virtio/transport.h stage/../virtio/../core/lib.h \
 stage/../virtio/pci.h stage/../xen/xen.h stage/../xen/../core/memmap.h \
 stage/../xen/../include/abi/xen.h stage/../xen/../include/abi/abi.h \
 stage/handoff.h stage/../loaders/plan.h stage/pvh_main.h \
 stage/../core/memmap.h stage/../loaders/kernel.h
stage/../core/cpio.h:
stage/../core/lib.h:
stage/../core/errno.h:
stage/../core/log.h:
stage/../core/errno.h:
stage/../core/pagealloc.h:
stage/../core/memmap.h:
stage/../core/../include/abi/e820.h:
stage/../core/../include/abi/abi.h:
stage/../config/boot.h:
stage/../config/../loaders/kernel.h:
stage/../config/../loaders/../core/memmap.h:
stage/../config/../loaders/image.h:
stage/../config/../loaders/../core/lib.h:
stage/../config/../loaders/../include/abi/bootparam.h:
stage/../config/../loaders/../include/abi/abi.h:
stage/../config/../loaders/../include/abi/e820.h:
stage/../config/../loaders/../include/abi/elf.h:
stage/../config/../loaders/../include/abi/multiboot1.h:
stage/../config/../loaders/plan.h:
stage/../config/options.h:
stage/../config/../core/lib.h:
stage/../fs/volumes.h:
stage/../fs/fs.h:
stage/../fs/blockdev.h:
stage/../fs/../core/lib.h:
stage/../virtio/blk.h:
stage/../virtio/transport.h:
stage/../virtio/../core/lib.h:
stage/../virtio/pci.h:
stage/../xen/xen.h:
stage/../xen/../core/memmap.h:
stage/../xen/../include/abi/xen.h:
stage/../xen/../include/abi/abi.h:
stage/handoff.h:
stage/../loaders/plan.h:
stage/pvh_main.h:
stage/../core/memmap.h:
stage/../loaders/kernel.h:
