build/kernels/obj/rsdp.o: tests/kernels/rsdp.c tests/kernels/hidden.h \
 tests/kernels/probe.h tests/kernels/../../core/errno.h \
 tests/kernels/../../core/lib.h \
 tests/kernels/../../include/abi/bootparam.h \
 tests/kernels/../../include/abi/abi.h \
 tests/kernels/../../include/abi/e820.h tests/kernels/cpu_state.h \
 tests/kernels/../../include/abi/abi.h tests/kernels/report.h
tests/kernels/hidden.h:
tests/kernels/probe.h:
tests/kernels/../../core/errno.h:
tests/kernels/../../core/lib.h:
tests/kernels/../../include/abi/bootparam.h:
tests/kernels/../../include/abi/abi.h:
tests/kernels/../../include/abi/e820.h:
tests/kernels/cpu_state.h:
tests/kernels/../../include/abi/abi.h:
tests/kernels/report.h:
