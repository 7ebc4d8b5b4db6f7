# tests/fuzz/: libFuzzer targets, one per tests/fuzz/fuzz_*.c, for every
# parser that reads untrusted bytes (kernel images, compressed streams,
# filesystems). The loader's sources are compiled again with clang,
# instrumented for coverage, ASan and UBSan; Debian's static decoders are
# linked as they are. `make fuzz` runs them all (tests/fuzz/run.sh).
FUZZ_CC     ?= clang
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (libFuzzer's convention) lets a
# driver skip checksums a mutation cannot keep valid (fs/xfs.c's CRC32C).
FUZZ_CFLAGS := -std=c11 -O1 -g $(WARN) -D_GNU_SOURCE -DPVHBOOT_HOSTED -I. -Iinclude \
	-fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
# The image and stream parsers, which make_seeds also links.
FUZZ_SRCS   := $(PARSER_SRCS) core/decompress.c
FUZZ_LIB    := $(BUILD)/fuzz/libpvhboot-fuzz.a
FUZZ_SEEDS  := $(BUILD)/fuzz/seeds

FUZZERS += $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))

# fuzzer-no-link: coverage hooks in the library code, libFuzzer's main()
# only in the final link.
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

# Every host source, instrumented, in one archive: each tests/fuzz/fuzz_*.c
# target links what it calls. $$: HOST_SRCS is complete only when used.
$(FUZZ_LIB): $$(patsubst %,$(BUILD)/fuzz/obj/%.o,$$(basename $$(HOST_SRCS)))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(FUZZ_SEEDS)/.stamp $$(FUZZ_$$*_EXTRA)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_$*_EXTRA) $(FUZZ_LIB) $(DECODER_LIBS)

# The drivers against a hostile device and backend: the real sources with
# the test doubles in place of the hardware (tests/doubles/doubles.h).
# Each includes its driver's source, to reset its table and take back its
# memory after every input.
FUZZ_virtio_blk_EXTRA = $(filter-out virtio/blk.c,$(VIRTIO_UNDER_TEST))
FUZZ_blkfront_EXTRA = $(BLKFRONT_DOUBLES)
$(BUILD)/fuzz/fuzz_blkfront: xen/blkfront.c
$(BUILD)/fuzz/fuzz_virtio_blk: virtio/blk.c

# Seed corpora are generated, not committed: small valid images of each
# kind, from the same builders the unit tests use.
# make_seeds checks every seed with the parser it is meant for.
$(BUILD)/fuzz/make_seeds: tests/fuzz/make_seeds.c tests/fuzz/testimg.c tests/fuzz/testimg.h \
		$(FUZZ_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ tests/fuzz/make_seeds.c tests/fuzz/testimg.c \
		$(FUZZ_SRCS) $(DECODER_LIBS)

$(FUZZ_SEEDS)/.stamp: $(BUILD)/fuzz/make_seeds
	rm -rf $(FUZZ_SEEDS)
	$< $(FUZZ_SEEDS)
	touch $@

# The unit tests build their hand-made images with the same builders.
TEST_elf_EXTRA := tests/fuzz/testimg.c
TEST_elf_libelf_EXTRA := tests/fuzz/testimg.c
TEST_multiboot1_header_EXTRA := tests/fuzz/testimg.c
TEST_bzimage_EXTRA := tests/fuzz/testimg.c
TEST_detect_EXTRA := tests/fuzz/testimg.c
TEST_multiboot2_header_EXTRA := tests/fuzz/testimg.c

.PHONY: fuzz-seeds
fuzz-seeds: $(FUZZ_SEEDS)/.stamp
TEST_planners_EXTRA := tests/fuzz/testimg.c
TEST_multiboot2_plan_EXTRA := tests/fuzz/testimg.c
