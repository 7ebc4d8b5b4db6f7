build/kernels/obj/mb1_header_elf.o: tests/kernels/mb1_header.S \
 tests/kernels/hidden.h
tests/kernels/hidden.h:
