build/kernels/obj/long64.o: tests/kernels/long64.S tests/kernels/hidden.h \
 tests/kernels/cpu_state.h
tests/kernels/hidden.h:
tests/kernels/cpu_state.h:
