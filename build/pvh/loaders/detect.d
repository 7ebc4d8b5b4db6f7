build/pvh/loaders/detect.o: loaders/detect.c loaders/../core/decompress.h \
 loaders/../core/lib.h loaders/../core/errno.h loaders/image.h \
 loaders/../core/lib.h loaders/../include/abi/bootparam.h \
 loaders/../include/abi/abi.h loaders/../include/abi/e820.h \
 loaders/../include/abi/elf.h loaders/../include/abi/multiboot1.h
loaders/../core/decompress.h:
loaders/../core/lib.h:
loaders/../core/errno.h:
loaders/image.h:
loaders/../core/lib.h:
loaders/../include/abi/bootparam.h:
loaders/../include/abi/abi.h:
loaders/../include/abi/e820.h:
loaders/../include/abi/elf.h:
loaders/../include/abi/multiboot1.h:
