build/pvh/stage/handoff.o: stage/handoff.c stage/../core/errno.h \
 stage/../core/log.h stage/../core/errno.h stage/../core/lib.h \
 stage/../core/pagealloc.h stage/../core/memmap.h \
 stage/../core/../include/abi/e820.h stage/../core/../include/abi/abi.h \
 stage/handoff.h stage/../loaders/plan.h \
 stage/../loaders/../core/memmap.h
stage/../core/errno.h:
stage/../core/log.h:
stage/../core/errno.h:
stage/../core/lib.h:
stage/../core/pagealloc.h:
stage/../core/memmap.h:
stage/../core/../include/abi/e820.h:
stage/../core/../include/abi/abi.h:
stage/handoff.h:
stage/../loaders/plan.h:
stage/../loaders/../core/memmap.h:
