build/pvh/core/decompress.o: core/decompress.c core/decompress.h \
 core/lib.h core/errno.h
core/decompress.h:
core/lib.h:
core/errno.h:
