build/pvh/loaders/multiboot1_header.o: loaders/multiboot1_header.c \
 loaders/../core/errno.h loaders/image.h loaders/../core/lib.h \
 loaders/../include/abi/bootparam.h loaders/../include/abi/abi.h \
 loaders/../include/abi/e820.h loaders/../include/abi/elf.h \
 loaders/../include/abi/multiboot1.h
loaders/../core/errno.h:
loaders/image.h:
loaders/../core/lib.h:
loaders/../include/abi/bootparam.h:
loaders/../include/abi/abi.h:
loaders/../include/abi/e820.h:
loaders/../include/abi/elf.h:
loaders/../include/abi/multiboot1.h:
