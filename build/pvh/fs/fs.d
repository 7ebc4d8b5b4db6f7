build/pvh/fs/fs.o: fs/fs.c fs/../core/errno.h fs/../core/log.h \
 fs/../core/errno.h fs/../core/lib.h fs/fs.h fs/blockdev.h \
 fs/../core/lib.h fs/progress.h
fs/../core/errno.h:
fs/../core/log.h:
fs/../core/errno.h:
fs/../core/lib.h:
fs/fs.h:
fs/blockdev.h:
fs/../core/lib.h:
fs/progress.h:
