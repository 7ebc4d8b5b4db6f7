build/pvh/core/console.o: core/console.c core/console.h core/lib.h \
 core/io.h
core/console.h:
core/lib.h:
core/io.h:
