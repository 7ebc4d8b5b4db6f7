build/pvh/xen/console.o: xen/console.c xen/../core/console.h \
 xen/../core/lib.h xen/xen.h xen/../core/memmap.h \
 xen/../core/../include/abi/e820.h xen/../core/../include/abi/abi.h \
 xen/../include/abi/xen.h xen/../include/abi/abi.h
xen/../core/console.h:
xen/../core/lib.h:
xen/xen.h:
xen/../core/memmap.h:
xen/../core/../include/abi/e820.h:
xen/../core/../include/abi/abi.h:
xen/../include/abi/xen.h:
xen/../include/abi/abi.h:
