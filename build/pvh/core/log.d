build/pvh/core/log.o: core/log.c core/console.h core/lib.h core/log.h \
 core/errno.h
core/console.h:
core/lib.h:
core/log.h:
core/errno.h:
