build/pvh/fs/ext4.o: fs/ext4.c fs/../core/errno.h fs/../core/log.h \
 fs/../core/errno.h fs/../core/lib.h fs/ext4_priv.h \
 fs/../include/abi/ext4.h fs/../include/abi/abi.h fs/fs.h fs/blockdev.h \
 fs/../core/lib.h
fs/../core/errno.h:
fs/../core/log.h:
fs/../core/errno.h:
fs/../core/lib.h:
fs/ext4_priv.h:
fs/../include/abi/ext4.h:
fs/../include/abi/abi.h:
fs/fs.h:
fs/blockdev.h:
fs/../core/lib.h:
