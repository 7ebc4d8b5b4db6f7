build/pvh/fs/blockdev.o: fs/blockdev.c fs/../core/errno.h fs/blockdev.h \
 fs/../core/lib.h
fs/../core/errno.h:
fs/blockdev.h:
fs/../core/lib.h:
