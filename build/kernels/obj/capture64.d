build/kernels/obj/capture64.o: tests/kernels/capture64.S \
 tests/kernels/hidden.h tests/kernels/cpu_state.h
tests/kernels/hidden.h:
tests/kernels/cpu_state.h:
