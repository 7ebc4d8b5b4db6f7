#!/bin/bash
# Benchmark (a), sourced by tests/bench/run.sh: how fast pvhboot.elf, booted
# by QEMU through its PVH note, reads a 128 MiB initrd from ext4 on a
# virtio-blk-pci disk, against a Linux guest reading the same file (and the
# raw partition) with dd on the same QEMU configuration.
#
# Both sides time themselves with their own monotonic clock, around the
# read only: pvhboot's "load:" line (fs/progress.c) covers the file read
# from its first to its last byte; the guest's init (guest-init) brackets
# each dd. VM start, kernel boot and the probe's CRC check are not counted.
# pvhboot's clock is the TSC at a rate it calibrated over 10 ms, which a
# busy host can skew (seen: +43 %); its figure is rescaled to the host's
# TSC rate (tsc_khz.c), which is what a QEMU guest's TSC runs at. Linux
# calibrates over far longer and cross-checks, so its clock is used as is.

# The one QEMU configuration both sides run on: MACHINE, 512 MiB, the bench
# disk read-only on virtio-blk-pci.
bench_qemu() { # TIMEOUT LOG MACHINE DISK ARGS...
	local timeout=$1 log=$2 machine=$3 disk=$4
	shift 4
	qemu_run "$timeout" "$log" "$machine" \
		-drive "if=none,id=d0,format=raw,file=$disk,readonly=on" \
		-device virtio-blk-pci,drive=d0 "$@"
}

# pvhboot_load MACHINE DISK RUNS: boot the "load" entry RUNS times; records
#   pvhboot MACHINE RUN BYTES NS
pvhboot_load() {
	local machine=$1 disk=$2 runs=$3 r log status line bytes ns khz
	for r in $(seq "$runs"); do
		log=$WORK/pvhboot-$machine-$r.log
		bench_qemu 180 "$log" "$machine" "$disk" -kernel "$BUILD/pvhboot.elf" \
			-append "entry=load timeout=0"
		status=$?
		line=$(tr '\r' '\n' <"$log" | grep -m1 "^load: $BENCH_INITRD_PATH ")
		if [ "$status" != 1 ] || ! grep -qx "RESULT PASS" "$log" || [ -z "$line" ]; then
			note "pvhboot $machine run $r failed (exit $status): $(tr '\r' '\n' <"$log" |
				grep -E 'error|FAIL|load:' | head -n 3 | tr '\n' '|')"
			record error "pvhboot on $machine: run $r failed, see the log"
			return 1
		fi
		# load: PATH BYTES bytes NS ns tsc KHZ kHz
		read -r _ _ bytes _ ns _ _ khz _ <<<"$line"
		[ "$bytes" = "$BENCH_INITRD_BYTES" ] || {
			record error "pvhboot on $machine read $bytes bytes, not $BENCH_INITRD_BYTES"
			return 1
		}
		ns=$(true_ns "$ns" "$khz")
		record pvhboot "$machine" "$r" "$bytes" "$ns"
		note "pvhboot $machine run $r: $(rate_mbs "$bytes" "$ns") MB/s (loader's TSC rate $khz kHz)"
	done
}

# true_ns NS KHZ: the loader computed NS from TSC ticks at its calibrated
# KHZ; the same ticks at the host's measured rate ($HOST_TSC_KHZ), when
# known. Records how far the loader's calibration was off.
true_ns() {
	if [ -z "$HOST_TSC_KHZ" ] || [ -z "$2" ]; then
		echo "$1"
		return
	fi
	record tsc-skew "$(awk -v a="$2" -v h="$HOST_TSC_KHZ" 'BEGIN { printf "%.1f", 100 * (a - h) / h }')"
	awk -v ns="$1" -v a="$2" -v h="$HOST_TSC_KHZ" 'BEGIN { printf "%.0f\n", ns * a / h }'
}

# guest_dd MACHINE DISK RUNS VMLINUZ INITRAMFS: one Linux boot that runs
# dd RUNS times each way; records
#   dd-buffered MACHINE RUN BYTES NS
#   dd-direct MACHINE RUN BYTES NS
guest_dd() {
	local machine=$1 disk=$2 runs=$3 vmlinuz=$4 initramfs=$5
	local log=$WORK/linux-$machine.log serial=$WORK/linux-$machine.serial status
	bench_qemu 300 "$log" "$machine" "$disk" -kernel "$vmlinuz" -initrd "$initramfs" \
		-serial "file:$serial" \
		-append "console=ttyS0 quiet panic=-1 bench_file=$BENCH_INITRD_PATH bench_runs=$runs"
	status=$?
	if ! tr -d '\r' <"$serial" | grep -qx "BENCH done"; then
		note "Linux guest on $machine (exit $status): $(tr -d '\r' <"$serial" |
			grep -E 'BENCH error|Kernel panic' | head -n 2 | tr '\n' '|') last: $(tail -n 3 "$serial" | tr '\r\n' '||')"
		record error "Linux guest dd on $machine failed (exit $status)"
		return 1
	fi
	tr -d '\r' <"$serial" | awk -v m="$machine" '$1 == "BENCH" && ($2 == "buffered" || $2 == "direct") {
		print "dd-" $2, m, $3, $4, $5 }' >>"$BENCH_RESULTS"
	note "Linux guest on $machine: $(tr -d '\r' <"$serial" | grep -c '^BENCH \(buffered\|direct\)') dd runs"
}
