build/kernels/obj/mb1_header_aout.o: tests/kernels/mb1_header.S \
 tests/kernels/hidden.h
tests/kernels/hidden.h:
