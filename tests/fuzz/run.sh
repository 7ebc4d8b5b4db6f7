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
. tests/fuzz/seeds.sh
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
	log=$BUILD/fuzz/fuzz_$name.log
	mapfile -t dirs < <(fuzz_dirs "$name")
	mapfile -t opts < <(fuzz_opts "$name")
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
