build/pvh/core/format.o: core/format.c core/lib.h
core/lib.h:
