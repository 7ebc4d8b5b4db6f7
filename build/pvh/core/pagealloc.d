build/pvh/core/pagealloc.o: core/pagealloc.c core/errno.h \
 core/pagealloc.h core/memmap.h core/../include/abi/e820.h \
 core/../include/abi/abi.h core/lib.h
core/errno.h:
core/pagealloc.h:
core/memmap.h:
core/../include/abi/e820.h:
core/../include/abi/abi.h:
core/lib.h:
