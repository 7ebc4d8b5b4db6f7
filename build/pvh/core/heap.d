build/pvh/core/heap.o: core/heap.c core/errno.h core/log.h core/lib.h \
 core/heap.h core/pagealloc.h core/memmap.h core/../include/abi/e820.h \
 core/../include/abi/abi.h
core/errno.h:
core/log.h:
core/lib.h:
core/heap.h:
core/pagealloc.h:
core/memmap.h:
core/../include/abi/e820.h:
core/../include/abi/abi.h:
