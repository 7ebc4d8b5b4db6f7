#!/bin/bash
# Benchmark (c), sourced by tests/bench/run.sh: what booting through pvhboot
# adds to a PVH boot. The PVH probe exits QEMU through isa-debug-exit as soon
# as it has checked its start_info, so "QEMU start to QEMU exit" is the boot
# latency. Direct: QEMU loads the probe itself (-kernel probe.elf). Through
# pvhboot: QEMU loads pvhboot.elf, which finds the disk, reads the menu and
# loads the probe from ext4 ("pvh" entry). The disk is attached both times so
# the only difference is the loader. Timed on the host, wall clock.
#
# Records:
#   latency-direct MACHINE RUN NS | latency-pvhboot MACHINE RUN NS

# latency_once NAME MACHINE DISK RUN ARGS...: one boot, timed; the probe
# must pass.
latency_once() {
	local name=$1 machine=$2 disk=$3 r=$4 log t0 t1 status
	shift 4
	log=$WORK/$name-$machine-$r.log
	t0=$(now_ns)
	bench_qemu 60 "$log" "$machine" "$disk" "$@"
	status=$?
	t1=$(now_ns)
	if [ "$status" != 1 ] || ! grep -qx "RESULT PASS" "$log" || ! grep -qx "PROBE pvh" "$log"; then
		note "$name $machine run $r failed (exit $status): $(grep -E 'FAIL|error' "$log" |
			head -n 3 | tr '\n' '|')"
		record error "boot latency $name on $machine: run $r failed"
		return 1
	fi
	record "$name" "$machine" "$r" $((t1 - t0))
}

boot_latency() {
	local machine=$1 disk=$2 runs=$3 r
	# Alternate the two so a burst of load elsewhere hits both alike.
	for r in $(seq "$runs"); do
		latency_once latency-direct "$machine" "$disk" "$r" \
			-kernel "$BUILD/kernels/pvh-elf64-note8.elf" -append "bench=latency" || return 1
		latency_once latency-pvhboot "$machine" "$disk" "$r" \
			-kernel "$BUILD/pvhboot.elf" -append "entry=pvh timeout=0" || return 1
	done
}
