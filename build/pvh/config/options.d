build/pvh/config/options.o: config/options.c config/../core/errno.h \
 config/options.h config/../core/lib.h
config/../core/errno.h:
config/options.h:
config/../core/lib.h:
