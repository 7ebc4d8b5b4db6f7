build/kernels/obj/report.o: tests/kernels/report.c tests/kernels/hidden.h \
 tests/kernels/report.h tests/kernels/../../core/lib.h
tests/kernels/hidden.h:
tests/kernels/report.h:
tests/kernels/../../core/lib.h:
