#!/bin/bash
# Shared helpers for the benchmarks (sourced by tests/bench/*.sh after
# tests/e2e/lib.sh, which provides qemu_accel, qemu_run and crc32_of).
#
# Every measurement is recorded as one line in $BENCH_RESULTS:
#   KEY VALUE...
# and tests/bench/run.sh turns those lines into the table. Rates are MB/s
# (10^6 bytes per second, like dd and the loader's progress bar).

BENCH_RESULTS=${BENCH_RESULTS:-/dev/stdout}

# now_ns: host monotonic-enough wall clock in nanoseconds.
now_ns() {
	date +%s%N
}

# record KEY VALUE...: one result line.
record() {
	echo "$*" >>"$BENCH_RESULTS"
}

# median NUMBER...: the middle value (the lower middle for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# rate_mbs BYTES NS: MB/s with one decimal.
rate_mbs() {
	awk -v b="$1" -v ns="$2" 'BEGIN { if (ns > 0) printf "%.1f\n", b * 1000 / ns; else print "0" }'
}

# ratio_pct A B: A/B in percent, no decimals ("n/a" when B is zero or absent).
ratio_pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "") printf "%.0f\n", 100 * a / b; else print "n/a" }'
}

# ms NS: milliseconds with no decimals.
ms() {
	awk -v ns="$1" 'BEGIN { printf "%.0f\n", ns / 1e6 }'
}

# note MESSAGE: progress on stderr, so stdout stays the report.
note() {
	echo "bench: $*" >&2
}

# loadavg: the 1-minute load average, to show how busy the machine was.
loadavg() {
	cut -d' ' -f1 /proc/loadavg
}

# bench_start: $WORK (removed at exit unless BENCH_KEEP is set), an empty
# $BENCH_RESULTS in it, and the start time and load for the report.
bench_start() {
	WORK=$(mktemp -d)
	[ -n "${BENCH_KEEP:-}" ] && note "keeping $WORK (logs, disk, results)"
	trap bench_cleanup EXIT
	BENCH_RESULTS=$WORK/results
	: >"$BENCH_RESULTS"
	started=$(date +%s)
	load_start=$(loadavg)
}

# bench_cleanup: unmount what fs.sh left mounted if it stopped half-way
# (BENCH_MNT, a loop mount: umount detaches the loop), then remove $WORK
# unless BENCH_KEEP is set.
bench_cleanup() {
	if [ -n "${BENCH_MNT:-}" ] && mountpoint -q "$BENCH_MNT"; then
		umount "$BENCH_MNT"
	fi
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}

# host_tsc_khz: the host's TSC rate in kHz, to rescale a guest's own clock;
# prints nothing when it cannot be read.
host_tsc_khz() {
	"${HOSTCC:-gcc}" -std=c11 -O2 -D_GNU_SOURCE -o "$WORK/tsc_khz" tests/bench/tsc_khz.c \
		2>"$WORK/tsc_khz.err" && "$WORK/tsc_khz"
}
