#!/bin/bash
# Benchmark (b), sourced by tests/bench/run.sh: the host CLI reading the
# initrd with the loader's own ext4 driver (`pvhboot cat DISK:1 PATH`)
# against e2fsprogs reading it (`debugfs -R "dump PATH /dev/null"`), both
# from the same disk image, both from a warm page cache (the image is read
# once first), so this compares the two programs' CPU paths, not the disk.
#
# Records:
#   cli-cat RUN BYTES NS | cli-debugfs RUN BYTES NS | skip cli-cat REASON

# cat_supported: does build/pvhboot have a cat subcommand?
cat_supported() {
	"$BUILD/pvhboot" help 2>&1 | grep -qE '^ +cat '
}

# timed_ns COMMAND...: run it with stdout to /dev/null; prints its wall time.
# Its stderr goes to $WORK/timed.err for the caller to check.
timed_ns() {
	local t0 t1
	t0=$(now_ns)
	"$@" >/dev/null 2>"$WORK/timed.err" || return 1
	t1=$(now_ns)
	echo $((t1 - t0))
}

host_cat() {
	local disk=$1 runs=$2 r ns
	local fsimg="$disk?offset=$BENCH_PART_OFFSET"
	cat "$disk" >/dev/null # warm the page cache for both programs

	# debugfs exits 0 even when the path is missing: check what it wrote.
	debugfs -R "dump $BENCH_INITRD_PATH $WORK/debugfs.out" "$fsimg" 2>/dev/null
	if ! cmp -s "$WORK/debugfs.out" "$BENCH_INITRD"; then
		record error "debugfs dump does not give the initrd back"
		return 1
	fi
	rm -f "$WORK/debugfs.out"
	for r in $(seq "$runs"); do
		if ! ns=$(timed_ns debugfs -R "dump $BENCH_INITRD_PATH /dev/null" "$fsimg") ||
			grep -v '^debugfs [0-9]' "$WORK/timed.err" | grep -q .; then
			record error "debugfs run $r: $(head -c 200 "$WORK/timed.err")"
			return 1
		fi
		record cli-debugfs "$r" "$BENCH_INITRD_BYTES" "$ns"
	done

	if ! cat_supported; then
		record skip cli-cat "build/pvhboot has no cat subcommand yet"
		note "pvhboot cat: not available, skipped"
		return 0
	fi
	if ! "$BUILD/pvhboot" cat "$disk:1" "$BENCH_INITRD_PATH" | cmp -s - "$BENCH_INITRD"; then
		record error "pvhboot cat $disk:1 $BENCH_INITRD_PATH does not give the initrd back"
		return 1
	fi
	for r in $(seq "$runs"); do
		ns=$(timed_ns "$BUILD/pvhboot" cat "$disk:1" "$BENCH_INITRD_PATH") || {
			record error "pvhboot cat run $r failed: $(head -c 200 "$WORK/timed.err")"
			return 1
		}
		record cli-cat "$r" "$BENCH_INITRD_BYTES" "$ns"
	done
}
