build/pvh/core/parse.o: core/parse.c core/lib.h
core/lib.h:
