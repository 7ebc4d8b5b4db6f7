build/pvh/fs/partition.o: fs/partition.c fs/../core/crc32.h \
 fs/../core/lib.h fs/../core/errno.h fs/../core/log.h fs/../core/errno.h \
 fs/../include/abi/partition.h fs/../include/abi/abi.h fs/partition.h \
 fs/blockdev.h fs/../core/lib.h
fs/../core/crc32.h:
fs/../core/lib.h:
fs/../core/errno.h:
fs/../core/log.h:
fs/../core/errno.h:
fs/../include/abi/partition.h:
fs/../include/abi/abi.h:
fs/partition.h:
fs/blockdev.h:
fs/../core/lib.h:
