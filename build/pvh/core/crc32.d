build/pvh/core/crc32.o: core/crc32.c core/crc32.h core/lib.h
core/crc32.h:
core/lib.h:
