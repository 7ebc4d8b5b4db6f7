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

# Drivers on the host: the real virtio/ and xen/ sources against test
# doubles that replace the hardware accessors (tests/doubles/doubles.h).
DOUBLES_COMMON := tests/doubles/blockdev_double.c tests/doubles/alloc_double.c
VIRTIO_UNDER_TEST := virtio/blk.c virtio/transport.c tests/doubles/virtio_double.c $(DOUBLES_COMMON)
TEST_virtio_blk_EXTRA := $(VIRTIO_UNDER_TEST)
$(BUILD)/unit/test_virtio_blk: $(VIRTIO_UNDER_TEST) $(wildcard virtio/*.h tests/doubles/*.h)
# test_string includes the loader's core/string.c itself, renamed.
$(BUILD)/unit/test_string: core/string.c core/lib.h
# test_envwrite_faults: the loader's grubenv rewrite, freestanding-only otherwise.
TEST_envwrite_faults_EXTRA := boot/envwrite.c boot/bootcount.c
$(BUILD)/unit/test_envwrite_faults: boot/envwrite.c boot/bootcount.c $(wildcard boot/*.h)
# test_blkfront includes xen/blkfront.c itself (to reset its table per case).
BLKFRONT_DOUBLES := tests/doubles/xen_double.c $(DOUBLES_COMMON)
TEST_blkfront_EXTRA := $(BLKFRONT_DOUBLES)
$(BUILD)/unit/test_blkfront: xen/blkfront.c $(BLKFRONT_DOUBLES) $(wildcard xen/*.h tests/doubles/*.h)
