build/kernels/obj/bzimage_header32.o: tests/kernels/bzimage_header.S \
 tests/kernels/hidden.h
tests/kernels/hidden.h:
