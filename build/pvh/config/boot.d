build/pvh/config/boot.o: config/boot.c config/../core/errno.h \
 config/../core/log.h config/../core/errno.h config/../core/lib.h \
 config/../core/pagealloc.h config/../core/memmap.h \
 config/../core/../include/abi/e820.h config/../core/../include/abi/abi.h \
 config/../core/sha256.h config/boot.h config/../loaders/kernel.h \
 config/../loaders/../core/memmap.h config/../loaders/image.h \
 config/../loaders/../core/lib.h \
 config/../loaders/../include/abi/bootparam.h \
 config/../loaders/../include/abi/abi.h \
 config/../loaders/../include/abi/e820.h \
 config/../loaders/../include/abi/elf.h \
 config/../loaders/../include/abi/multiboot1.h config/../loaders/plan.h \
 config/options.h config/../core/lib.h config/discover.h \
 config/../fs/volumes.h config/../fs/fs.h config/../fs/blockdev.h \
 config/../fs/../core/lib.h config/config.h config/menu_ui.h
config/../core/errno.h:
config/../core/log.h:
config/../core/errno.h:
config/../core/lib.h:
config/../core/pagealloc.h:
config/../core/memmap.h:
config/../core/../include/abi/e820.h:
config/../core/../include/abi/abi.h:
config/../core/sha256.h:
config/boot.h:
config/../loaders/kernel.h:
config/../loaders/../core/memmap.h:
config/../loaders/image.h:
config/../loaders/../core/lib.h:
config/../loaders/../include/abi/bootparam.h:
config/../loaders/../include/abi/abi.h:
config/../loaders/../include/abi/e820.h:
config/../loaders/../include/abi/elf.h:
config/../loaders/../include/abi/multiboot1.h:
config/../loaders/plan.h:
config/options.h:
config/../core/lib.h:
config/discover.h:
config/../fs/volumes.h:
config/../fs/fs.h:
config/../fs/blockdev.h:
config/../fs/../core/lib.h:
config/config.h:
config/menu_ui.h:
