build/kernels/obj/entry_fixed.o: tests/kernels/entry_fixed.S \
 tests/kernels/hidden.h tests/kernels/cpu_state.h
tests/kernels/hidden.h:
tests/kernels/cpu_state.h:
