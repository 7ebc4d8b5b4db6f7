build/pvh/xen/hypercall.o: xen/hypercall.c xen/../core/errno.h \
 xen/../core/io.h xen/../core/log.h xen/../core/errno.h xen/../core/lib.h \
 xen/../core/time.h xen/xen.h xen/../core/memmap.h \
 xen/../core/../include/abi/e820.h xen/../core/../include/abi/abi.h \
 xen/../include/abi/xen.h xen/../include/abi/abi.h
xen/../core/errno.h:
xen/../core/io.h:
xen/../core/log.h:
xen/../core/errno.h:
xen/../core/lib.h:
xen/../core/time.h:
xen/xen.h:
xen/../core/memmap.h:
xen/../core/../include/abi/e820.h:
xen/../core/../include/abi/abi.h:
xen/../include/abi/xen.h:
xen/../include/abi/abi.h:
