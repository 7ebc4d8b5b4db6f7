build/pvh/core/cpio.o: core/cpio.c core/cpio.h core/lib.h core/errno.h
core/cpio.h:
core/lib.h:
core/errno.h:
