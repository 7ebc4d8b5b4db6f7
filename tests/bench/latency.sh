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
	bench_qemu 30 "$log" "$machine" "$disk" "$@"
	status=$?
	t1=$(now_ns)
	# Through pvhboot every check must pass. QEMU's own PVH entry leaves TR
	# null, which the probe reports (the PVH ABI asks for a 32-bit TSS): that
	# run still booted and exited, so its time counts, and the failed
	# checks are listed under the table.
	if ! grep -qx "PROBE pvh" "$log" || ! grep -q "^RESULT " "$log" ||
		{ [ "$name" = latency-pvhboot ] && { [ "$status" != 1 ] || ! grep -qx "RESULT PASS" "$log" ||
			! grep -qF 'booting "PVH probe"' "$log"; }; }; then
		note "$name $machine run $r failed (exit $status): $(grep -E 'FAIL|error' "$log" |
			head -n 3 | tr '\n' '|')"
		record error "boot latency $name on $machine: run $r failed"
		return 1
	fi
	if [ "$name" = latency-direct ] && [ "$r" = 1 ] && grep -q '^CHECK .* FAIL' "$log"; then
		record remark "QEMU's direct PVH boot on $machine fails the probe's check(s):" \
			"$(awk '$1 == "CHECK" && $3 == "FAIL" { printf "%s%s", sep, $2; sep = ", " }' "$log")" \
			"($(grep -m1 '^CHECK .* FAIL' "$log" | cut -d' ' -f4-)); pvhboot passes them all"
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
