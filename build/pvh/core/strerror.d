build/pvh/core/strerror.o: core/strerror.c core/errno.h
core/errno.h:
