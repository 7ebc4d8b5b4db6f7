build/pvh/core/time.o: core/time.c core/io.h core/time.h core/lib.h
core/io.h:
core/time.h:
core/lib.h:
