build/pvh/core/string.o: core/string.c core/lib.h
core/lib.h:
