build/pvh/loaders/plan.o: loaders/plan.c loaders/../core/errno.h \
 loaders/../core/pagealloc.h loaders/../core/memmap.h \
 loaders/../core/../include/abi/e820.h \
 loaders/../core/../include/abi/abi.h loaders/../core/lib.h \
 loaders/plan.h loaders/../core/memmap.h
loaders/../core/errno.h:
loaders/../core/pagealloc.h:
loaders/../core/memmap.h:
loaders/../core/../include/abi/e820.h:
loaders/../core/../include/abi/abi.h:
loaders/../core/lib.h:
loaders/plan.h:
loaders/../core/memmap.h:
