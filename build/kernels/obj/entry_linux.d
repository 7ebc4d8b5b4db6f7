build/kernels/obj/entry_linux.o: tests/kernels/entry_linux.S \
 tests/kernels/hidden.h tests/kernels/cpu_state.h
tests/kernels/hidden.h:
tests/kernels/cpu_state.h:
