build/pvh/loaders/kernel.o: loaders/kernel.c loaders/../core/decompress.h \
 loaders/../core/lib.h loaders/../core/errno.h loaders/../core/log.h \
 loaders/../core/errno.h loaders/kernel.h loaders/../core/memmap.h \
 loaders/../core/../include/abi/e820.h \
 loaders/../core/../include/abi/abi.h loaders/image.h \
 loaders/../core/lib.h loaders/../include/abi/bootparam.h \
 loaders/../include/abi/abi.h loaders/../include/abi/e820.h \
 loaders/../include/abi/elf.h loaders/../include/abi/multiboot1.h \
 loaders/plan.h
loaders/../core/decompress.h:
loaders/../core/lib.h:
loaders/../core/errno.h:
loaders/../core/log.h:
loaders/../core/errno.h:
loaders/kernel.h:
loaders/../core/memmap.h:
loaders/../core/../include/abi/e820.h:
loaders/../core/../include/abi/abi.h:
loaders/image.h:
loaders/../core/lib.h:
loaders/../include/abi/bootparam.h:
loaders/../include/abi/abi.h:
loaders/../include/abi/e820.h:
loaders/../include/abi/elf.h:
loaders/../include/abi/multiboot1.h:
loaders/plan.h:
