build/pvh/stage/pvh_main.o: stage/pvh_main.c stage/../core/acpi.h \
 stage/../core/lib.h stage/../core/console.h stage/../core/errno.h \
 stage/../core/io.h stage/../core/log.h stage/../core/errno.h \
 stage/../core/pagealloc.h stage/../core/memmap.h \
 stage/../core/../include/abi/e820.h stage/../core/../include/abi/abi.h \
 stage/../core/stackprot.h stage/../core/time.h stage/../xen/xen.h \
 stage/../xen/../core/memmap.h stage/../xen/../include/abi/xen.h \
 stage/../xen/../include/abi/abi.h stage/../include/abi/start_info.h \
 stage/../include/abi/abi.h stage/pvh_main.h stage/../core/memmap.h \
 stage/../loaders/kernel.h stage/../loaders/../core/memmap.h \
 stage/../loaders/image.h stage/../loaders/../core/lib.h \
 stage/../loaders/../include/abi/bootparam.h \
 stage/../loaders/../include/abi/abi.h \
 stage/../loaders/../include/abi/e820.h \
 stage/../loaders/../include/abi/elf.h \
 stage/../loaders/../include/abi/multiboot1.h stage/../loaders/plan.h
stage/../core/acpi.h:
stage/../core/lib.h:
stage/../core/console.h:
stage/../core/errno.h:
stage/../core/io.h:
stage/../core/log.h:
stage/../core/errno.h:
stage/../core/pagealloc.h:
stage/../core/memmap.h:
stage/../core/../include/abi/e820.h:
stage/../core/../include/abi/abi.h:
stage/../core/stackprot.h:
stage/../core/time.h:
stage/../xen/xen.h:
stage/../xen/../core/memmap.h:
stage/../xen/../include/abi/xen.h:
stage/../xen/../include/abi/abi.h:
stage/../include/abi/start_info.h:
stage/../include/abi/abi.h:
stage/pvh_main.h:
stage/../core/memmap.h:
stage/../loaders/kernel.h:
stage/../loaders/../core/memmap.h:
stage/../loaders/image.h:
stage/../loaders/../core/lib.h:
stage/../loaders/../include/abi/bootparam.h:
stage/../loaders/../include/abi/abi.h:
stage/../loaders/../include/abi/e820.h:
stage/../loaders/../include/abi/elf.h:
stage/../loaders/../include/abi/multiboot1.h:
stage/../loaders/plan.h:
