build/kernels/obj/check_pvh.o: tests/kernels/check_pvh.c \
 tests/kernels/hidden.h tests/kernels/../../include/abi/start_info.h \
 tests/kernels/../../include/abi/abi.h tests/kernels/probe.h \
 tests/kernels/../../core/errno.h tests/kernels/../../core/lib.h \
 tests/kernels/../../include/abi/bootparam.h \
 tests/kernels/../../include/abi/e820.h tests/kernels/cpu_state.h \
 tests/kernels/../../include/abi/abi.h tests/kernels/report.h
tests/kernels/hidden.h:
tests/kernels/../../include/abi/start_info.h:
tests/kernels/../../include/abi/abi.h:
tests/kernels/probe.h:
tests/kernels/../../core/errno.h:
tests/kernels/../../core/lib.h:
tests/kernels/../../include/abi/bootparam.h:
tests/kernels/../../include/abi/e820.h:
tests/kernels/cpu_state.h:
tests/kernels/../../include/abi/abi.h:
tests/kernels/report.h:
