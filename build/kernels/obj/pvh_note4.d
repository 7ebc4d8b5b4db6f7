build/kernels/obj/pvh_note4.o: tests/kernels/pvh_note.S \
 tests/kernels/hidden.h
tests/kernels/hidden.h:
