#!/bin/bash
# tests/fuzz/run.sh [SECONDS]: run every libFuzzer target (one per
# tests/fuzz/fuzz_*.c) for SECONDS each (default 10), starting from the
# seeds make_seeds generated, the filesystem seeds tests/images/ leaves in
# $PVHBOOT_TEST_IMAGES/NAME/fuzz-seeds, and the corpus earlier runs left in
# $BUILD/fuzz/corpus/. Prints "ok fuzz_NAME (N runs)" or "not ok fuzz_NAME:
# why" per target; a crash input is kept as $BUILD/fuzz/crash-NAME-*.
# Exit status 1 if any target failed.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
IMAGES=${PVHBOOT_TEST_IMAGES:-$BUILD/testimages}
SECONDS_EACH=${1:-10}
NAMES=$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)

case $SECONDS_EACH in
'' | *[!0-9]*)
	echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
	exit 2
	;;
esac

mkdir -p "$BUILD/fuzz"
status=0
for name in $NAMES; do
	bin=$BUILD/fuzz/fuzz_$name
	# Not built yet (tests/run.sh calls us directly): build it now.
	[ -x "$bin" ] || make -s BUILD="$BUILD" "$bin" >"$BUILD/fuzz/build-$name.log" 2>&1
	if [ ! -x "$bin" ]; then
		echo "not ok fuzz_$name: not built (see $BUILD/fuzz/build-$name.log)"
		status=1
		continue
	fi
	corpus=$BUILD/fuzz/corpus/$name
	log=$BUILD/fuzz/fuzz_$name.log
	mkdir -p "$corpus"
	dirs=("$corpus")
	seeds=("$BUILD/fuzz/seeds/$name" "$IMAGES/$name/fuzz-seeds")
	# The planner takes any kernel: the image parsers' seeds are its seeds.
	[ "$name" = plan ] && seeds+=("$BUILD/fuzz/seeds/elf" "$BUILD/fuzz/seeds/multiboot1" \
		"$BUILD/fuzz/seeds/bzimage")
	for d in "${seeds[@]}"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	# multiboot2 (issue 11): the probes and, when installed or cached,
	# Debian's Xen 4.17 (both headers, relocatable, EFI tags) as seeds.
	if [ "$name" = multiboot2 ]; then
		real=$BUILD/fuzz/seeds-real/multiboot2
		mkdir -p "$real"
		cp -f "$BUILD"/kernels/mb2-elf.elf "$BUILD"/kernels/mb2-addr.bin "$real"/ 2>/dev/null
		for x in /boot/xen-4.17-amd64.gz "${XDG_CACHE_HOME:-$HOME/.cache}/pvhboot/debian/xen.gz"; do
			[ -f "$x" ] && gzip -dc "$x" | head -c 65536 >"$real/xen-4.17" && break
		done
		dirs+=("$real")
	fi
	# Kernel images: room for a multiboot1 header anywhere in its 8 KiB
	# window. Other targets take libFuzzer's default from their seeds.
	opts=()
	# Kernel images: room for a header anywhere in its window (multiboot2's
	# is 32 KiB). Device and backend scripts: a few hundred bytes of faults
	# are plenty.
	case $name in
	elf | multiboot1 | bzimage | decompress | plan) opts=(-max_len=16384) ;;
	multiboot2) opts=(-max_len=40000) ;;
	virtio_blk | blkfront) opts=(-max_len=1024) ;;
	esac
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 "${opts[@]}" \
		-print_final_stats=1 -artifact_prefix="$BUILD/fuzz/crash-$name-" \
		"${dirs[@]}" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "ok fuzz_$name (${runs:-?} runs in ${SECONDS_EACH}s)"
	else
		why=$(grep -m 1 -E 'ERROR: |runtime error|SUMMARY' "$log")
		echo "not ok fuzz_$name: exit $rc: ${why:-no message} (log: $log)"
		status=1
	fi
done
exit $status
