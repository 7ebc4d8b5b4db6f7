build/pvh/fs/volumes.o: fs/volumes.c fs/../core/errno.h fs/../core/log.h \
 fs/../core/errno.h fs/../core/lib.h fs/partition.h fs/blockdev.h \
 fs/../core/lib.h fs/volumes.h fs/fs.h
fs/../core/errno.h:
fs/../core/log.h:
fs/../core/errno.h:
fs/../core/lib.h:
fs/partition.h:
fs/blockdev.h:
fs/../core/lib.h:
fs/volumes.h:
fs/fs.h:
