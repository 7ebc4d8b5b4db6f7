build/pvh/config/discover.o: config/discover.c config/../core/errno.h \
 config/../core/log.h config/../core/errno.h config/../core/lib.h \
 config/discover.h config/../fs/volumes.h config/../fs/fs.h \
 config/../fs/blockdev.h config/../fs/../core/lib.h config/config.h \
 config/../core/lib.h config/../loaders/kernel.h \
 config/../loaders/../core/memmap.h \
 config/../loaders/../core/../include/abi/e820.h \
 config/../loaders/../core/../include/abi/abi.h \
 config/../loaders/../core/lib.h config/../loaders/image.h \
 config/../loaders/../core/lib.h \
 config/../loaders/../include/abi/bootparam.h \
 config/../loaders/../include/abi/abi.h \
 config/../loaders/../include/abi/e820.h \
 config/../loaders/../include/abi/elf.h \
 config/../loaders/../include/abi/multiboot1.h config/../loaders/plan.h
config/../core/errno.h:
config/../core/log.h:
config/../core/errno.h:
config/../core/lib.h:
config/discover.h:
config/../fs/volumes.h:
config/../fs/fs.h:
config/../fs/blockdev.h:
config/../fs/../core/lib.h:
config/config.h:
config/../core/lib.h:
config/../loaders/kernel.h:
config/../loaders/../core/memmap.h:
config/../loaders/../core/../include/abi/e820.h:
config/../loaders/../core/../include/abi/abi.h:
config/../loaders/../core/lib.h:
config/../loaders/image.h:
config/../loaders/../core/lib.h:
config/../loaders/../include/abi/bootparam.h:
config/../loaders/../include/abi/abi.h:
config/../loaders/../include/abi/e820.h:
config/../loaders/../include/abi/elf.h:
config/../loaders/../include/abi/multiboot1.h:
config/../loaders/plan.h:
