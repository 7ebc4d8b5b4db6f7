build/pvh/core/memmap.o: core/memmap.c core/errno.h core/memmap.h \
 core/../include/abi/e820.h core/../include/abi/abi.h core/lib.h
core/errno.h:
core/memmap.h:
core/../include/abi/e820.h:
core/../include/abi/abi.h:
core/lib.h:
