build/pvh/fs/progress.o: fs/progress.c fs/../core/console.h \
 fs/../core/lib.h fs/../core/time.h fs/progress.h fs/../core/lib.h
fs/../core/console.h:
fs/../core/lib.h:
fs/../core/time.h:
fs/progress.h:
fs/../core/lib.h:
