# tests/: probe kernels, unit tests, fuzzers.
include tests/kernels/build.mk

# Every tests/unit/test_*.c is one binary, linked with the host build of the
# loader sources under ASan/UBSan. A test needing more sources sets
# TEST_<name>_EXTRA (e.g. TEST_probe_checks_EXTRA := tests/kernels/check_pvh.c).
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

$(BUILD)/libpvhboot-san.a: $$(SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/unit/test_%: tests/unit/test_%.c $(BUILD)/libpvhboot-san.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes -o $@ $< \
		$(TEST_$*_EXTRA) $(BUILD)/libpvhboot-san.a $(TEST_$*_LIBS) $(DECODER_LIBS)

include tests/fuzz/build.mk
