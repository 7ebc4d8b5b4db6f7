build/kernels/obj/capture32.o: tests/kernels/capture32.S \
 tests/kernels/hidden.h tests/kernels/cpu_state.h
tests/kernels/hidden.h:
tests/kernels/cpu_state.h:
