build/pvh/config/menu_ui.o: config/menu_ui.c config/../core/console.h \
 config/../core/lib.h config/../core/errno.h config/../core/io.h \
 config/../core/time.h config/menu_ui.h config/config.h \
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
config/../core/console.h:
config/../core/lib.h:
config/../core/errno.h:
config/../core/io.h:
config/../core/time.h:
config/menu_ui.h:
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
