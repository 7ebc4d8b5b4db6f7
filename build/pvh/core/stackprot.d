build/pvh/core/stackprot.o: core/stackprot.c core/io.h core/log.h \
 core/errno.h core/lib.h core/stackprot.h
core/io.h:
core/log.h:
core/errno.h:
core/lib.h:
core/stackprot.h:
